/**
 * Plays a plan's whole year with the real workflows and activities on a private time-skipping
 * server: a worker built like the production one, mail into the simulation's own outbox, a plan id
 * and task queue marked as simulation, so nothing reaches the dev server, the real data directory
 * or a mail server.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type KehoachActivities } from '../activities';
import { buildActivityDeps } from '../activities/deps';
import { createMemoryDeliveryLedger } from '../activities/mail/delivery-ledger-memory';
import { createWriteBehindOutboxMailer, outboxDir } from '../activities/mail/outbox-mailer';
import type { Mailer } from '../activities/mail/mailer';
import {
  decideExtension,
  getPlanStatus,
  requestExtension,
  runSettingsFor,
  startPlan,
  submitReport,
  submitReports,
  waiveOccurrence,
  type PlanRef,
} from '../operations/plan-client';
import type { ExpandedPlan } from '../domain/schedule/types';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { monthCounter } from './progress';
import { bundleKehoachWorkflows } from '../worker/bundle';
import { createKehoachWorker } from '../worker/create-worker';
import { mailroomWorkflowId, planWorkflowId } from '../domain/keys/workflow-ids';
import type { DutyStatusView, PlanYearResult } from '../workflows/types';
import { MAX_SUBMISSIONS_PER_BATCH } from '../workflows/submission-batch';
import type { DeliveryLog, DeliveryRecord as LedgerRecord } from '../activities/mail/delivery-ledger';
import { buildScript, occurrenceTarget, type BehaviourMix, type ScriptedAction, type SimulationScript } from './script';
import { startTimeSkippingServer, type TimeSkippingServer } from './time-skipping-server';
import { launchSimulationServer, simulationStartedAt } from './simulation-server';
import type { LaunchedServer } from '../provision/server-process';

/** Marks the plan id, and so every workflow id, of a simulated year. */
export const SIMULATION_SUFFIX = '-mo-phong';
export const SIMULATION_TASK_QUEUE = 'kehoach-mo-phong';

/** No step of a simulated year takes this long unless the server has stalled. */
const STEP_TIMEOUT_MS = 90_000;

/** A simulated year that could not be finished, told in Vietnamese: the CLI prints the message alone. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

export class SimulationStalledError extends SimulationError {
  constructor(what: string) {
    super(
      `máy chủ tua nhanh thời gian không tiến thêm sau ${STEP_TIMEOUT_MS / 1000} giây (${what}); ` +
        'kết quả mô phỏng lần này không dùng được, hãy chạy lại lệnh (có thể đổi --seed).',
    );
    this.name = 'SimulationStalledError';
  }
}

async function step<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SimulationStalledError(what)), STEP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SimulationRunOptions {
  plan: ExpandedPlan;
  seed: number;
  mix: BehaviourMix;
  /** The simulation's own data directory (its outbox and the files of `outputs.ts`). Emptied first. */
  dir: string;
  mailFrom: string;
  publicUrl: string;
  /** Called as the simulated clock enters each month of the plan period (1–12, from its first month). */
  onMonth?: (month: number) => void;
  log?: (line: string) => void;
  /** The server, launched by `launchSimulationServer` for this plan; launched here when absent. Stopped at the end. */
  server?: LaunchedServer;
  /** When the run began (`Date.now()` before launching the server), for `wallMs`; now when absent. */
  wallStart?: number;
  /**
   * Called once the year has ended, before the private server stops: the only moment its histories
   * can be read (the simulation benchmark counts the year's workflow tasks there).
   */
  inspect?: (client: Client, plan: ExpandedPlan) => Promise<void>;
}

export interface SimulationRun {
  plan: ExpandedPlan;
  script: SimulationScript;
  startedAt: string;
  closesAt: string;
  views: DutyStatusView[];
  /** What the mail server took or refused this year, from the simulation's delivery ledger. */
  deliveries: LedgerRecord[];
  result: PlanYearResult;
  wallMs: number;
}

export function simulatedPlan(plan: ExpandedPlan): ExpandedPlan {
  return { ...plan, planId: `${plan.planId}${SIMULATION_SUFFIX}`, title: `${plan.title} (mô phỏng)` };
}

async function perform(client: Client, ref: PlanRef, plan: ExpandedPlan, action: ScriptedAction): Promise<unknown> {
  const target = occurrenceTarget(plan, action.occurrenceKey);
  switch (action.kind) {
    case 'submit':
      return submitReport(client, ref, { ...target, fields: action.fields, submittedBy: 'mô phỏng' });
    case 'request-extension':
      return requestExtension(client, ref, { ...target, untilLocalDate: action.untilLocalDate, reason: 'Mô phỏng: đơn vị xin thêm thời gian', requestedBy: 'mô phỏng' });
    case 'approve-extension':
      return decideExtension(client, ref, { ...target, approve: true, decidedBy: 'mô phỏng' }, periodOfPlan(plan));
    case 'waive':
      return waiveOccurrence(client, ref, { ...target, reason: 'Mô phỏng: cơ quan thường trực miễn', waivedBy: 'mô phỏng' });
  }
}

type SubmitAction = Extract<ScriptedAction, { kind: 'submit' }>;

/** A call to a duty: one action, or reports in a row that travel together in one update. */
export type DutyStep = { one: ScriptedAction } | { reports: SubmitAction[] };

/** One duty's actions of one instant as the calls that carry them, in script order (reference numbers follow it). */
export function dutySteps(actions: ScriptedAction[]): DutyStep[] {
  const steps: DutyStep[] = [];
  for (const action of actions) {
    const last = steps.at(-1);
    if (action.kind !== 'submit') steps.push({ one: action });
    else if (last && 'reports' in last && last.reports.length < MAX_SUBMISSIONS_PER_BATCH) last.reports.push(action);
    else if (last && 'one' in last && last.one.kind === 'submit') steps[steps.length - 1] = { reports: [last.one, action] };
    else steps.push({ one: action });
  }
  return steps;
}

function stepText(step: DutyStep): string {
  return ('one' in step ? [step.one] : step.reports).map((action) => `${action.kind} ${action.occurrenceKey}`).join(', ');
}

async function performStep(client: Client, ref: PlanRef, plan: ExpandedPlan, step: DutyStep): Promise<unknown> {
  if ('one' in step) return perform(client, ref, plan, step.one);
  const targets = step.reports.map((action) => ({ ...occurrenceTarget(plan, action.occurrenceKey), fields: action.fields }));
  const submissions = targets.map(({ unitId, periodKey, fields }) => ({ unitId, periodKey, fields, submittedBy: 'mô phỏng' }));
  return submitReports(client, ref, targets[0]?.dutyId ?? '', submissions);
}

/** The script's actions instant by instant, and at each instant duty by duty, in script order. */
export function actionsByInstant(plan: ExpandedPlan, actions: ScriptedAction[]): { at: string; byDuty: ScriptedAction[][] }[] {
  const instants: { at: string; duties: Map<string, ScriptedAction[]> }[] = [];
  for (const action of actions) {
    let current = instants.at(-1);
    if (current?.at !== action.at) {
      current = { at: action.at, duties: new Map() };
      instants.push(current);
    }
    const { dutyId } = occurrenceTarget(plan, action.occurrenceKey);
    current.duties.set(dutyId, [...(current.duties.get(dutyId) ?? []), action]);
  }
  return instants.map(({ at, duties }) => ({ at, byDuty: [...duties.values()] }));
}

/**
 * The SDK's own INFO lines (worker state, every digest sent) would bury the progress bar, and the
 * native core writes its warnings to stdout, where `--json` output goes: errors only, on stderr.
 */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR', (entry) => process.stderr.write(`${entry.level} ${entry.message} ${JSON.stringify(entry.meta ?? {})}\n`)),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} } },
    });
  } catch {
    // Installed already (by an earlier simulation in this process, or a test's setup).
  }
}

export async function runSimulation(options: SimulationRunOptions): Promise<SimulationRun> {
  const wallStart = options.wallStart ?? Date.now();
  const launched = options.server ?? (await launchSimulationServer(options.plan, options.log));
  let server: TimeSkippingServer;
  let bundling: Promise<WorkflowBundleWithSourceMap>;
  let activities: KehoachActivities;
  let ledger: DeliveryLog;
  let mailer: Mailer;
  try {
    // Bundling (seconds of CPU the first time, webpack then reuses its build cache) runs while the
    // JVM boots.
    bundling = bundleKehoachWorkflows({ cache: true });
    bundling.catch(() => {}); // awaited below; a server that fails to start must not leave it unhandled
    quietRuntime();
    await rm(options.dir, { recursive: true, force: true });
    await mkdir(options.dir, { recursive: true });
    const deps = {
      ...buildActivityDeps({
        mailFrom: options.mailFrom,
        publicUrl: options.publicUrl,
        dataDir: options.dir,
        // A secret of its own: links in simulated mail open nothing on the real web app.
        linkSecret: randomBytes(32).toString('hex'),
      }),
      // One worker, one process, never resumed: its ledger need not outlive it (see the module), and
      // its outbox is written behind the activities instead of holding the simulated clock.
      ledger: createMemoryDeliveryLedger(),
      mailer: createWriteBehindOutboxMailer(options.dir),
    };
    activities = createActivities(deps);
    ledger = deps.ledger;
    mailer = deps.mailer;
    server = await startTimeSkippingServer({ launched });
  } catch (err) {
    await launched.stop();
    throw err;
  }
  const plan = simulatedPlan(options.plan);
  const zone = plan.timeZone;
  const period = periodOfPlan(plan);
  const startedAt = simulationStartedAt(plan);
  const settings = runSettingsFor(plan);
  try {
    const client = server.env.client;
    const ref: PlanRef = { planId: plan.planId, year: plan.year };
    // The simulation writes its own report, marked as simulated in every page header, so the
    // plan does not mail the year-end report by itself (the outbox holds digests only).
    const { yearEndReport: _mailedByThePlan, ...withoutMailedReport } = plan;
    // The server's clock stands still until the script sleeps, so the plan can start while the
    // worker loads the bundle: its first tasks wait for the worker.
    const planStarting = startPlan(client, SIMULATION_TASK_QUEUE, withoutMailedReport);
    planStarting.catch(() => {}); // awaited below; a worker that fails to start must not leave it unhandled
    const worker = await createKehoachWorker({
      connection: server.env.nativeConnection,
      namespace: 'default',
      taskQueue: SIMULATION_TASK_QUEUE,
      activities,
      workflowBundle: await bundling,
    });
    const running = worker.run();
    try {
      await planStarting;
      const script = buildScript(options.plan, { seed: options.seed, mix: options.mix, startedAt: Date.parse(startedAt) });

      const enterMonthsUpTo = monthCounter(period.from, zone, options.onMonth);
      enterMonthsUpTo(startedAt);
      for (const { at, byDuty } of actionsByInstant(plan, script.actions)) {
        await step(`đến ${at}`, server.sleepUntil(at));
        enterMonthsUpTo(at);
        // Each duty is a workflow of its own and takes its actions in script order (its reference
        // numbers follow that order); different duties take theirs at the same time. Nothing one
        // duty does at that instant reaches another: only a decision mails (the mailroom), and
        // decisions are a quarter of an hour apart.
        await Promise.all(
          byDuty.map(async (actions) => {
            for (const call of dutySteps(actions)) await step(stepText(call), performStep(client, ref, plan, call));
          }),
        );
      }
      // Every deadline, notice and escalation lies before tracking closes; read the status just before.
      await step('cuối năm', server.sleepUntil(Date.parse(settings.closesAt) - 60_000));
      enterMonthsUpTo(settings.closesAt);
      const views = await step('đọc tình hình', getPlanStatus(client, ref));
      const result: PlanYearResult = await step('kết thúc kế hoạch', client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result());
      await step('kết thúc gửi thư', client.workflow.getHandle(mailroomWorkflowId(plan.planId, plan.year)).result());
      // The preview counts every delivery of the year: the ledger has them all (the mailroom keeps recent ones).
      const deliveries = await step('đọc sổ gửi thư', ledger.list(plan.planId));
      await mailer.close().catch((err: unknown) => {
        const code = (err as NodeJS.ErrnoException | undefined)?.code;
        throw new SimulationError(
          `không ghi được thư mô phỏng vào ${outboxDir(options.dir)}${code ? ` (mã lỗi hệ thống ${code})` : ''}; hãy kiểm tra chỗ trống và quyền ghi của thư mục rồi chạy lại lệnh.`,
        );
      });
      const wallMs = Date.now() - wallStart;
      await options.inspect?.(client, plan);
      return { plan, script, startedAt, closesAt: settings.closesAt, views, deliveries, result, wallMs };
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await server.stop();
  }
}
