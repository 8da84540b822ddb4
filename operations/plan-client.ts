/**
 * Client-side operations on running plans: start, amend, cancel, query and the messages units
 * send (submissions, extensions, waivers). The CLI commands and the web layer call these; all
 * calendar work (offsets, end of a local day) happens here, never in workflow code.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import { CalendarInputError, endOfLocalDay } from '../domain/calendar';
import { rescheduleMail } from '../domain/schedule/mail-times';
import { loadPlanFile } from '../domain/plan/load';
import { readSubmission, type ReportField } from '../domain/report-fields';
import { formatProblems, type PlanProblem } from '../domain/plan/problems';
import { expandPlan } from '../domain/schedule/expand';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import type { PlanPeriod } from '../domain/plan/period';
import type { ExpandedPlan } from '../domain/schedule/types';
import { dutyWorkflowId, planWorkflowId } from '../domain/keys/workflow-ids';
import { dutySlice, ensureDutySchedules, mailSlotsFor, manifestOf, startMailroom } from './plan-rollout';
import { startWorkflow } from './start-workflow';

export { mailSlotsFor };
import {
  amendManifestUpdate,
  amendUpdate,
  decideExtensionUpdate,
  dutyStatusQuery,
  mailOutageQuery,
  failedDeliveriesQuery,
  mailroomQuery,
  planQuery,
  requestExtensionUpdate,
  updateDirectorySignal,
  updateMailSlotsSignal,
  submitManyUpdate,
  submitUpdate,
  waiveUpdate,
} from '../workflows/messages';
import { REFUSAL_FAILURE_TYPE } from '../workflows/refusal';
import type {
  SubmissionRequest,
  AmendmentSummary,
  DutyStatusView,
  ExtensionDecision,
  ExtensionRecord,
  FieldValue,
  MailOutage,
  DeliveryRecord,
  MailroomView,
  PlanInput,
  PlanView,
  Receipt,
  RunSettings,
  StatusFilter,
  WaiverRecord,
} from '../workflows/types';
import { UserError } from '../domain/user-error';

export interface PlanRef {
  planId: string;
  year: number;
}

/** A refusal by a workflow validator, or a plan that fails validation: the message is for the user. */
export class RefusedError extends UserError {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** Which report of a batch (`submitReports`) was refused, from 0. */
    readonly batchIndex?: number,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

export const DEFAULT_MAIL_COLLECTION_WINDOW_MS = 5 * 60_000;
export const DEFAULT_HISTORY_EVENT_LIMIT = 1_800;

/**
 * Offsets are taken at the start of the plan period: the plan's zone must have a fixed offset
 * (Asia/Ho_Chi_Minh has had no DST since 1975). Tracking closes at the end of the plan period, or
 * one day after the last scheduled instant if something runs past it.
 */
export function runSettingsFor(plan: ExpandedPlan, overrides: Partial<RunSettings> = {}): RunSettings {
  const period = periodOfPlan(plan);
  const yearStart = DateTime.fromISO(period.from, { zone: plan.timeZone });
  const yearEnd = DateTime.fromISO(period.to, { zone: plan.timeZone }).plus({ days: 1 });
  if (yearStart.offset !== yearEnd.offset) {
    throw new UserError(`múi giờ ${plan.timeZone} đổi giờ trong thời gian kế hoạch; hệ thống chỉ hỗ trợ múi giờ có độ lệch cố định`);
  }
  let lastMs = yearEnd.toMillis();
  for (const occ of plan.occurrences) {
    for (const instant of [occ.dueAt, ...occ.escalations.map((step) => step.at)]) {
      lastMs = Math.max(lastMs, Date.parse(instant) + 86_400_000);
    }
  }
  return {
    utcOffsetMinutes: yearStart.offset,
    closesAt: new Date(lastMs).toISOString(),
    mailCollectionWindowMs: DEFAULT_MAIL_COLLECTION_WINDOW_MS,
    historyEventLimit: DEFAULT_HISTORY_EVENT_LIMIT,
    ...(plan.yearEndReport ? { yearEndReportAt: plan.yearEndReport.at } : {}),
    ...overrides,
  };
}

/** Loads, validates and expands a plan file; a plan with problems never reaches Temporal. */
export async function expandPlanFile(file: string, options: { from?: string } = {}): Promise<ExpandedPlan> {
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) throw new PlanInvalidError(loaded.problems);
  return expandPlan(loaded.plan, options.from ? { from: options.from } : {});
}

export class PlanInvalidError extends UserError {
  constructor(readonly problems: PlanProblem[]) {
    super(`kế hoạch có ${problems.length} lỗi, chưa khởi chạy gì:\n${formatProblems(problems)}`);
    this.name = 'PlanInvalidError';
  }
}

export interface StartResult {
  started: boolean;
  workflowId: string;
  title: string;
}

/**
 * Starting the same plan and year twice starts nothing new: the workflow ID is the plan's identity.
 * A plan that was cancelled or failed may be started again.
 */
export async function startPlan(
  client: Client,
  taskQueue: string,
  plan: ExpandedPlan,
  overrides: Partial<RunSettings> = {},
): Promise<StartResult> {
  const workflowId = planWorkflowId(plan.planId, plan.year);
  const settings = runSettingsFor(plan, overrides);
  const slices = plan.duties.map((duty) => dutySlice(plan, duty));
  let started = true;
  try {
    await startWorkflow(client, 'planWorkflow', {
      taskQueue,
      workflowId,
      args: [{ start: manifestOf(plan, settings, slices) } satisfies PlanInput],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    started = false;
  }
  // A plan already running under the manifest design still gets any duty its start missed (a
  // start interrupted half-way); older plans and finished ones are left as they are.
  const description = started ? undefined : await client.workflow.getHandle(workflowId).describe();
  if (started || (description?.type === 'planWorkflow' && description.status.name === 'RUNNING')) {
    await startMailroom(client, taskQueue, plan, settings, mailSlotsFor(plan, settings));
    await ensureDutySchedules(client, taskQueue, plan, settings, slices);
  }
  return { started, workflowId, title: plan.title };
}

/** The plan the user means: the one named, or the only one running. */
export async function resolvePlanRef(client: Client, given: { planId?: string; year?: number }): Promise<PlanRef> {
  if (given.planId && given.year) return { planId: given.planId, year: given.year };
  const found: PlanRef[] = [];
  const query = "WorkflowType IN ('planWorkflow', 'planYearWorkflow') AND ExecutionStatus = 'Running'";
  for await (const execution of client.workflow.list({ query })) {
    const match = /^kehoach:(.+):(\d{4})$/.exec(execution.workflowId);
    if (!match) continue;
    const ref = { planId: match[1] as string, year: Number(match[2]) };
    if (given.planId && ref.planId !== given.planId) continue;
    if (given.year && ref.year !== given.year) continue;
    found.push(ref);
  }
  if (found.length === 1) return found[0] as PlanRef;
  if (found.length === 0) throw new UserError('không có kế hoạch nào đang chạy; hãy khởi chạy bằng lệnh "start" hoặc chỉ rõ --plan và --year');
  throw new UserError(
    `đang có ${found.length} kế hoạch chạy (${found.map((r) => `${r.planId} ${r.year}`).join(', ')}); hãy chỉ rõ --plan và --year`,
  );
}

export function translateFailure(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === REFUSAL_FAILURE_TYPE) {
      const [code, context] = Array.isArray(cause.details) ? (cause.details as unknown[]) : [];
      const batchIndex = (context as { batchIndex?: unknown } | undefined)?.batchIndex;
      throw new RefusedError(cause.message, typeof code === 'string' ? code : undefined, typeof batchIndex === 'number' ? batchIndex : undefined);
    }
  }
  if (err instanceof WorkflowNotFoundError) {
    throw new UserError('không tìm thấy tiến trình của kế hoạch hoặc nhiệm vụ này (kiểm tra mã kế hoạch, năm và mã nhiệm vụ)');
  }
  throw err;
}

export async function getPlanView(client: Client, ref: PlanRef): Promise<PlanView> {
  return client.workflow.getHandle(planWorkflowId(ref.planId, ref.year)).query(planQuery).catch(translateFailure);
}

export async function getMailroomView(client: Client, ref: PlanRef): Promise<MailroomView> {
  const plan = await getPlanView(client, ref);
  return client.workflow.getHandle(plan.mailroomWorkflowId).query(mailroomQuery);
}

/** The plan's deliveries that failed for good this year (the office's mail log). */
export async function getFailedDeliveries(client: Client, ref: PlanRef): Promise<DeliveryRecord[]> {
  const plan = await getPlanView(client, ref);
  return client.workflow.getHandle(plan.mailroomWorkflowId).query(failedDeliveriesQuery);
}

/** Whether the plan's mail is failing right now (null when it is not). */
export async function getMailOutage(client: Client, plan: PlanView): Promise<MailOutage | null> {
  return client.workflow.getHandle(plan.mailroomWorkflowId).query(mailOutageQuery);
}

export async function getDutyStatus(client: Client, ref: PlanRef, dutyId: string, filter: StatusFilter = {}): Promise<DutyStatusView> {
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, dutyId))
    .query(dutyStatusQuery, filter)
    .catch(translateFailure);
}

/** Status of every duty of the plan (those removed by an amendment, or still starting, left out). */
export async function getPlanStatus(client: Client, ref: PlanRef, filter: StatusFilter = {}): Promise<DutyStatusView[]> {
  const plan = await getPlanView(client, ref);
  const duties = plan.duties.filter((duty) => duty.lifecycle !== 'removed' && duty.lifecycle !== 'starting');
  return Promise.all(duties.map((duty) => getDutyStatus(client, ref, duty.dutyId, filter)));
}

/** A submission as the duty workflow takes it, and the duty it is for. */
export type SubmissionInput = SubmissionRequest & { dutyId: string };

export async function submitReport(client: Client, ref: PlanRef, input: SubmissionInput): Promise<Receipt> {
  const { dutyId, ...request } = input;
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, dutyId))
    .executeUpdate(submitUpdate, { args: [request] })
    .catch(translateFailure);
}

/**
 * Several units' reports of one duty in one update, recorded in the order given, all or nothing
 * (workflows/submission-batch.ts): the receipts come back in that order.
 */
export async function submitReports(client: Client, ref: PlanRef, dutyId: string, submissions: SubmissionRequest[]): Promise<Receipt[]> {
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, dutyId))
    .executeUpdate(submitManyUpdate, { args: [submissions] })
    .catch(translateFailure);
}

/**
 * Field values from a command line (text) or a report file (JSON) read with the same rules as the
 * web form and the workflow's validator (domain/report-fields): "1.000" is a thousand, "có" is yes.
 * Every refused field is reported at once, before anything is sent.
 */
export async function coerceFields(
  client: Client,
  ref: PlanRef,
  dutyId: string,
  raw: Record<string, unknown>,
): Promise<Record<string, FieldValue>> {
  const [values] = await coerceFieldLists(client, ref, dutyId, [raw], () => '');
  return values as Record<string, FieldValue>;
}

/**
 * The same for several reports of one duty (`submitReports`): every refused field of every report
 * at once, each line naming its report by `where(index)`.
 */
export async function coerceFieldLists(
  client: Client,
  ref: PlanRef,
  dutyId: string,
  raws: Record<string, unknown>[],
  where: (index: number) => string,
): Promise<Record<string, FieldValue>[]> {
  const status = await getDutyStatus(client, ref, dutyId, { withoutOccurrences: true });
  return readFieldLists(status.fields, raws, where);
}

/** `coerceFieldLists` for a caller that has the duty's fields already. */
export function readFieldLists(
  fields: readonly ReportField[],
  raws: Record<string, unknown>[],
  where: (index: number) => string,
): Record<string, FieldValue>[] {
  const lines: string[] = [];
  const values = raws.map((raw, index) => {
    const reading = readSubmission(fields, raw);
    for (const problem of reading.problems) lines.push(`${where(index)}${problem.message}`);
    return reading.values;
  });
  if (lines.length > 0) throw new UserError(lines.join('\n'));
  return values;
}

/** End of a local calendar day (24:00) in the plan's zone, the instant a deadline means. */
function deadlineInstant(localDate: string, timeZone: string): string {
  try {
    return endOfLocalDay(localDate, timeZone);
  } catch (err) {
    if (!(err instanceof CalendarInputError)) throw err;
    throw new UserError(`ngày "${localDate}" không hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-20`);
  }
}

export interface ExtensionInput {
  dutyId: string;
  unitId: string;
  periodKey: string;
  untilLocalDate: string;
  reason: string;
  requestedBy?: string;
}

export async function requestExtension(client: Client, ref: PlanRef, input: ExtensionInput): Promise<ExtensionRecord> {
  const status = await getDutyStatus(client, ref, input.dutyId, { withoutOccurrences: true });
  const until = deadlineInstant(input.untilLocalDate, status.timeZone);
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, input.dutyId))
    .executeUpdate(requestExtensionUpdate, {
      args: [
        {
          unitId: input.unitId,
          periodKey: input.periodKey,
          until,
          reason: input.reason,
          ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
        },
      ],
    })
    .catch(translateFailure);
}

/**
 * An approval carries the new deadline's mail instants, placed on the plan's calendar here (the
 * workflow only receives instants). Duties started before they kept their calendar shift the old way.
 * `planPeriod` is the plan's (domain/plan/period.ts; the running duty does not tell it): no reminder
 * of the new deadline goes out before the period starts, as none of the original ones did.
 */
export async function decideExtension(
  client: Client,
  ref: PlanRef,
  input: { dutyId: string; unitId: string; periodKey: string; approve: boolean; note?: string; decidedBy?: string },
  planPeriod: PlanPeriod,
): Promise<ExtensionRecord> {
  const { dutyId, ...decision } = input;
  let schedule: ExtensionDecision['schedule'];
  if (input.approve) {
    const status = await getDutyStatus(client, ref, dutyId, { unitId: input.unitId, withRules: true });
    schedule = approvedExtensionMail(status, input.periodKey, planPeriod);
  }
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, dutyId))
    .executeUpdate(decideExtensionUpdate, { args: [{ ...decision, ...(schedule ? { schedule } : {}) }] })
    .catch(translateFailure);
}

/** The mail of the pending extension's new deadline, or nothing when the duty cannot place it (older runs). */
export function approvedExtensionMail(status: DutyStatusView, periodKey: string, planPeriod: PlanPeriod): ExtensionDecision['schedule'] {
  const occurrence = status.occurrences.find((occ) => occ.periodKey === periodKey);
  const pending = occurrence?.extensions.find((record) => record.status === 'pending');
  const rules = status.rules;
  if (!occurrence || !pending || !rules?.calendar || !rules.mailPolicy) return undefined;
  return rescheduleMail({
    calendar: rules.calendar,
    timeZone: status.timeZone,
    periodStart: planPeriod.from,
    policy: rules.mailPolicy,
    dueAt: pending.until,
    ...(occurrence.eventAt ? { eventAt: occurrence.eventAt } : {}),
  });
}

export async function waiveOccurrence(
  client: Client,
  ref: PlanRef,
  input: { dutyId: string; unitId: string; periodKey: string; reason: string; waivedBy?: string },
): Promise<WaiverRecord> {
  const { dutyId, ...request } = input;
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, dutyId))
    .executeUpdate(waiveUpdate, { args: [request] })
    .catch(translateFailure);
}

/**
 * Plans under the manifest design get the amended manifest, then each duty its new slice straight
 * from here; plans started before it get the whole amended plan, as they always did.
 */
export async function amendPlan(client: Client, plan: ExpandedPlan): Promise<AmendmentSummary> {
  const handle = client.workflow.getHandle(planWorkflowId(plan.planId, plan.year));
  const description = await handle.describe().catch(translateFailure);
  const view = await handle.query(planQuery).catch(translateFailure);
  const settings = view.settings ?? runSettingsFor(plan);
  // Also how a plan started before working-day mail times learns them: its mailroom gets the
  // calendar's mail slots, its duties a schedule with overdue and minutes-request instants.
  const mailroom = client.workflow.getHandle(view.mailroomWorkflowId);
  if (description.type === 'planYearWorkflow') {
    const summary = await handle.executeUpdate(amendUpdate, { args: [plan] }).catch(translateFailure);
    await mailroom.signal(updateMailSlotsSignal, mailSlotsFor(plan, settings));
    return summary;
  }
  const slices = plan.duties.map((duty) => dutySlice(plan, duty));
  const summary = await handle.executeUpdate(amendManifestUpdate, { args: [manifestOf(plan, settings, slices)] }).catch(translateFailure);
  await mailroom.signal(updateDirectorySignal, plan.units);
  await mailroom.signal(updateMailSlotsSignal, mailSlotsFor(plan, settings));
  await ensureDutySchedules(client, description.taskQueue, plan, settings, slices, {
    askPlan: true,
    resend: new Set([...summary.added, ...summary.changed]),
  });
  return summary;
}

export async function cancelPlan(client: Client, ref: PlanRef): Promise<void> {
  await client.workflow.getHandle(planWorkflowId(ref.planId, ref.year)).cancel().catch(translateFailure);
}
