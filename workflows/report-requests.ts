/**
 * Ad-hoc report requests: the office asks units of an on-request duty for a report. The client
 * places each occurrence on the plan's calendar (deadline, reminders, overdue notice, escalations);
 * the duty adds it to its state, after which it follows the same reminder, submission and
 * escalation path as any expanded occurrence. Additive only, and idempotent by request id: the same
 * request again adds nothing; a different request under a used id is refused.
 *
 * Requested occurrences are the office's, not the plan file's: an amendment keeps them
 * (`replaceSchedule` in duty-state.ts).
 */
import { requestPeriodKey } from '../domain/schedule/request-key';
import type { Occurrence } from '../domain/schedule/types';
import { toMs } from './instants';
import { refuse } from './refusal';
import { formatInstant } from './vietnamese-text';
import type { DutyState, ReportRequest, ReportRequestResult } from './types';
import { newOccurrenceState } from './duty-state';

const REQUEST_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_REQUEST_ID_LENGTH = 40;

/**
 * The same request sent again (a retried command, a double click): same unit, deadline and wording.
 * Instants derived from the moment of sending (the first mail) may differ and do not count.
 */
function sameRequest(a: Occurrence, b: Occurrence): boolean {
  const substance = (occ: Occurrence) => [occ.unitId, occ.dueAt, occ.periodLabel, occ.request?.id, occ.request?.note];
  return JSON.stringify(substance(a)) === JSON.stringify(substance(b));
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

/** Everything a request must satisfy before it reaches history; refusals are Vietnamese. */
export function validateReportRequest(state: DutyState, request: ReportRequest, nowMs: number): void {
  const title = state.duty.title;
  if (state.cancelled) refuse('cancelled', `Nhiệm vụ "${title}" đã bị hủy, không nhận yêu cầu báo cáo.`);
  if (state.retired) refuse('removed', `Nhiệm vụ "${title}" đã được bỏ khỏi kế hoạch, không nhận yêu cầu báo cáo.`);
  if (state.duty.mode !== 'on-request') {
    refuse('not-on-request', `Nhiệm vụ "${title}" không phải nhiệm vụ theo yêu cầu (on-request); chỉ nhiệm vụ theo yêu cầu mới nhận yêu cầu báo cáo đột xuất.`);
  }
  const id = request?.requestId;
  if (typeof id !== 'string' || !REQUEST_ID.test(id) || id.length > MAX_REQUEST_ID_LENGTH) {
    refuse('bad-request', `Mã yêu cầu "${String(id)}" không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, tối đa ${MAX_REQUEST_ID_LENGTH} ký tự.`);
  }
  const occurrences = Array.isArray(request.occurrences) ? request.occurrences : [];
  if (occurrences.length === 0) refuse('bad-request', 'Yêu cầu báo cáo cần ít nhất một đơn vị.');
  const closesMs = toMs(state.settings.closesAt);
  const seenUnits = new Set<string>();
  for (const occ of occurrences) {
    if (!state.duty.unitIds.includes(occ?.unitId)) {
      refuse('unit-not-assigned', `Đơn vị mã "${String(occ?.unitId)}" không thuộc các đơn vị có thể được yêu cầu báo cáo "${title}".`);
    }
    if (seenUnits.has(occ.unitId)) refuse('bad-request', `Đơn vị "${occ.unitId}" được nêu hai lần trong cùng một yêu cầu.`);
    seenUnits.add(occ.unitId);
    const periodKey = requestPeriodKey(id);
    const wellFormed =
      occ.dutyId === state.duty.id &&
      occ.periodKey === periodKey &&
      occ.key === `${state.duty.id}:${occ.unitId}:${periodKey}` &&
      occ.request?.id === id &&
      isInstant(occ.dueAt) &&
      isInstant(occ.overdueAt) &&
      Array.isArray(occ.remindAt) &&
      occ.remindAt.every((at) => isInstant(at) && toMs(at) < toMs(occ.dueAt)) &&
      Array.isArray(occ.escalations) &&
      occ.escalations.every(
        (step) => isInstant(step?.at) && toMs(step.at) > toMs(occ.dueAt) && state.units.some((unit) => unit.id === step.notifyUnitId && unit.emails.length > 0),
      );
    if (!wellFormed) refuse('bad-schedule', `Lịch của yêu cầu "${id}" cho đơn vị "${occ.unitId}" không hợp lệ.`);
    const existing = state.occurrences.find((os) => os.occurrence.key === occ.key);
    if (existing) {
      if (!sameRequest(existing.occurrence, occ)) {
        refuse('bad-request', `Mã yêu cầu "${id}" đã được dùng cho một yêu cầu khác với đơn vị "${occ.unitId}"; hãy dùng mã khác.`);
      }
      continue;
    }
    if (toMs(occ.dueAt) <= nowMs) refuse('deadline-passed', `Hạn nộp của yêu cầu "${id}" đã qua; hạn phải sau thời điểm yêu cầu.`);
    const last = Math.max(toMs(occ.dueAt), ...occ.escalations.map((step) => toMs(step.at)));
    if (last >= closesMs) {
      refuse('bad-request', `Hạn nộp và các lần báo cấp trên của yêu cầu "${id}" phải trước khi kế hoạch kết thúc theo dõi (${formatInstant(closesMs, state.settings.utcOffsetMinutes)}); hãy chọn hạn sớm hơn.`);
    }
  }
}

/** Adds the occurrences not yet known; the validator has already judged the request. */
export function applyReportRequest(state: DutyState, request: ReportRequest, nowMs: number): ReportRequestResult {
  const added: string[] = [];
  for (const occ of request.occurrences) {
    if (state.occurrences.some((os) => os.occurrence.key === occ.key)) continue;
    state.occurrences.push(newOccurrenceState(occ, nowMs));
    added.push(occ.key);
  }
  return { requestId: request.requestId, added, keys: request.occurrences.map((occ) => occ.key) };
}
