/**
 * `npm start` on a fresh data directory: the embedded dev server (persisting to SQLite, Web UI on),
 * the worker and the default plan come up and report ready; Ctrl-C stops everything cleanly; a
 * second start resumes the same plan workflow, still running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../provision/free-port';
import { writeFuturePlan } from '../support/future-plan';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startKehoach(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', 'run'], {
    cwd: repoRoot,
    env: { ...process.env, TEMPORAL_ADDRESS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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

function interrupt(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGINT');
  });
}

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('comes up ready, stops on Ctrl-C and resumes the same running plan on restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-start-'));
    const port = await freePort();
    const uiPort = await freePort();
    const env = {
      KEHOACH_DATA_DIR: dataDir,
      // A year ahead, so the plan is still running whatever the date the suite runs.
      KEHOACH_PLAN: writeFuturePlan(dataDir, 'ha-dong-start').file,
      KEHOACH_DEV_SERVER_PORT: String(port),
      KEHOACH_DEV_UI_PORT: String(uiPort),
      KEHOACH_WEB_PORT: String(await freePort()),
    };

    const first = await startKehoach(env);
    expect(first.output()).toContain(`127.0.0.1:${port}`);
    expect(first.output()).toContain('vừa khởi chạy');
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    const client = new Client({ connection });
    const planId = /\((kehoach:[^)]+)\)/.exec(first.output())?.[1] ?? 'missing plan workflow id in output';
    const before = await client.workflow.getHandle(planId).describe();
    expect(before.status.name).toBe('RUNNING');
    await connection.close();

    expect(await interrupt(first)).toBe(0);
    expect(first.output()).toContain('Đã dừng.');

    const second = await startKehoach(env);
    expect(second.output()).toContain('đang chạy');
    const again = await Connection.connect({ address: `127.0.0.1:${port}` });
    const after = await new Client({ connection: again }).workflow.getHandle(planId).describe();
    expect(after.status.name).toBe('RUNNING');
    expect(after.runId).toBe(before.runId);
    await again.close();
    expect(await interrupt(second)).toBe(0);
  });
});
