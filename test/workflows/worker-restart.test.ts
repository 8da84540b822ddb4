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
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRig, type Rig } from './rig';
import { runHaDongYear } from './year-scenario';
import { checkYear } from './year-checks';
import { exited, kill, startWorkerProcess } from './worker-processes';

let rig: Rig;
let child: ChildProcess | undefined;

const CRASH_DAY = '2026-07-06';
let crashedAfterLedger: string | undefined;
const onLine = (line: string) => {
  const match = /crashing-after-ledger (\S+)/.exec(line);
  if (match) crashedAfterLedger = match[1];
};

beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  child = await startWorkerProcess(rig, { cache: 'no-cache', crash: `crash-after-ledger:${CRASH_DAY}`, onLine });
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
      if (child) await exited(child, 60_000, `the ${CRASH_DAY} flush`);
      restarts += 1;
      child = await startWorkerProcess(rig, { cache: 'cache' });
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
