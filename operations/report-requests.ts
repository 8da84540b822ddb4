/**
 * The office asks units of an on-request duty for a report (CLI `duty request`, the status page's
 * form). The occurrences are placed here on the plan's calendar, from the duty's own rules (its
 * status query with `withRules`), and handed to the duty workflow in one validated update.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { formatShortDate, localDateOf } from '../domain/calendar';
import { RequestPlacementError, placeRequestedOccurrences } from '../domain/schedule/requested-occurrence';
import type { Occurrence } from '../domain/schedule/types';
import type { PlanPeriod } from '../domain/plan/period';
import { dutyWorkflowId } from '../domain/keys/workflow-ids';
import { requestReportUpdate } from '../workflows/messages';
import type { ReportRequestResult } from '../workflows/types';
import { UserError } from '../domain/user-error';
import { getDutyStatus, translateFailure, type PlanRef } from './plan-client';

export interface ReportRequestInput {
  dutyId: string;
  /** Unit ids, or ids of groups among the duty's assignees. */
  targets: string[];
  /** Local 'YYYY-MM-DD'; omitted = the duty's default number of working days. */
  deadline?: string;
  content?: string;
  requestedBy?: string;
  /** Idempotency key; omitted = derived from the request day, units, deadline and content. */
  requestId?: string;
}

export interface PlacedRequest {
  requestId: string;
  dutyTitle: string;
  timeZone: string;
  occurrences: Occurrence[];
  unitNames: Record<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Resolves the targets and places the request without sending it: what the confirmation step shows. */
/** `planPeriod` is the plan's (from its file: the running duty does not tell it). */
export async function prepareReportRequest(client: Client, ref: PlanRef, input: ReportRequestInput, planPeriod: PlanPeriod, now = new Date()): Promise<PlacedRequest> {
  const status = await getDutyStatus(client, ref, input.dutyId, { withRules: true, withoutOccurrences: true });
  const rules = status.rules;
  if (status.roles?.mode !== 'on-request' || !rules?.request || !rules.calendar || !rules.mailPolicy) {
    throw new UserError(`nhiệm vụ "${status.dutyTitle}" (${input.dutyId}) không phải nhiệm vụ theo yêu cầu (cadence every: on-request); không yêu cầu báo cáo đột xuất được`);
  }
  const askable = Object.keys(rules.request.escalationChains);
  const unitIds = new Set<string>();
  for (const target of input.targets) {
    const group = rules.request.groups[target];
    if (group) group.unitIds.forEach((id) => unitIds.add(id));
    else if (askable.includes(target)) unitIds.add(target);
    else {
      throw new UserError(
        `"${target}" không phải đơn vị hay nhóm có thể được yêu cầu báo cáo "${status.dutyTitle}"; có thể chọn: ${[...Object.keys(rules.request.groups), ...askable].join(', ')}`,
      );
    }
  }
  if (unitIds.size === 0) throw new UserError('cần ít nhất một đơn vị hoặc nhóm được yêu cầu báo cáo (--unit)');
  if (input.deadline !== undefined && !DATE.test(input.deadline)) {
    throw new UserError(`hạn nộp "${input.deadline}" không hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-06-30`);
  }
  const requestedAt = now.toISOString();
  const ordered = askable.filter((id) => unitIds.has(id));
  const requestId = input.requestId ?? defaultRequestId(localDateOf(requestedAt, status.timeZone), ordered, input);
  let occurrences: Occurrence[];
  try {
    occurrences = placeRequestedOccurrences({
      dutyId: input.dutyId,
      unitIds: ordered,
      requestId,
      requestedAt,
      ...(input.deadline ? { deadline: input.deadline } : {}),
      ...(input.content ? { content: input.content } : {}),
      ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
      calendar: rules.calendar,
      timeZone: status.timeZone,
      periodStart: planPeriod.from,
      policy: rules.mailPolicy,
      rules: rules.request,
    });
  } catch (error) {
    if (error instanceof RequestPlacementError) throw new UserError(error.message);
    throw error;
  }
  const unitNames = Object.fromEntries(ordered.map((id) => [id, rules.request?.unitNames[id] ?? id]));
  return { requestId, dutyTitle: status.dutyTitle, timeZone: status.timeZone, occurrences, unitNames };
}

/** Same day, units, deadline and content give the same id: sending twice adds nothing. */
function defaultRequestId(requestDate: string, unitIds: string[], input: ReportRequestInput): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([input.dutyId, unitIds, input.deadline ?? null, input.content?.trim() ?? '']), 'utf8')
    .digest('hex')
    .slice(0, 6);
  return `${requestDate}-${digest}`;
}

export async function sendReportRequest(client: Client, ref: PlanRef, placed: PlacedRequest): Promise<ReportRequestResult> {
  return client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, placed.occurrences[0]?.dutyId ?? ''))
    .executeUpdate(requestReportUpdate, { args: [{ requestId: placed.requestId, occurrences: placed.occurrences }] })
    .catch(translateFailure);
}

export async function requestReport(
  client: Client,
  ref: PlanRef,
  input: ReportRequestInput,
  planPeriod: PlanPeriod,
  now = new Date(),
): Promise<PlacedRequest & ReportRequestResult> {
  const placed = await prepareReportRequest(client, ref, input, planPeriod, now);
  return { ...placed, ...(await sendReportRequest(client, ref, placed)) };
}

export function describeDeadline(occurrence: Occurrence, timeZone: string): string {
  return formatShortDate(localDateOf(new Date(Date.parse(occurrence.dueAt) - 1).toISOString(), timeZone));
}
