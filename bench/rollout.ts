/**
 * Roll-out of K communes on one dev server (SQLite in memory, one in-process worker, this machine):
 * K generated communes (copies of the Hà Đông 2026 plan under their own ids) started with
 * `startPlan`, timed until every duty of every plan runs its schedule; compared in the same run with
 * R0, the rate at which the same server and worker complete trivial workflows (batches of 300, as
 * the issue measured it), and with R0 sustained (as many trivial workflows as the roll-out opened,
 * started the way it starts duties), with the CPU each costs per workflow in this process and in the
 * dev server. Once the worker has settled it prints its RSS per open workflow and the largest history
 * of each workflow type; at the end, R0 again and each roll-out against R0 before and after.
 * Run: `npx tsx --expose-gc bench/rollout.ts [K ...]` (default 10; the targets use 10 and 114).
 */
import { expandPlanFile } from '../operations/plan-client';
import { PLANS_AT_ONCE } from '../operations/plan-catalog';
import { DUTIES_AT_ONCE } from '../operations/plan-rollout';
import {
  communeCopies,
  describeHistories,
  largestHistories,
  describeCpu,
  describeRate,
  measureR0,
  measureSustainedR0,
  REFERENCE_SAMPLES,
  REFERENCE_COUNT,
  rollOut,
  settledRss,
  quietWorker,
  settledWorker,
  startBenchStack,
  workerMemory,
  workflowsOf,
} from './bench-stack';
import { medianOf } from './stats';

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
    const rates: Array<{ k: number; perSecond: number }> = [];
    for (const k of ks) {
      const plans = communeCopies(haDong, k, firstIndex);
      firstIndex += k;
      const before = await settledWorker(stack.kehoachWorker);
      const cpuBefore = stack.cpu();
      const seconds = await rollOut(stack.client, plans);
      const workflows = k * workflowsOf(haDong);
      const perSecond = workflows / seconds;
      rates.push({ k, perSecond });
      // Read once the worker is quiet, so it holds every duty's first task, however long after the plans said "running".
      await quietWorker(stack.kehoachWorker);
      const cpuRollOut = describeCpu(cpuBefore, stack.cpu(), workflows);
      const after = workerMemory(stack.kehoachWorker);
      const grown = after.rss - before.rss;
      const cachedMore = after.cachedWorkflows - before.cachedWorkflows;
      const histories = await largestHistories(stack.client, plans[plans.length - 1] ?? haDong);
      const lanes = PLANS_AT_ONCE * DUTIES_AT_ONCE;
      const cpuBeforeSustained = stack.cpu();
      const sustained = await measureSustainedR0(stack.client, workflows, lanes);
      const cpuSustained = describeCpu(cpuBeforeSustained, stack.cpu(), workflows);
      process.stdout.write(
        `Roll-out K = ${k}: ${workflows} workflows running after ${seconds.toFixed(1)} s = ${perSecond.toFixed(1)} workflows/s = ${(perSecond / r0).toFixed(2)} × R0\n` +
          `  R0 sustained: ${sustained.toFixed(1)} trivial workflows/s (${workflows} started ${lanes} at a time, as the roll-out starts duties, then awaited); ` +
          `the roll-out ran at ${(perSecond / sustained).toFixed(2)} × that\n` +
          `  CPU: the roll-out ${cpuRollOut}; R0 sustained ${cpuSustained}\n` +
          `  worker RSS once settled: +${(grown / 2 ** 20).toFixed(0)} MB for ${workflows} open workflows = ${(grown / workflows / 1024).toFixed(0)} KB per open workflow ` +
          `(${cachedMore} more held in the worker's cache, ${(grown / Math.max(cachedMore, 1) / 1024).toFixed(0)} KB per cached one; process RSS ${(settledRss() / 2 ** 20).toFixed(0)} MB)\n` +
          `  largest history after the roll-out: ${describeHistories(histories)}\n` +
          `  (${COMMAND} ${ks.join(' ')})\n`,
      );
    }
    // The server's pace drifts by a quarter from one minute to the next on this kind of machine, and
    // its tables grow with every roll-out: R0 measured again afterwards brackets the roll-outs.
    const later = await measureR0(stack.client);
    const bracket = medianOf([...rate.samples, ...later.samples]);
    process.stdout.write(
      `R0 after the roll-outs = ${describeRate(later)}; R0 before and after = ${bracket.toFixed(1)} (median of all ${rate.samples.length + later.samples.length} batches): ` +
        `${rates.map(({ k, perSecond }) => `K = ${k} ${(perSecond / bracket).toFixed(2)} × R0`).join(', ')}\n  (${COMMAND} ${ks.join(' ')})\n`,
    );
  } finally {
    await stack.stop();
  }
}

await main();
