/**
 * A real morning burst on one dev server: K generated communes (copies of the Hà Đông 2026 plan)
 * started with `startPlan` on the real worker, their busiest morning (the most digests of the year,
 * all due at one mail time) moved to one minute a little ahead (see `burst-plan.ts`), the mail
 * going to a real SMTP server on loopback. Each digest's lateness is the moment the SMTP server
 * accepted it minus the end of the collection window (the mail time + the window, when the
 * mailroom may send it at the earliest); the drain rate is digests / (last arrival − window end),
 * compared with R0a (one-activity workflows/s on the same server and worker, in the same run).
 * Then the largest history of each workflow type after the burst.
 * Run: `npx tsx --expose-gc bench/burst.ts [K ...] [--window-seconds S]` (default K = 10 and the
 * production collection window of 5 minutes; the target is K = 114).
 */
import { expandPlanFile, DEFAULT_MAIL_COLLECTION_WINDOW_MS, startPlan } from '../operations/plan-client';
import type { ExpandedPlan } from '../domain/schedule/types';
import { mailroomWorkflowId } from '../domain/keys/workflow-ids';
import { updateMailSlotsSignal } from '../workflows/messages';
import {
  communeCopies,
  describeHistories,
  KEHOACH_QUEUE,
  largestHistories,
  describeRate,
  measureR0a,
  REFERENCE_SAMPLES,
  REFERENCE_COUNT,
  rollOut,
  sleep,
  startBenchStack,
  workflowsOf,
} from './bench-stack';
import { percentile } from './stats';
import { busiestMorning, movedPlan, type MovedPlan } from './burst-plan';
import { startSmtpReceiver, type Arrival } from './smtp-receiver';

const COMMAND = 'npx tsx --expose-gc bench/burst.ts';
const MINUTE_MS = 60_000;
/** Time left between the end of the roll-out and the burst, at the least. */
const MIN_SPARE_MS = 20_000;
/** How long after the window the benchmark waits for the last digest before it gives up. */
const DRAIN_LIMIT_MS = 15 * MINUTE_MS;

function parseArgs(argv: string[]): { ks: number[]; windowMs: number } {
  const ks: number[] = [];
  let windowMs = DEFAULT_MAIL_COLLECTION_WINDOW_MS;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--window-seconds') {
      windowMs = Number(argv[i + 1]) * 1000;
      i += 1;
    } else if (Number(argv[i]) > 0) {
      ks.push(Number(argv[i]));
    }
  }
  if (!(windowMs > 0)) throw new Error('--window-seconds needs a positive number');
  return { ks: ks.length > 0 ? ks : [10], windowMs };
}

/** The first whole minute at least `leadMs` from now. */
function minuteAfter(leadMs: number): string {
  return new Date(Math.ceil((Date.now() + leadMs) / MINUTE_MS) * MINUTE_MS).toISOString();
}

async function waitForArrivals(arrivals: Arrival[], from: number, expected: number, deadline: number): Promise<void> {
  while (arrivals.length - from < expected && Date.now() < deadline) await sleep(200);
  // Anything sent twice would come right behind.
  await sleep(2_000);
}

async function main(): Promise<void> {
  const { ks, windowMs } = parseArgs(process.argv.slice(2));
  const receiver = await startSmtpReceiver();
  const stack = await startBenchStack({ smtpUrl: receiver.url });
  try {
    const rate = await measureR0a(stack.client);
    const r0a = rate.median;
    process.stdout.write(
      `R0a = ${describeRate(rate)} one-activity workflows/s (${REFERENCE_SAMPLES} batches of ${REFERENCE_COUNT} on the same server and worker process)\n`,
    );
    const haDong = await expandPlanFile('plans/ha-dong-2026.yaml');
    const morning = busiestMorning(haDong);
    let firstIndex = 0;
    for (const k of ks) {
      const communes = communeCopies(haDong, k, firstIndex);
      firstIndex += k;
      const workflows = k * workflowsOf(haDong);
      // The roll-out has to be over before the burst: reminders whose instant passed before a duty
      // got its schedule are not sent late. Roll-outs run at about R0a or faster; allow twice that.
      const burstAt = minuteAfter(MIN_SPARE_MS + (2 * workflows * 1000) / r0a);
      const moved = communes.map((plan) => movedPlan(plan, morning.at, burstAt));
      const byId = new Map(moved.map((m) => [m.plan.planId, m]));
      const startMoved = async (plan: ExpandedPlan) => {
        const { settings, mailSlots } = byId.get(plan.planId) as MovedPlan;
        await startPlan(stack.client, KEHOACH_QUEUE, plan, { ...settings, mailCollectionWindowMs: windowMs });
        await stack.client.workflow.getHandle(mailroomWorkflowId(plan.planId, plan.year)).signal(updateMailSlotsSignal, mailSlots);
      };
      const from = receiver.arrivals.length;
      const timesFrom = stack.sendDigestTimes.durations.length;
      stack.sendDigestTimes.peakConcurrent = 0;
      const rollOutSeconds = await rollOut(
        stack.client,
        moved.map((m) => m.plan),
        startMoved,
      );
      const spareMs = Date.parse(burstAt) - Date.now();
      if (spareMs < 0) throw new Error(`the roll-out (${rollOutSeconds.toFixed(0)} s) ended after the burst's mail time; its reminders would not go out`);
      const windowEnd = Date.parse(burstAt) + windowMs;
      const expected = k * morning.recipients;
      process.stdout.write(
        `Burst K = ${k}: ${workflows} workflows rolled out in ${rollOutSeconds.toFixed(1)} s; ${expected} digests (${k} × ${morning.recipients}, ` +
          `the plan's busiest morning ${morning.at.slice(0, 10)}) due at ${burstAt}, collection window ${windowMs / 1000} s, waiting ${((windowEnd - Date.now()) / 1000).toFixed(0)} s…\n`,
      );
      await waitForArrivals(receiver.arrivals, from, expected, windowEnd + DRAIN_LIMIT_MS);

      const arrivals = receiver.arrivals.slice(from);
      const lateness = arrivals.map((arrival) => (arrival.at - windowEnd) / 1000).sort((a, b) => a - b);
      const distinct = new Set(arrivals.map((arrival) => arrival.messageId)).size;
      const drainSeconds = lateness[lateness.length - 1] ?? Number.NaN;
      const perSecond = arrivals.length / drainSeconds;
      const attempts = stack.sendDigestTimes.durations.slice(timesFrom).sort((a, b) => a - b);
      const histories = await largestHistories(stack.client, communes[communes.length - 1] ?? haDong);
      process.stdout.write(
        `  ${arrivals.length} of ${expected} digests received (${distinct} distinct Message-IDs) over ${receiver.connections} SMTP connections so far\n` +
          `  lateness after the window: p50 ${percentile(lateness, 50).toFixed(1)} s, p99 ${percentile(lateness, 99).toFixed(1)} s, first ${(lateness[0] ?? Number.NaN).toFixed(1)} s, last ${drainSeconds.toFixed(1)} s\n` +
          `  drain: ${perSecond.toFixed(1)} digests/s = ${(perSecond / r0a).toFixed(2)} × R0a\n` +
          `  sendDigest on the worker: ${attempts.length} attempts, p50 ${percentile(attempts, 50).toFixed(0)} ms, p99 ${percentile(attempts, 99).toFixed(0)} ms, at most ${stack.sendDigestTimes.peakConcurrent} at once\n` +
          `  largest history after the burst: ${describeHistories(histories)}\n` +
          `  (${COMMAND} ${process.argv.slice(2).join(' ')})\n`,
      );
      // More digests than recipients is a split, not a duplicate: items a duty handed over after
      // its group's window had closed go out as that day's second digest (batch 2). Lost or
      // doubled mail fails the run.
      if (arrivals.length > expected) process.stdout.write(`  ${arrivals.length - expected} digests more than recipients: items handed over after their window had closed went out as a second digest\n`);
      if (distinct < expected || distinct !== arrivals.length) process.exitCode = 1;
    }
  } finally {
    await stack.stop();
    await receiver.close();
  }
}

await main();
