/**
 * What the dev-server benchmarks share: one dev server (SQLite in memory), one process holding the
 * client and two workers (the reference workflows on their own queue, kehoach's on another), the
 * reference rates R0 and R0a measured on them, the generated communes, the roll-out, the worker's
 * memory once it has settled, and the largest history of each workflow type.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createSendDigests } from '../activities/mail/send-digests';
import { buildActivityDeps } from '../activities/deps';
import { getPlanView, startPlan } from '../operations/plan-client';
import { inLanes } from '../operations/in-lanes';
import { PLANS_AT_ONCE } from '../operations/plan-catalog';
import type { ExpandedPlan } from '../domain/schedule/types';
import { freePort } from '../provision/free-port';
import { startDevServer, type RunningServer } from '../provision/server-process';
import { provideTemporalCli } from '../provision/temporal-cli';
import { createKehoachWorker, WORKFLOW_TASK_SETTINGS } from '../worker/create-worker';
import { medianOf } from './stats';
import { dutyWorkflowId, mailroomWorkflowId, planWorkflowId } from '../domain/keys/workflow-ids';

const TRIVIAL = fileURLToPath(new URL('./workflows/trivial.ts', import.meta.url));
const REFERENCE_QUEUE = 'bench-reference';
export const KEHOACH_QUEUE = 'bench-kehoach';
/** Who the benchmarks' mail is from, and where its links point: nothing answers there. */
export const BENCH_MAIL_FROM = 'UBND xã Đo Tốc Độ <kehoach@bench.example>';
export const BENCH_PUBLIC_URL = 'http://127.0.0.1';
/** Reference workflows per rate: enough to last several seconds on two cores. */
export const REFERENCE_COUNT = 300;

export interface BenchStack {
  client: Client;
  kehoachWorker: Worker;
  /** How long `sendDigest` attempts took on this worker, and how many ran at once at most. */
  sendDigestTimes: ActivityTimes;
  /** CPU spent so far by this process (client and workers) and by the dev server, in milliseconds. */
  cpu(): CpuTimes;
  stop(): Promise<void>;
}

export interface CpuTimes {
  bench: number;
  server: number;
}

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User and system CPU of process `pid` so far, in milliseconds, from /proc/<pid>/stat (Linux). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU per workflow between two readings of `stack.cpu()`. */
export function describeCpu(before: CpuTimes, after: CpuTimes, workflows: number): string {
  const per = (ms: number) => (ms / workflows).toFixed(1);
  return `${per(after.bench - before.bench)} ms in the bench process (client and workers) + ${per(after.server - before.server)} ms in the dev server per workflow`;
}

export interface ActivityTimes {
  /** Milliseconds of each completed attempt, in completion order. */
  durations: number[];
  peakConcurrent: number;
}

/** A digest's send timed around the real activity, nothing else changed. */
function timed<A extends unknown[], R>(work: (...args: A) => Promise<R>, times: ActivityTimes): (...args: A) => Promise<R> {
  let running = 0;
  return async (...args: A) => {
    running += 1;
    times.peakConcurrent = Math.max(times.peakConcurrent, running);
    const started = performance.now();
    try {
      return await work(...args);
    } finally {
      running -= 1;
      times.durations.push(performance.now() - started);
    }
  };
}

/**
 * The server, the client and both workers, running. Mail goes to `smtpUrl` when given (the burst),
 * otherwise into an outbox in a temporary data directory (the roll-out sends none in its window).
 */
export async function startBenchStack(options: { smtpUrl?: string } = {}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const cli = await provideTemporalCli(() => {});
  const server: RunningServer = await startDevServer({ cli: cli.path, port: freePort, uiPort: undefined, dbFile: undefined });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-bench-'));
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const deps = buildActivityDeps({
    ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}),
    mailFrom: BENCH_MAIL_FROM,
    publicUrl: BENCH_PUBLIC_URL,
    dataDir,
    linkSecret: 'bench-secret-0123456789abcdef0123456789',
  });
  const reference = await Worker.create({
    connection: nativeConnection,
    taskQueue: REFERENCE_QUEUE,
    workflowsPath: TRIVIAL,
    activities: { noop: async () => {} },
    ...WORKFLOW_TASK_SETTINGS,
  });
  const activities = createActivities(deps);
  const sendDigestTimes: ActivityTimes = { durations: [], peakConcurrent: 0 };
  // Each digest is timed, whether it goes alone or in a batch.
  const sendDigest = timed(activities.sendDigest, sendDigestTimes);
  const kehoachWorker = await createKehoachWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: KEHOACH_QUEUE,
    activities: { ...activities, sendDigest, sendDigests: createSendDigests(sendDigest) },
  });
  const running = Promise.all([reference.run(), kehoachWorker.run()]);
  return {
    client,
    kehoachWorker,
    sendDigestTimes,
    cpu() {
      const own = process.cpuUsage();
      return { bench: (own.user + own.system) / 1000, server: processCpuMs(server.pid) };
    },
    async stop() {
      reference.shutdown();
      kehoachWorker.shutdown();
      await running;
      await deps.mailer.close();
      await deps.ledger.close();
      await connection.close();
      await nativeConnection.close();
      await server.stop();
    },
  };
}

/**
 * Trivial (or one-activity) workflows per second: `count` of them started `lanes` at a time, each
 * lane starting its next as soon as the last start returned, then all awaited. `lanes` = `count`
 * starts them all at once (one batch).
 */
async function workflowsPerSecond(client: Client, type: string, count: number, lanes = count): Promise<number> {
  const started = performance.now();
  const stamp = Date.now();
  const handles = await inLanes(Array.from({ length: count }, (_, i) => i), lanes, (i) =>
    client.workflow.start(type, { taskQueue: REFERENCE_QUEUE, workflowId: `${type}-${stamp}-${i}`, args: [] }),
  );
  await Promise.all(handles.map((handle) => handle.result()));
  return count / ((performance.now() - started) / 1000);
}

/** Samples of a reference rate: one batch of REFERENCE_COUNT takes a few seconds, and batches of the same server vary two-fold. */
export const REFERENCE_SAMPLES = 5;

/** A reference rate as the median of REFERENCE_SAMPLES batches, with the batches' own rates. */
export interface ReferenceRate {
  median: number;
  samples: number[];
}

async function referenceRate(client: Client, type: string): Promise<ReferenceRate> {
  const samples: number[] = [];
  for (let i = 0; i < REFERENCE_SAMPLES; i += 1) samples.push(await workflowsPerSecond(client, type, REFERENCE_COUNT));
  return { median: medianOf(samples), samples };
}

/** "56.8 (42.4, 61.0, 56.8, 99.1, 60.2)": the median, then each batch in order. */
export function describeRate(rate: ReferenceRate): string {
  return `${rate.median.toFixed(1)} (median of ${rate.samples.map((r) => r.toFixed(1)).join(', ')})`;
}

/** R0: trivial workflows completed per second on this server and worker process. */
export function measureR0(client: Client): Promise<ReferenceRate> {
  return referenceRate(client, 'trivialWorkflow');
}

/**
 * R0 sustained: `count` trivial workflows started `lanes` at a time, as a roll-out starts its duties,
 * then awaited together: the server's pace over a stretch as long as the roll-out's, with no batch
 * end stalling it.
 */
export function measureSustainedR0(client: Client, count: number, lanes: number): Promise<number> {
  return workflowsPerSecond(client, 'trivialWorkflow', count, lanes);
}

/** R0a: workflows of one no-op activity completed per second on this server and worker process. */
export function measureR0a(client: Client): Promise<ReferenceRate> {
  return referenceRate(client, 'oneActivityWorkflow');
}

/** Commune `index`'s copy of a plan: the same duties and units under its own plan id. */
export function communeCopies(plan: ExpandedPlan, count: number, firstIndex = 0): ExpandedPlan[] {
  return Array.from({ length: count }, (_, i) => ({ ...plan, planId: `xa-${String(firstIndex + i).padStart(3, '0')}-${plan.year}` }));
}

/** Workflows a roll-out opens per plan: the plan, its mailroom and one per duty. */
export function workflowsOf(plan: ExpandedPlan): number {
  return plan.duties.length + 2;
}

/**
 * Starts every plan, as many at once as `npm start` does with a folder of plans, and waits until each plan workflow reports every duty
 * running its schedule; returns the seconds it took. `start` defaults to `startPlan` as the CLI does.
 */
export async function rollOut(
  client: Client,
  plans: ExpandedPlan[],
  start: (plan: ExpandedPlan) => Promise<unknown> = (plan) => startPlan(client, KEHOACH_QUEUE, plan),
): Promise<number> {
  const started = performance.now();
  await inLanes(plans, PLANS_AT_ONCE, start);
  for (const plan of plans) {
    for (;;) {
      const view = await getPlanView(client, plan).catch(() => undefined);
      if (view?.status === 'running') break;
      await sleep(100);
    }
  }
  return (performance.now() - started) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects garbage when the process runs with --expose-gc (as `npm run bench` starts it). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The process's resident memory after a garbage collection, in bytes. */
export function settledRss(): number {
  collectGarbage();
  return process.memoryUsage().rss;
}

/**
 * Waits until the worker has had no workflow activation or activity in flight for two seconds: the
 * roll-out's last tasks and their sticky-queue traffic are over.
 */
export async function quietWorker(worker: Worker): Promise<void> {
  let quietSince = performance.now();
  while (performance.now() - quietSince < 2_000) {
    const status = worker.getStatus();
    if (status.numInFlightWorkflowActivations > 0 || status.numInFlightActivities > 0) quietSince = performance.now();
    await sleep(100);
  }
}

/** `settledRss()` and how many workflows the worker keeps cached, read at once: call it on a quiet worker. */
export function workerMemory(worker: Worker): { rss: number; cachedWorkflows: number } {
  return { rss: settledRss(), cachedWorkflows: worker.getStatus().numCachedWorkflows };
}

/** Once the worker is quiet (`quietWorker`): its `workerMemory`. */
export async function settledWorker(worker: Worker): Promise<{ rss: number; cachedWorkflows: number }> {
  await quietWorker(worker);
  return workerMemory(worker);
}

export interface HistorySize {
  workflowId: string;
  events: number;
  bytes: number;
}

export async function historySize(client: Client, workflowId: string): Promise<HistorySize> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { workflowId, events: history.events?.length ?? 0, bytes: proto.temporal.api.history.v1.History.encode(history).finish().length };
}

export type WorkflowKind = 'plan' | 'mailroom' | 'duty';

/**
 * The largest current run of each workflow type among one plan's workflows, by bytes. Every
 * generated commune is a copy of one plan, so one commune's workflows stand for all of them.
 */
export async function largestHistories(client: Client, plan: ExpandedPlan): Promise<Record<WorkflowKind, HistorySize>> {
  const duties = await Promise.all(plan.duties.map((duty) => historySize(client, dutyWorkflowId(plan.planId, plan.year, duty.id))));
  const largestDuty = duties.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return {
    plan: await historySize(client, planWorkflowId(plan.planId, plan.year)),
    mailroom: await historySize(client, mailroomWorkflowId(plan.planId, plan.year)),
    duty: largestDuty,
  };
}

export function describeHistories(histories: Record<WorkflowKind, HistorySize>): string {
  return (['plan', 'mailroom', 'duty'] as const)
    .map((kind) => {
      const h = histories[kind];
      const name = kind === 'duty' ? `duty (${h.workflowId.split(':').pop()})` : kind;
      return `${name} ${h.events} events / ${(h.bytes / 1024).toFixed(0)} KB`;
    })
    .join(', ');
}
