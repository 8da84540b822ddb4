/**
 * The same Hà Đông year, with the worker running in a separate process that is killed with SIGKILL
 * in July right when the mailroom flushes a morning's digests, then replaced by a fresh process.
 * The mail received must still be exactly the expected set: nothing lost, nothing twice.
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

function startWorkerProcess(r: Rig, cache: 'cache' | 'no-cache'): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, r.server.address, r.taskQueue, r.smtp.url, r.dataDir, cache], {
    stdio: ['ignore', 'pipe', 'pipe'],
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

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  child = await startWorkerProcess(rig, 'no-cache');
});
afterAll(async () => {
  if (child) await kill(child);
  await rig?.close();
});

it('loses and duplicates nothing when the worker is killed mid-year and restarted', async () => {
  let kills = 0;
  const run = await runHaDongYear(rig, {
    historyEventLimit: 500,
    // 08:05 local on 6 July: the mailroom's flush of the morning's digests.
    restartAt: '2026-07-06T01:05:00.000Z',
    beforeDay: async () => {
      if (child) await kill(child);
      kills += 1;
      child = await startWorkerProcess(rig, 'cache');
    },
  });
  expect(kills).toBe(1);
  checkYear(run, rig);
  expect(run.histories.find((h) => h.workflowId.endsWith(':mail'))?.runs ?? 0).toBeGreaterThan(3);
  console.log(`[worker-restart] wall ${(run.wallMs / 1000).toFixed(1)} s, ${run.expectation.delivered.length} digests, SMTP transactions ${rig.smtp.transactions}`);
}, 600_000);
