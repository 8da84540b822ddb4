/**
 * Putting a plan on Temporal without any payload that grows with the whole plan: the plan workflow
 * gets a manifest (each duty and the hash of the schedule it should run), the mailroom its
 * directory, and each duty workflow only its own slice, sent by the client straight to it. Every
 * step is idempotent, so running it again after an interruption finishes the job: a duty that
 * already runs the schedule with the wanted hash is left alone.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkingCalendar, localDateOf } from '../domain/calendar';
import { mailSlots } from '../domain/schedule/mail-times';
import type { DutyInfo, ExpandedPlan } from '../domain/schedule/types';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { packSchedule } from '../workflows/duty-pack';
import { dutyAttributes, initialDutyState, unitsForDuty } from '../workflows/duty-state';
import { dutyWorkflowId, mailroomWorkflowId, planWorkflowId } from '../domain/keys/workflow-ids';
import { dutiesRunningSignal, dutyStatusQuery, planQuery, replaceScheduleUpdate } from '../workflows/messages';
import { KEHOACH_DUTY, KEHOACH_NEXT_DEADLINE, KEHOACH_PLAN, KEHOACH_STATUS, KEHOACH_UNITS, KEHOACH_YEAR } from '../workflows/search-attributes';
import type { DutyReport, DutyStart, MailroomInput, PlanManifest, RunSettings, ScheduleReplacement, YearEndReportPlan } from '../workflows/types';
import { inLanes } from './in-lanes';
import { startWorkflow } from './start-workflow';

/** Duties started or updated at once; a plan of a hundred duties should not open a hundred calls. */
export const DUTIES_AT_ONCE = 8;

export type DutySlice = ScheduleReplacement & { scheduleHash: string };

export function dutySlice(plan: ExpandedPlan, duty: DutyInfo): DutySlice {
  const occurrences = plan.occurrences.filter((occ) => occ.dutyId === duty.id);
  const slice: ScheduleReplacement = {
    duty,
    units: unitsForDuty(plan.units, [...duty.unitIds, ...unitsNamedByRoles(duty)], occurrences),
    occurrences,
    planTitle: plan.title,
    supervisorUnitId: plan.supervisorUnitId,
  };
  // Hashed whole, as before packing, so duties started earlier see an unchanged slice as unchanged.
  const scheduleHash = createHash('sha256').update(JSON.stringify(slice), 'utf8').digest('hex').slice(0, 32);
  const { occurrences: _whole, ...rest } = slice;
  return { ...rest, schedule: packSchedule(duty.id, occurrences), scheduleHash };
}

/**
 * The mail time of every working day from the start of the plan year until tracking closes, as far
 * as the plan's calendar reaches: where the mailroom may place mail of its own.
 */
export function mailSlotsFor(plan: ExpandedPlan, settings: RunSettings): string[] {
  const notifyTime = plan.duties.find((duty) => duty.mailPolicy)?.mailPolicy?.notifyTime ?? '08:00';
  const lastDate = localDateOf(settings.closesAt, plan.timeZone);
  return mailSlots(new WorkingCalendar(plan.calendar), plan.timeZone, notifyTime, periodOfPlan(plan).from, lastDate);
}

/** The year-end report the plan mails by itself: its instant, later slots for newer versions, its recipient. */
export function yearEndReportPlanOf(plan: ExpandedPlan, settings: RunSettings): YearEndReportPlan | undefined {
  const setup = plan.yearEndReport;
  const office = plan.units.find((unit) => unit.id === plan.supervisorUnitId);
  if (!setup || !office) return undefined;
  return {
    ...setup,
    slots: mailSlotsFor(plan, settings).filter((slot) => slot > setup.at),
    office: { unitId: office.id, name: office.name, emails: [...office.emails] },
  };
}

/** Partner units, the report's recipient and whom a request may escalate to: the duty needs their names and addresses. */
function unitsNamedByRoles(duty: DutyInfo): string[] {
  const chains = Object.values(duty.request?.escalationChains ?? {}).flat();
  return [
    ...(duty.partnerUnitIds ?? []),
    ...(duty.reportTo ? [duty.reportTo] : []),
    ...chains.filter((id): id is string => id !== null),
  ];
}

export function manifestOf(plan: ExpandedPlan, settings: RunSettings, slices: DutySlice[]): PlanManifest {
  const yearEndReport = yearEndReportPlanOf(plan, settings);
  return {
    planId: plan.planId,
    year: plan.year,
    title: plan.title,
    timeZone: plan.timeZone,
    supervisorUnitId: plan.supervisorUnitId,
    settings,
    duties: slices.map((slice) => ({ dutyId: slice.duty.id, title: slice.duty.title, scheduleHash: slice.scheduleHash })),
    ...(yearEndReport ? { yearEndReport } : {}),
  };
}

async function startUnlessRunning(start: () => Promise<unknown>): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

export async function startMailroom(client: Client, taskQueue: string, plan: ExpandedPlan, settings: RunSettings, mailSlots: string[]): Promise<void> {
  const input: MailroomInput = {
    start: {
      planId: plan.planId,
      year: plan.year,
      ...(plan.period ? { period: plan.period } : {}),
      timeZone: plan.timeZone,
      supervisorUnitId: plan.supervisorUnitId,
      units: plan.units,
      settings,
      mailSlots,
    },
  };
  await startUnlessRunning(() =>
    startWorkflow(client, 'mailroomWorkflow', {
      taskQueue,
      workflowId: mailroomWorkflowId(plan.planId, plan.year),
      args: [input],
      typedSearchAttributes: [
        { key: KEHOACH_PLAN, value: plan.planId },
        { key: KEHOACH_YEAR, value: plan.year },
        { key: KEHOACH_STATUS, value: 'running' },
      ],
    }),
  );
}

/**
 * Every duty wanted runs the schedule of its slice: started with it if it does not run, sent the
 * new slice if it runs another one. After an amendment the plan workflow's own view decides which
 * duties are wanted (`askPlan`), so a client never brings back a duty that a later amendment
 * removed; at start the plan file itself does (the worker may not be polling yet). `resend` names
 * duties an amendment added back or changed: they get the slice whatever they answer now (a
 * retirement signalled a moment ago may not have reached them yet; a slice sent twice changes
 * nothing). Duties whose workflow has closed are left alone.
 */
export async function ensureDutySchedules(
  client: Client,
  taskQueue: string,
  plan: ExpandedPlan,
  settings: RunSettings,
  slices: DutySlice[],
  options: { askPlan?: boolean; resend?: ReadonlySet<string> } = {},
): Promise<void> {
  const planId = planWorkflowId(plan.planId, plan.year);
  const resend = options.resend ?? new Set<string>();
  const wanted = new Set(slices.map((slice) => slice.duty.id));
  if (options.askPlan) {
    const view = await client.workflow.getHandle(planId).query(planQuery);
    for (const duty of view.duties) if (duty.lifecycle !== 'starting' && duty.lifecycle !== 'running') wanted.delete(duty.dutyId);
  }
  /** Duties started here or found running their slice: the plan hears of them in one signal. */
  const confirmed: DutyReport[] = [];
  await inLanes(slices.filter((slice) => wanted.has(slice.duty.id)), DUTIES_AT_ONCE, async (slice) => {
    const workflowId = dutyWorkflowId(plan.planId, plan.year, slice.duty.id);
    const start: DutyStart = {
      planId: plan.planId,
      year: plan.year,
      timeZone: plan.timeZone,
      settings,
      ...slice,
      calendar: plan.calendar,
      planWorkflowId: planId,
      startReportedByClient: true,
      searchAttributesAtStart: true,
    };
    const started = await startUnlessRunning(() => {
      // What the duty's first task would publish, so that task has nothing to upsert (worked out
      // only for a start: a duty already running keeps its own).
      const nowMs = Date.now();
      const attributes = dutyAttributes(initialDutyState(start, nowMs), nowMs);
      return startWorkflow(client, 'dutyWorkflow', {
        taskQueue,
        workflowId,
        args: [{ start }],
        // A duty cancelled with its plan may start again; one that completed its year may not.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        typedSearchAttributes: [
          { key: KEHOACH_PLAN, value: plan.planId },
          { key: KEHOACH_YEAR, value: plan.year },
          { key: KEHOACH_DUTY, value: slice.duty.id },
          { key: KEHOACH_UNITS, value: attributes.units },
          { key: KEHOACH_STATUS, value: attributes.status },
          ...(attributes.nextDeadlineMs === undefined ? [] : [{ key: KEHOACH_NEXT_DEADLINE, value: new Date(attributes.nextDeadlineMs) }]),
        ],
      });
    });
    const runs = (): void => {
      confirmed.push({ dutyId: slice.duty.id, lifecycle: 'running', scheduleHash: slice.scheduleHash });
    };
    if (started) return runs();
    const handle = client.workflow.getHandle(workflowId);
    if (!resend.has(slice.duty.id)) {
      const duty = await handle.query(dutyStatusQuery, { withoutOccurrences: true });
      if (duty.scheduleHash === slice.scheduleHash) return runs();
    }
    if ((await handle.describe()).status.name !== 'RUNNING') return;
    await handle.executeUpdate(replaceScheduleUpdate, { args: [slice] });
  });
  // A duty sent a new slice tells the plan itself once it has applied it (see the duty workflow).
  if (confirmed.length > 0) await client.workflow.getHandle(planId).signal(dutiesRunningSignal, confirmed);
}
