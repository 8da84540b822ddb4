/**
 * Roll-out of K communes on one dev server (SQLite in memory, one in-process worker, this machine):
 * K generated communes (copies of the Hà Đông 2026 plan under their own ids) started with
 * `startPlan`, timed until every duty of every plan runs its schedule; compared in the same run with
 * R0, the rate at which the same server and worker complete trivial workflows (batches of 300, as
 * the issue measured it), and with R0 sustained (as many trivial workflows as the roll-out opened,
 * started the way it starts duties). Once the worker has
 * settled it prints its RSS per open workflow and the largest history of each workflow type.
 * Run: `npx tsx --expose-gc bench/rollout.ts [K ...]` (default 10; the targets use 10 and 114).
 */
import { expandPlanFile } from '../operations/plan-client';
import { PLANS_AT_ONCE } from '../operations/plan-catalog';
import { DUTIES_AT_ONCE } from '../operations/plan-rollout';
import {
  communeCopies,
  describeHistories,
  largestHistories,
  describeRate,
  measureR0,
  measureSustainedR0,
  REFERENCE_SAMPLES,
  REFERENCE_COUNT,
  rollOut,
  settledRss,
  settledWorker,
  startBenchStack,
  workflowsOf,
} from './bench-stack';

const COMMAND = 'npx tsx --expose-gc bench/rollout.ts';

async function main(): Promise<void> {
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const ks = counts.length > 0 ? counts : [10];
  const stack = await startBenchStack();
  try {
    const rate = await measureR0(stack.client);
    const r0 = rate.median;
    process.stdout.write(`R0 = ${describeRate(rate)} trivial workflows/s (${REFERENCE_SAMPLES} batches of ${REFERENCE_COUNT} on the same server and worker process)\n`);
    const haDong = await expandPlanFile('plans/ha-dong-2026.yaml');
    let firstIndex = 0;
    for (const k of ks) {
      const plans = communeCopies(haDong, k, firstIndex);
      firstIndex += k;
      const before = await settledWorker(stack.kehoachWorker);
      const seconds = await rollOut(stack.client, plans);
      const workflows = k * workflowsOf(haDong);
      const perSecond = workflows / seconds;
      const after = await settledWorker(stack.kehoachWorker);
      const grown = after.rss - before.rss;
      const cachedMore = after.cachedWorkflows - before.cachedWorkflows;
      const histories = await largestHistories(stack.client, plans[plans.length - 1] ?? haDong);
      const lanes = PLANS_AT_ONCE * DUTIES_AT_ONCE;
      const sustained = await measureSustainedR0(stack.client, workflows, lanes);
      process.stdout.write(
        `Roll-out K = ${k}: ${workflows} workflows running after ${seconds.toFixed(1)} s = ${perSecond.toFixed(1)} workflows/s = ${(perSecond / r0).toFixed(2)} × R0\n` +
          `  R0 sustained: ${sustained.toFixed(1)} trivial workflows/s (${workflows} started ${lanes} at a time, as the roll-out starts duties, then awaited); ` +
          `the roll-out ran at ${(perSecond / sustained).toFixed(2)} × that\n` +
          `  worker RSS once settled: +${(grown / 2 ** 20).toFixed(0)} MB for ${workflows} open workflows = ${(grown / workflows / 1024).toFixed(0)} KB per open workflow ` +
          `(${cachedMore} more held in the worker's cache, ${(grown / Math.max(cachedMore, 1) / 1024).toFixed(0)} KB per cached one; process RSS ${(settledRss() / 2 ** 20).toFixed(0)} MB)\n` +
          `  largest history after the roll-out: ${describeHistories(histories)}\n` +
          `  (${COMMAND} ${ks.join(' ')})\n`,
      );
    }
  } finally {
    await stack.stop();
  }
}

await main();
