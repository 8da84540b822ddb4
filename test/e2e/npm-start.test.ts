/**
 * `npm start` on a fresh data directory: the embedded dev server (persisting to SQLite, Web UI on),
 * the worker and every plan of the plans folder (this year's and next year's side by side; a broken
 * file refused with its located problems, the others still started) come up and report ready, with
 * the data directory private to the service user and a generated office password; Ctrl-C stops
 * everything cleanly, also under web load; a second start resumes the same plan workflows, still
 * running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { currentYearAt } from '../../domain/commune';
import { freePort } from '../../provision/free-port';
import { writeCommunePlan, writeFuturePlan } from '../support/future-plan';
import { waitFor } from '../support/wait-for';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startKehoach(env: NodeJS.ProcessEnv): Promise<Started> {
  // What `npm start` runs (package.json), without npm in between.
  const child = spawn(process.execPath, ['--import', './worker/register-tsx.mjs', 'client/main.ts', 'run'], {
    cwd: repoRoot,
    env: { ...process.env, TEMPORAL_ADDRESS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job: Ctrl-C goes to the whole group.
    detached: true,
  });
  running.push(child);
  let output = '';
  const started = performance.now();
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 150 s:\n${output}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready && output.includes('Sẵn sàng.')) {
        ready = true;
        clearTimeout(timer);
        process.stdout.write(`npm start: ready after ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}

type Ports = Record<'KEHOACH_DEV_SERVER_PORT' | 'KEHOACH_DEV_UI_PORT' | 'KEHOACH_WEB_PORT', string>;
/** Ports for one kehoach run on a fresh data directory, with the default plan a year ahead (KEHOACH_PLAN: just that file). */
type RunEnv = Record<'KEHOACH_DATA_DIR' | 'KEHOACH_PLAN', string> & Ports;

async function freePorts(): Promise<Ports> {
  return {
    KEHOACH_DEV_SERVER_PORT: String(await freePort()),
    KEHOACH_DEV_UI_PORT: String(await freePort()),
    KEHOACH_WEB_PORT: String(await freePort()),
  };
}

async function freshEnv(name: string): Promise<RunEnv> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `kehoach-${name}-`));
  return {
    KEHOACH_DATA_DIR: dataDir,
    // A year ahead, so the plan is still running whatever the date the suite runs.
    KEHOACH_PLAN: writeFuturePlan(dataDir, `ha-dong-${name}`).file,
    ...(await freePorts()),
  };
}

/** Workflow IDs of the plans a run reports, in the order it lists them. */
const planWorkflowIds = (output: string) => [...output.matchAll(/\((kehoach:[^,)]+)/g)].map((match) => match[1] as string);

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** Right after "Sẵn sàng." the plan workflow may not have run its first task; its page says so (503) until it has. */
function officePageAnswers(webPort: string, password: string): Promise<true> {
  const headers = { authorization: `Basic ${Buffer.from(`theodoi:${password}`).toString('base64')}` };
  return waitFor('the status page answers', async () => (await fetch(`http://127.0.0.1:${webPort}/theo-doi`, { headers })).status === 200, {
    timeoutMs: 30_000,
  });
}

/** Ctrl-C, then the exit code (or the signal that killed it, with its output, if it did not exit). */
function interrupt(started: Started): Promise<number | string> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code, signal) => resolve(code ?? `killed by ${signal}:\n${started.output()}`));
    // What Ctrl-C in a terminal does: SIGINT to every process of the group, the dev server included.
    process.kill(-(started.child.pid ?? 0), 'SIGINT');
  });
}

afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
});

describe('npm start', () => {
  it('runs this year and next year from the plans folder, stops on Ctrl-C and resumes the same running plans on restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-start-'));
    const plansDir = path.join(dataDir, 'plans');
    mkdirSync(plansDir);
    // This commune's plan of the current year and the one rolled forward to next year, under an id of this run.
    const commune = `ha-dong-start-${Date.now()}`;
    const year = currentYearAt(new Date().toISOString());
    const thisYear = writeCommunePlan(plansDir, commune, year);
    const nextYear = writeCommunePlan(plansDir, commune, year + 1);
    writeFileSync(path.join(plansDir, 'hong.yaml'), 'version: 1\nplan:\n  id: hong\n');
    const env = { KEHOACH_DATA_DIR: dataDir, KEHOACH_PLANS_DIR: plansDir, ...(await freePorts()) };
    const port = Number(env.KEHOACH_DEV_SERVER_PORT);
    const uiPort = Number(env.KEHOACH_DEV_UI_PORT);

    const first = await startKehoach(env);
    expect(first.output()).toContain(`127.0.0.1:${port}`);
    // The broken file is refused with its located problems; the others start all the same.
    expect(first.output()).toMatch(/Bỏ qua kế hoạch .*hong\.yaml: có \d+ lỗi, chưa khởi chạy:/);
    expect(first.output()).toMatch(/hong\.yaml:\d+:\d+ /);
    expect(first.output()).toContain('Kế hoạch:          2 kế hoạch');
    const ids = planWorkflowIds(first.output());
    // This year first: in December it still runs while next year's already waits for January.
    expect(ids).toEqual([`kehoach:${thisYear.planId}:${year}`, `kehoach:${nextYear.planId}:${year + 1}`]);
    expect(first.output().match(/vừa khởi chạy/g)).toHaveLength(2);
    expect(first.output()).toContain(`tài khoản "theodoi" của xã "${commune}"`);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    const client = new Client({ connection });
    const before = await Promise.all(ids.map((id) => client.workflow.getHandle(id).describe()));
    expect(before.map((run) => run.status.name)).toEqual(['RUNNING', 'RUNNING']);
    await connection.close();

    // Private to the service user: mails carry signed links, the secrets sign and open pages.
    const password = readFileSync(path.join(dataDir, 'office-password'), 'utf8').trim();
    const webPort = env.KEHOACH_WEB_PORT;
    await officePageAnswers(webPort, password);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of ['temporal.sqlite', 'link-secret', 'office-password', 'accounts.json']) {
      expect({ file, mode: modeOf(path.join(dataDir, file)) }).toEqual({ file, mode: 0o600 });
    }
    // Only a hash of the generated password is kept with the account.
    expect(readFileSync(path.join(dataDir, 'accounts.json'), 'utf8')).not.toContain(password);
    expect(modeOf(path.join(dataDir, 'logs'))).toBe(0o700);
    const logs = readdirSync(path.join(dataDir, 'logs'));
    expect(logs).toEqual(expect.arrayContaining(['temporal-dev-server.log', 'web.log']));
    for (const file of logs) expect({ file, mode: modeOf(path.join(dataDir, 'logs', file)) }).toEqual({ file, mode: 0o600 });
    // The office's page offers both years of its commune.
    const headers = { authorization: `Basic ${Buffer.from(`theodoi:${password}`).toString('base64')}` };
    const officePage = await (await fetch(`http://127.0.0.1:${webPort}/theo-doi`, { headers })).text();
    expect(officePage).toContain(`Năm ${year}:`);
    expect(officePage).toContain(`Năm ${year + 1}:`);

    expect(await interrupt(first)).toBe(0);
    expect(first.output()).toContain('Đã dừng.');
    // The web log holds the request above as one JSON line, without the password.
    const webLog = readFileSync(path.join(dataDir, 'logs', 'web.log'), 'utf8');
    expect(webLog).not.toContain(password);
    expect(webLog.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ event: 'request', method: 'GET', url: '/theo-doi', status: 200 }),
    );

    const second = await startKehoach(env);
    expect(second.output().match(/đang chạy \(kehoach:/g)).toHaveLength(2);
    expect(second.output()).toContain('1 tài khoản');
    const again = await Connection.connect({ address: `127.0.0.1:${port}` });
    const after = await Promise.all(ids.map((id) => new Client({ connection: again }).workflow.getHandle(id).describe()));
    expect(after.map((run) => run.status.name)).toEqual(['RUNNING', 'RUNNING']);
    expect(after.map((run) => run.runId)).toEqual(before.map((run) => run.runId));
    await again.close();
    expect(await interrupt(second)).toBe(0);
  });

  it('on Ctrl-C under web load stops taking requests first, lets none hang, and exits promptly', async () => {
    // No rate limit in the way: this is one client sending as fast as it can.
    const env = { ...(await freshEnv('load')), KEHOACH_WEB_RATE_LIMIT: '100000' };
    const started = await startKehoach(env);
    const password = readFileSync(path.join(env.KEHOACH_DATA_DIR, 'office-password'), 'utf8').trim();
    const url = `http://127.0.0.1:${env.KEHOACH_WEB_PORT}/theo-doi`;
    const headers = { authorization: `Basic ${Buffer.from(`theodoi:${password}`).toString('base64')}` };
    await officePageAnswers(env.KEHOACH_WEB_PORT, password);

    const outcomes: { outcome: string; settledAt: number; sentAfterStop: boolean }[] = [];
    const timeline = { interruptedAt: Infinity, exited: false };
    const client = async () => {
      while (!timeline.exited) {
        const sentAt = performance.now();
        let outcome: string;
        try {
          const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
          const body = await response.text();
          outcome = response.status === 503 && body.includes('Hệ thống đang tạm dừng') ? '503-page' : String(response.status);
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          outcome = (error as Error).name === 'TimeoutError' ? 'hung' : `refused:${cause?.code ?? (error as Error).message}`;
        }
        outcomes.push({ outcome, settledAt: performance.now(), sentAfterStop: sentAt > timeline.interruptedAt });
        if (outcome.startsWith('refused')) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const clients = Array.from({ length: 6 }, client);
    // Under load: pages are being served when Ctrl-C comes.
    await waitFor('pages served under load', async () => outcomes.filter((o) => o.outcome === '200').length >= 6, { timeoutMs: 60_000 });

    timeline.interruptedAt = performance.now();
    const code = await interrupt(started);
    const stopSeconds = (performance.now() - timeline.interruptedAt) / 1000;
    timeline.exited = true;
    await Promise.all(clients);
    process.stdout.write(
      `Ctrl-C under load: exited after ${stopSeconds.toFixed(1)} s; ${outcomes.length} requests: ` +
        `${JSON.stringify(Object.fromEntries([...new Set(outcomes.map((o) => o.outcome))].map((k) => [k, outcomes.filter((o) => o.outcome === k).length])))}\n`,
    );
    expect(code, started.output()).toBe(0);
    expect(stopSeconds).toBeLessThan(15);
    // Answered, told to come back (503 page), or refused at connect once the port is closed: never hanging, never a 500.
    for (const { outcome } of outcomes) expect(outcome).toMatch(/^(200|503-page|refused:.*)$/);
    // The web app drains for at most 5 s: every request that got in is answered or cut by then.
    const gotIn = outcomes.filter((o) => !o.outcome.startsWith('refused:ECONNREFUSED'));
    expect(Math.max(...gotIn.map((o) => o.settledAt)) - timeline.interruptedAt).toBeLessThan(7_000);
    // Once Ctrl-C is pressed new requests are turned away, not queued behind a stopping worker.
    const afterStop = outcomes.filter((o) => o.sentAfterStop);
    expect(afterStop.length).toBeGreaterThan(0);
    expect(afterStop.filter((o) => o.outcome === '200')).toHaveLength(0);
    expect(started.output().indexOf('ngừng nhận yêu cầu web')).toBeGreaterThan(0);
  });
});
