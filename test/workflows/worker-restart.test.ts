/**
 * The same Hà Đông year, with the worker running in a separate process that dies by SIGKILL in July
 * in the worst possible place: the SMTP server has taken a digest and the delivery ledger has
 * recorded it, but the activity has not yet told Temporal (fault injection in worker-process.ts).
 * A fresh process replaces it; the retried activity must be answered "already sent" from the
 * ledger, and the mail received must still be exactly the expected set: nothing lost, nothing twice.
 *
 * The Java time-skipping server does not move a dead worker's sticky tasks back to the shared queue
 * (the clock it would need is frozen while those tasks are outstanding), so the worker that gets
 * killed runs without a workflow cache; its replacement caches as usual. Shorter runs (continue-as-
 * new every 500 events) keep the uncached replays cheap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRig, type Rig } from './rig';
import { runHaDongYear } from './year-scenario';
import { checkYear } from './year-checks';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
let rig: Rig;
let child: ChildProcess | undefined;

const CRASH_DAY = '2026-07-06';
let crashedAfterLedger: string | undefined;

function startWorkerProcess(r: Rig, cache: 'cache' | 'no-cache', crash?: string): Promise<ChildProcess> {
  const args = [WORKER_SCRIPT, r.server.address, r.taskQueue, r.smtp.url, r.dataDir, cache, ...(crash ? [crash] : [])];
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (chunk: Buffer) => {
    const match = /crashing-after-ledger (\S+)/.exec(chunk.toString());
    if (match) crashedAfterLedger = match[1];
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker-ready')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${stderr}`)));
  });
}

function exited(proc: ChildProcess, withinMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => reject(new Error(`the worker did not crash within ${withinMs} ms of the ${CRASH_DAY} flush`)), withinMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  child = await startWorkerProcess(rig, 'no-cache', `crash-after-ledger:${CRASH_DAY}`);
});
afterAll(async () => {
  if (child) await kill(child);
  await rig?.close();
});

it('loses and duplicates nothing when the worker dies between the ledger and the activity completion', async () => {
  let restarts = 0;
  const run = await runHaDongYear(rig, {
    historyEventLimit: 500,
    // 08:05 local on 6 July: the mailroom's flush of the morning's digests; the worker dies during it.
    restartAt: '2026-07-06T01:05:00.000Z',
    beforeDay: async () => {
      if (child) await exited(child, 60_000);
      restarts += 1;
      child = await startWorkerProcess(rig, 'cache');
    },
  });
  expect(restarts).toBe(1);
  // The window was hit: the worker died holding a digest the ledger had recorded as sent, and the
  // retry of that very digest was answered from the ledger instead of mailing it again.
  expect(crashedAfterLedger).toBeDefined();
  const answeredFromLedger = run.deliveries.filter((d) => d.outcome === 'already-sent');
  expect(answeredFromLedger.map((d) => [d.localDate, d.messageId])).toEqual([[CRASH_DAY, crashedAfterLedger]]);
  checkYear(run, rig);
  expect(run.histories.find((h) => h.workflowId.endsWith(':mail'))?.runs ?? 0).toBeGreaterThan(3);
  console.log(`[worker-restart] wall ${(run.wallMs / 1000).toFixed(1)} s, ${run.expectation.delivered.length} digests, SMTP transactions ${rig.smtp.transactions}`);
}, 600_000);
