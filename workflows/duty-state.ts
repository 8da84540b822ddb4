/**
 * The state machine of one duty, as pure functions over plain JSON state. The duty workflow only
 * adds timers, messages and the mailroom signal around it, so all rules here are testable without
 * a Temporal server and behave identically on replay.
 */
import type { DigestItem, DigestItemKind } from '../activities/mail/types';
import type { Occurrence, UnitInfo } from '../domain/schedule/types';
import { isPackedDutyState, occurrencesOf, unpackDutyState, type PackedDutyState } from './duty-pack';
import { nextSameTimeOfDay, toIso, toMs } from './instants';
import { refuse } from './refusal';
import { escalationNoticeId, extensionDecisionId, overdueNoticeId, timedNoticeId, type TimedNoticeKind } from '../domain/keys/notification-ids';
import type {
  AmendmentSummary,
  DutyOverallStatus,
  DutyStart,
  DutyState,
  DutyStatusView,
  ExtensionDecision,
  ExtensionRecord,
  ExtensionRequest,
  FieldValue,
  MailEnvelope,
  OccurrenceState,
  OccurrenceStatus,
  OccurrenceView,
  Receipt,
  ScheduleReplacement,
  StatusFilter,
  SubmissionRequest,
  WaiverRecord,
  WaiverRequest,
} from './types';
import { formatDeadline, formatInstant } from './vietnamese-text';
import { checkFieldValue, checkSubmission } from '../domain/report-fields/rules';

/** Largest accepted submission, as UTF-8 JSON; keeps histories small and well under payload limits. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

export interface PlannedNotification {
  id: string;
  atMs: number;
  /** Built when first read: most planned notifications are only compared with the sent ids. */
  readonly envelope: MailEnvelope;
}

function planned(id: string, atMs: number, build: () => MailEnvelope): PlannedNotification {
  let envelope: MailEnvelope | undefined;
  return {
    id,
    atMs,
    get envelope() {
      envelope ??= build();
      return envelope;
    },
  };
}

export function newOccurrenceState(occurrence: Occurrence, nowMs: number): OccurrenceState {
  return {
    occurrence,
    dueAt: occurrence.dueAt,
    remindFrom: toIso(nowMs),
    beforeTracking: toMs(occurrence.dueAt) <= nowMs,
    removed: false,
    extensions: [],
  };
}

export function initialDutyState(start: DutyStart, nowMs: number): DutyState {
  return {
    planId: start.planId,
    year: start.year,
    timeZone: start.timeZone,
    planTitle: start.planTitle,
    supervisorUnitId: start.supervisorUnitId,
    duty: start.duty,
    units: start.units,
    settings: start.settings,
    ...(start.calendar ? { calendar: start.calendar } : {}),
    ...(start.planWorkflowId ? { planWorkflowId: start.planWorkflowId } : {}),
    ...(start.scheduleHash ? { scheduleHash: start.scheduleHash } : {}),
    ...(start.startReportedByClient ? { startReportedByClient: true } : {}),
    ...(start.searchAttributesAtStart ? { searchAttributesAtStart: true } : {}),
    occurrences: occurrencesOf(start).map((occurrence) => newOccurrenceState(occurrence, nowMs)),
    sentNotificationIds: [],
    nextReferenceNumber: 1,
    scheduleVersion: 1,
    cancelled: false,
    runs: 1,
  };
}

/** The state a continued run resumes with, packed (since packing) or whole (runs continued before). */
export function resumedDutyState(resume: DutyState | PackedDutyState): DutyState {
  return isPackedDutyState(resume) ? unpackDutyState(resume) : resume;
}

/** Unit names by id, per directory list (a duty of 200 units names thousands of items at a wake). */
const namesByDirectory = new WeakMap<UnitInfo[], Map<string, string>>();

function unitName(state: DutyState, unitId: string): string {
  let names = namesByDirectory.get(state.units);
  if (!names) {
    names = new Map(state.units.map((unit) => [unit.id, unit.name]));
    namesByDirectory.set(state.units, names);
  }
  return names.get(unitId) ?? unitId;
}

function isOpen(os: OccurrenceState): boolean {
  return !os.removed && !os.submission && !os.waiver;
}

function digestItem(
  state: DutyState,
  os: OccurrenceState,
  id: string,
  kind: DigestItemKind,
  extra: Partial<Pick<DigestItem, 'level' | 'note'>> = {},
): DigestItem {
  const occ = os.occurrence;
  return {
    id,
    kind,
    occurrenceKey: occ.key,
    dutyId: state.duty.id,
    dutyTitle: state.duty.title,
    dutyKind: state.duty.kind,
    unitId: occ.unitId,
    unitName: unitName(state, occ.unitId),
    periodLabel: occ.periodLabel,
    dueAt: os.dueAt,
    ...(occ.eventAt ? { eventAt: occ.eventAt } : {}),
    ...(occ.eventEndAt ? { eventEndAt: occ.eventEndAt } : {}),
    ...(occ.place ? { place: occ.place } : {}),
    ...(occ.request ? { note: occ.request.note } : {}),
    ...(state.duty.reportTo ? { reportToName: unitName(state, state.duty.reportTo) } : {}),
    ...extra,
  };
}

interface EffectiveTimes {
  remindAt: number[];
  minutesRequestAt?: number;
  overdueAt: number;
  escalations: { level: number; at: number; notifyUnitId: string }[];
}

/**
 * The mail instants in force for an occurrence. They come from the calendar outside workflow code:
 * the expanded schedule, or the schedule the client computed when it approved an extension.
 * Schedules expanded before those fields existed fall back to the earlier arithmetic (the next
 * day at the mail time; an extension shifting everything by the same amount), so workflows
 * started then replay and finish as they began.
 */
function effectiveTimes(os: OccurrenceState): EffectiveTimes {
  const occ = os.occurrence;
  const chain = new Map(occ.escalations.map((step) => [step.level, step.notifyUnitId]));
  if (os.reschedule) {
    const r = os.reschedule;
    return {
      remindAt: r.remindAt.map(toMs),
      ...(r.minutesRequestAt ? { minutesRequestAt: toMs(r.minutesRequestAt) } : {}),
      overdueAt: toMs(r.overdueAt),
      escalations: r.escalationAt.flatMap((step) => {
        const notifyUnitId = chain.get(step.level);
        return notifyUnitId === undefined ? [] : [{ level: step.level, at: toMs(step.at), notifyUnitId }];
      }),
    };
  }
  const shiftMs = toMs(os.dueAt) - toMs(occ.dueAt);
  const template = occ.remindAt[0] ?? occ.escalations[0]?.at;
  const legacyNext = (fromMs: number): number => (template === undefined ? fromMs : nextSameTimeOfDay(fromMs, toMs(template)));
  const eventMs = occ.eventAt ? toMs(occ.eventAt) : undefined;
  let minutesRequestAt: number | undefined;
  if (occ.minutesRequestAt) minutesRequestAt = toMs(occ.minutesRequestAt);
  else if (eventMs !== undefined && template !== undefined) minutesRequestAt = legacyNext(eventMs);
  return {
    remindAt: occ.remindAt.map((at) => toMs(at) + shiftMs),
    ...(minutesRequestAt === undefined ? {} : { minutesRequestAt }),
    overdueAt: occ.overdueAt && shiftMs === 0 ? toMs(occ.overdueAt) : legacyNext(toMs(os.dueAt)),
    escalations: occ.escalations.map((step) => ({ level: step.level, at: toMs(step.at) + shiftMs, notifyUnitId: step.notifyUnitId })),
  };
}

/**
 * Every notification an occurrence calls for under its current schedule and deadline, sent or not.
 * Nothing is planned before `remindFrom` (tracking began, or an extension was decided, later), so
 * an amendment or a reinstatement never replays past mail. The overdue notice and escalations
 * carry no instant in their ids, so each goes out once, ever.
 */
export function plannedNotifications(state: DutyState, os: OccurrenceState): PlannedNotification[] {
  const reads = valuesPlanningReads(state, os);
  const known = plannedByOccurrence.get(os);
  if (known && known.reads.every((value, i) => value === reads[i])) return known.list;
  const list = planNotifications(state, os);
  plannedByOccurrence.set(os, { reads, list });
  return list;
}

/**
 * What was planned for an occurrence, and the values planning read. A duty asks for every planned
 * notification twice at each wake (what is due now, when to wake next) and wakes at every instant
 * and every message, while most occurrences have not changed since: an occurrence is planned again
 * only when one of these values has. Every change of state assigns a new value (the apply*
 * functions, replaceSchedule, retire, cancellation) and none edits one in place, so comparing
 * them by identity is exact. Keyed by the occurrence object: a run continued as new starts afresh.
 */
const plannedByOccurrence = new WeakMap<OccurrenceState, { reads: unknown[]; list: PlannedNotification[] }>();

function valuesPlanningReads(state: DutyState, os: OccurrenceState): unknown[] {
  return [
    state.cancelled,
    state.retired,
    state.duty,
    state.units,
    os.occurrence,
    os.notices,
    os.removed,
    os.submission,
    os.waiver,
    os.beforeTracking,
    os.remindFrom,
    os.dueAt,
    os.reschedule,
  ];
}

function planNotifications(state: DutyState, os: OccurrenceState): PlannedNotification[] {
  if (state.cancelled || state.retired) return [];
  const occ = os.occurrence;
  const list: PlannedNotification[] = [];
  const toUnit = (id: string, atMs: number, item: () => DigestItem): void => {
    list.push(planned(id, atMs, () => ({ recipientUnitId: occ.unitId, item: item() })));
  };
  for (const notice of os.notices ?? []) {
    toUnit(notice.id, toMs(notice.at), () => digestItem(state, os, notice.id, 'extension-decision', { note: notice.note }));
  }
  if (!isOpen(os) || os.beforeTracking) return list;
  const times = effectiveTimes(os);
  const remindFromMs = toMs(os.remindFrom);
  const dueMs = toMs(os.dueAt);
  const eventMs = occ.eventAt ? toMs(occ.eventAt) : undefined;

  let invitationPlanned = false;
  let minutesRequestPlanned = false;
  for (const atMs of times.remindAt) {
    if (atMs < remindFromMs || atMs >= dueMs) continue;
    let kind: TimedNoticeKind = 'reminder';
    if (eventMs !== undefined && atMs < eventMs && !invitationPlanned) {
      kind = 'invitation';
      invitationPlanned = true;
    } else if (eventMs !== undefined && atMs >= eventMs) {
      kind = 'minutes-request';
      minutesRequestPlanned = true;
    }
    const id = timedNoticeId(occ.key, kind, toIso(atMs));
    toUnit(id, atMs, () => digestItem(state, os, id, kind));
  }
  list.push(...partnerNotices(state, os, times.remindAt.find((atMs) => atMs >= remindFromMs && atMs < dueMs)));
  if (!minutesRequestPlanned && times.minutesRequestAt !== undefined) {
    const atMs = times.minutesRequestAt;
    if (atMs < dueMs && atMs >= remindFromMs) {
      const id = timedNoticeId(occ.key, 'minutes-request', toIso(atMs));
      toUnit(id, atMs, () => digestItem(state, os, id, 'minutes-request'));
    }
  }

  if (times.overdueAt >= remindFromMs) {
    const overdueId = overdueNoticeId(occ.key);
    toUnit(overdueId, times.overdueAt, () => digestItem(state, os, overdueId, 'overdue'));
  }
  for (const step of times.escalations) {
    if (step.at < remindFromMs) continue;
    const id = escalationNoticeId(occ.key, step.level);
    list.push(
      planned(id, step.at, () => ({
        recipientUnitId: step.notifyUnitId,
        item: digestItem(state, os, id, 'escalation', { level: step.level }),
      })),
    );
  }
  return list;
}

/**
 * Partner units hear of each occurrence once, with the lead unit's first reminder (never again, so
 * an extension does not repeat it). A partner without an email address only receives reports and
 * is not told. Duties without partners (every duty before they existed) plan nothing here.
 */
function partnerNotices(state: DutyState, os: OccurrenceState, atMs: number | undefined): PlannedNotification[] {
  if (atMs === undefined) return [];
  return (state.duty.partnerUnitIds ?? [])
    .filter((partnerId) => (state.units.find((unit) => unit.id === partnerId)?.emails.length ?? 0) > 0)
    .map((partnerId) => {
      const id = `${os.occurrence.key}:partner:${partnerId}`;
      return { id, atMs, envelope: { recipientUnitId: partnerId, item: digestItem(state, os, id, 'partner-notice') } };
    });
}

function allPlanned(state: DutyState): PlannedNotification[] {
  return state.occurrences.flatMap((os) => plannedNotifications(state, os));
}

/** Notifications whose instant has come and that were never sent, oldest first. */
export function dueNotifications(state: DutyState, nowMs: number): PlannedNotification[] {
  const sent = new Set(state.sentNotificationIds);
  return allPlanned(state)
    .filter((n) => n.atMs <= nowMs && !sent.has(n.id))
    .sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));
}

/** What the mailroom receives: the envelope, stamped with the instant it was due. */
export function handOverEnvelopes(notifications: PlannedNotification[]): MailEnvelope[] {
  return notifications.map((n) => ({ ...n.envelope, scheduledAt: toIso(n.atMs) }));
}

export function markSent(state: DutyState, notifications: PlannedNotification[]): void {
  for (const n of notifications) state.sentNotificationIds.push(n.id);
}

export function nextNotificationAt(state: DutyState): number | undefined {
  const sent = new Set(state.sentNotificationIds);
  let next: number | undefined;
  for (const n of allPlanned(state)) {
    if (sent.has(n.id)) continue;
    if (next === undefined || n.atMs < next) next = n.atMs;
  }
  return next;
}

/**
 * The first instant after `nowMs` at which an awaited occurrence turns overdue: the workflow wakes
 * then, so its status and search attributes are true from the deadline on, not from the next mail.
 */
export function nextStatusChangeAt(state: DutyState, nowMs: number): number | undefined {
  let next: number | undefined;
  for (const os of state.occurrences) {
    if (!AWAITING.has(occurrenceStatus(os, nowMs))) continue;
    const turnsOverdueAt = toMs(os.dueAt) + 1;
    if (next === undefined || turnsOverdueAt < next) next = turnsOverdueAt;
  }
  return next;
}

// ----- finding the occurrence a message is about -----

function findOpenTarget(state: DutyState, unitId: string, periodKey: string): OccurrenceState {
  if (state.cancelled) refuse('cancelled', `Nhiệm vụ "${state.duty.title}" đã bị hủy, không nhận thêm thao tác.`);
  if (state.retired) {
    refuse('removed', `Nhiệm vụ "${state.duty.title}" đã được bỏ khỏi kế hoạch theo sửa đổi, không nhận thêm thao tác.`);
  }
  const known = state.units.some((unit) => unit.id === unitId) || state.duty.unitIds.includes(unitId);
  // A duty knows only its own units and those its escalations notify, not the whole plan.
  if (!known) {
    refuse('unknown-unit', `Đơn vị mã "${unitId}" không được giao nhiệm vụ "${state.duty.title}" (không có trong danh sách đơn vị của nhiệm vụ).`);
  }
  if (!state.duty.unitIds.includes(unitId)) {
    refuse(
      'unit-not-assigned',
      `Đơn vị "${unitName(state, unitId)}" không được giao nhiệm vụ "${state.duty.title}".`,
    );
  }
  const os = state.occurrences.find(
    (candidate) => !candidate.removed && candidate.occurrence.unitId === unitId && candidate.occurrence.periodKey === periodKey,
  );
  if (!os) {
    const known = state.occurrences
      .filter((candidate) => !candidate.removed && candidate.occurrence.unitId === unitId)
      .map((candidate) => candidate.occurrence.periodKey);
    refuse(
      'unknown-period',
      `Kỳ "${periodKey}" không có trong lịch của nhiệm vụ "${state.duty.title}" đối với đơn vị "${unitName(state, unitId)}"` +
        (known.length > 0 ? ` (các kỳ có: ${known.join(', ')}).` : '.'),
    );
  }
  if (os.submission) {
    refuse(
      'already-submitted',
      `Kỳ ${os.occurrence.periodLabel} đã được nộp (số tiếp nhận ${os.submission.reference}); kỳ này đã đóng.`,
    );
  }
  if (os.waiver) {
    refuse('waived', `Kỳ ${os.occurrence.periodLabel} đã được miễn (lý do: ${os.waiver.reason}); kỳ này đã đóng.`);
  }
  return os;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

// ----- submissions -----

/**
 * Nothing is accepted for the future: a report from the start of its data window, the minutes of
 * a meeting from the start of the meeting, a dated document at any time.
 */
function refuseIfNotOpenYet(state: DutyState, os: OccurrenceState, nowMs: number): void {
  const opensAt = os.occurrence.opensAt;
  if (opensAt === undefined || nowMs >= toMs(opensAt)) return;
  const offset = state.settings.utcOffsetMinutes;
  const when = formatInstant(toMs(opensAt), offset);
  if (os.occurrence.eventAt !== undefined && opensAt === os.occurrence.eventAt) {
    refuse(
      'not-open-yet',
      `Cuộc họp kỳ ${os.occurrence.periodLabel} chưa diễn ra (bắt đầu lúc ${when}); chỉ nộp biên bản sau khi họp.`,
    );
  }
  refuse('not-open-yet', `Kỳ ${os.occurrence.periodLabel} chưa bắt đầu; có thể nộp từ ${when}.`);
}

/** Most files one submission may reference (each is stored outside history, see AttachmentRef). */
export const MAX_ATTACHMENTS = 10;
const ATTACHMENT_HASH = /^[0-9a-f]{64}$/;

/** The shape of each attachment reference; that the bytes exist and have this type is the web layer's check. */
function refuseBadAttachments(attachments: unknown): void {
  if (attachments === undefined) return;
  if (!Array.isArray(attachments)) refuse('bad-attachment', 'Danh sách tệp đính kèm không hợp lệ.');
  if (attachments.length > MAX_ATTACHMENTS) {
    refuse('too-many-attachments', `Mỗi lần nộp đính kèm tối đa ${MAX_ATTACHMENTS} tệp (đã gửi ${attachments.length} tệp).`);
  }
  for (const [index, ref] of attachments.entries()) {
    const { hash, name, type, size } = (ref ?? {}) as Record<string, unknown>;
    const ok =
      typeof hash === 'string' && ATTACHMENT_HASH.test(hash) &&
      typeof name === 'string' && name.trim() !== '' && name.length <= 255 &&
      typeof type === 'string' && /^[a-z]+\/[a-z0-9.+-]+$/.test(type) &&
      typeof size === 'number' && Number.isInteger(size) && size > 0;
    if (!ok) refuse('bad-attachment', `Tệp đính kèm thứ ${index + 1} thiếu mã nội dung, tên, loại hoặc kích thước hợp lệ.`);
  }
}

/** What only the update's validator checks, so replayed submissions are never judged again. */
export function validateSubmission(state: DutyState, request: SubmissionRequest, nowMs: number): OccurrenceState {
  const os = submissionTarget(state, request);
  refuseIfNotOpenYet(state, os, nowMs);
  refuseBadAttachments(request.attachments);
  const fields: unknown = request.fields ?? {};
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    refuse('wrong-field-type', 'Các trường của báo cáo phải được gửi thành từng cặp tên trường và giá trị.');
  }
  // The same rules the web form and the CLI parse with, so the three never disagree; every problem in one refusal.
  const { problems } = checkSubmission(state.duty.fields, fields as Record<string, unknown>);
  const [first] = problems;
  if (first) {
    const code = first.code === 'unknown-field' ? 'unknown-field' : first.code === 'missing' ? 'missing-field' : 'wrong-field-type';
    refuse(code, problems.map((problem) => problem.message).join(' '));
  }
  return os;
}

function submissionTarget(state: DutyState, request: SubmissionRequest): OccurrenceState {
  const given: unknown = request;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    refuse('bad-request', 'Dữ liệu gửi đến không phải là một báo cáo (cần đơn vị, kỳ và các trường của báo cáo).');
  }
  const size = utf8Length(JSON.stringify(request ?? null));
  if (size > MAX_SUBMISSION_BYTES) {
    refuse(
      'payload-too-large',
      `Dữ liệu nộp quá lớn (${Math.ceil(size / 1024)} KiB, tối đa ${MAX_SUBMISSION_BYTES / 1024} KiB). Hãy rút gọn nội dung.`,
    );
  }
  return findOpenTarget(state, request.unitId, request.periodKey);
}

/**
 * Field values as stored: canonical (text NFC and trimmed, empty optional fields left out). The
 * validator has already judged them; judging again here would let a submission recorded under
 * older field rules replay as refused, so a value the current rules would refuse is kept as sent.
 */
function storedFields(state: DutyState, sent: Record<string, unknown>): Record<string, FieldValue> {
  const stored: Record<string, FieldValue> = {};
  const defined = new Map(state.duty.fields.map((field) => [field.id, field]));
  for (const [name, value] of Object.entries(sent)) {
    const field = defined.get(name);
    const checked = field ? checkFieldValue(field, value) : undefined;
    if (checked?.ok) {
      if (checked.value !== undefined) stored[name] = checked.value;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      stored[name] = value;
    }
  }
  return stored;
}

export function applySubmission(state: DutyState, request: SubmissionRequest, nowMs: number): Receipt {
  const os = submissionTarget(state, request);
  const reference = `${state.year}/${state.duty.id.toUpperCase()}/${String(state.nextReferenceNumber).padStart(4, '0')}`;
  state.nextReferenceNumber += 1;
  const receipt: Receipt = { reference, receivedAt: toIso(nowMs), late: nowMs > toMs(os.dueAt) };
  os.submission = {
    ...receipt,
    fields: storedFields(state, request.fields ?? {}),
    ...(request.submittedBy ? { submittedBy: request.submittedBy } : {}),
    ...(request.note ? { note: request.note } : {}),
    // Only submissions that carry files get the key: earlier histories replay to the same state.
    ...(request.attachments && request.attachments.length > 0
      ? { attachments: request.attachments.map(({ hash, name, type, size }) => ({ hash, name, type, size })) }
      : {}),
  };
  return receipt;
}

// ----- extensions -----

export function validateExtensionRequest(state: DutyState, request: ExtensionRequest, nowMs: number): OccurrenceState {
  const os = findOpenTarget(state, request.unitId, request.periodKey);
  const offset = state.settings.utcOffsetMinutes;
  if (!request.reason || request.reason.trim() === '') refuse('missing-reason', 'Yêu cầu gia hạn phải nêu lý do.');
  if (nowMs > toMs(os.dueAt)) {
    const again = os.dueAt !== os.occurrence.dueAt ? ' đã gia hạn' : '';
    refuse(
      'deadline-passed',
      `Hạn nộp${again} của kỳ ${os.occurrence.periodLabel} (${formatDeadline(toMs(os.dueAt), offset)}) đã qua; không thể xin gia hạn sau khi hết hạn.`,
    );
  }
  if (os.extensions.some((record) => record.status === 'pending')) {
    refuse('extension-pending', `Kỳ ${os.occurrence.periodLabel} đã có một yêu cầu gia hạn đang chờ quyết định.`);
  }
  const untilMs = toMs(request.until);
  if (!Number.isFinite(untilMs) || untilMs <= toMs(os.dueAt)) {
    refuse(
      'bad-extension-date',
      `Hạn mới phải sau hạn hiện tại (${formatDeadline(toMs(os.dueAt), offset)}).`,
    );
  }
  if (untilMs > toMs(state.settings.closesAt)) {
    refuse(
      'bad-extension-date',
      `Hạn mới không được sau ngày kết thúc theo dõi kế hoạch (${formatDeadline(toMs(state.settings.closesAt), offset)}).`,
    );
  }
  return os;
}

export function applyExtensionRequest(state: DutyState, request: ExtensionRequest, nowMs: number): ExtensionRecord {
  const os = validateExtensionRequest(state, request, nowMs);
  const record: ExtensionRecord = {
    requestedAt: toIso(nowMs),
    previousDueAt: os.dueAt,
    until: toIso(toMs(request.until)),
    reason: request.reason.trim(),
    ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
    status: 'pending',
  };
  os.extensions.push(record);
  return record;
}

export function validateExtensionDecision(state: DutyState, decision: ExtensionDecision): OccurrenceState {
  const os = findOpenTarget(state, decision.unitId, decision.periodKey);
  if (!os.extensions.some((record) => record.status === 'pending')) {
    refuse('no-pending-extension', `Kỳ ${os.occurrence.periodLabel} không có yêu cầu gia hạn nào đang chờ quyết định.`);
  }
  return os;
}

/**
 * What only the update's validator checks (replayed decisions recorded before these fields existed
 * skip it): an approval carries the mail instants of the new deadline, computed on the plan's
 * calendar, all in order around it.
 */
export function validateDecisionSchedule(state: DutyState, decision: ExtensionDecision): void {
  const os = validateExtensionDecision(state, decision);
  const schedule = decision.schedule;
  // Duties started before their calendar was kept cannot be rescheduled: they shift the old way.
  if (!decision.approve || (schedule === undefined && (!state.calendar || !state.duty.mailPolicy))) return;
  const pending = os.extensions.find((record) => record.status === 'pending') as ExtensionRecord;
  const untilMs = toMs(pending.until);
  const valid = (at: unknown): at is string => typeof at === 'string' && Number.isFinite(toMs(at));
  const ok =
    schedule !== undefined &&
    Array.isArray(schedule.remindAt) &&
    schedule.remindAt.every((at) => valid(at) && toMs(at) < untilMs) &&
    valid(schedule.overdueAt) &&
    toMs(schedule.overdueAt) > untilMs &&
    Array.isArray(schedule.escalationAt) &&
    schedule.escalationAt.every((step) => valid(step?.at) && toMs(step.at) > untilMs) &&
    (schedule.minutesRequestAt === undefined || valid(schedule.minutesRequestAt));
  if (!ok) {
    refuse(
      'bad-schedule',
      `Quyết định gia hạn kỳ ${os.occurrence.periodLabel} thiếu lịch nhắc việc hợp lệ cho hạn mới; hãy thực hiện lại bằng lệnh "extend" hoặc trang theo dõi.`,
    );
  }
}

/**
 * Decides the pending request. The unit is told the outcome at once, outside the daily digest time
 * (the mailroom holds it to the next working day's mail time if today is a day off); an approval
 * moves the deadline and its mail to the new schedule.
 */
export function applyExtensionDecision(state: DutyState, decision: ExtensionDecision, nowMs: number): ExtensionRecord {
  const os = validateExtensionDecision(state, decision);
  const index = os.extensions.findIndex((record) => record.status === 'pending');
  const pending = os.extensions[index] as ExtensionRecord;
  const record: ExtensionRecord = {
    ...pending,
    status: decision.approve ? 'approved' : 'refused',
    decidedAt: toIso(nowMs),
    ...(decision.decidedBy ? { decidedBy: decision.decidedBy } : {}),
    ...(decision.note ? { decisionNote: decision.note } : {}),
  };
  os.extensions[index] = record;
  if (decision.approve) {
    os.dueAt = record.until;
    os.remindFrom = toIso(nowMs);
    if (decision.schedule) os.reschedule = decision.schedule;
  }
  const offset = state.settings.utcOffsetMinutes;
  const verdict = decision.approve
    ? `Đồng ý gia hạn đến ${formatDeadline(toMs(record.until), offset)}.`
    : `Không đồng ý gia hạn; hạn nộp giữ nguyên ${formatDeadline(toMs(os.dueAt), offset)}.`;
  os.notices = [
    ...(os.notices ?? []),
    {
      id: extensionDecisionId(os.occurrence.key, index + 1),
      at: toIso(nowMs),
      note: decision.note ? `${verdict} ${decision.note}` : verdict,
    },
  ];
  return record;
}

// ----- waivers -----

export function applyWaiver(state: DutyState, request: WaiverRequest, nowMs: number): WaiverRecord {
  const os = validateWaiver(state, request);
  const record: WaiverRecord = {
    reason: request.reason.trim(),
    waivedAt: toIso(nowMs),
    ...(request.waivedBy ? { waivedBy: request.waivedBy } : {}),
  };
  os.waiver = record;
  return record;
}

export function validateWaiver(state: DutyState, request: WaiverRequest): OccurrenceState {
  const os = findOpenTarget(state, request.unitId, request.periodKey);
  if (!request.reason || request.reason.trim() === '') refuse('missing-reason', 'Miễn một kỳ phải nêu lý do.');
  return os;
}

// ----- amendments -----

/**
 * The new schedule replaces the old one. Occurrences keep their identity by key, so what was sent,
 * submitted, waived or extended survives; new occurrences start tracking now (and are "before
 * tracking" if already due), so an amendment never replays past reminders. A retired duty (removed
 * from the plan by an earlier amendment) is reinstated with all its records; mail that fell due
 * while it was retired is not sent late.
 */
export function replaceSchedule(state: DutyState, replacement: ScheduleReplacement, nowMs: number): AmendmentSummary {
  const reinstated = state.retired === true;
  state.retired = false;
  const previous = new Map(state.occurrences.map((os) => [os.occurrence.key, os]));
  const incoming = occurrencesOf(replacement);
  const incomingKeys = new Set(incoming.map((occ) => occ.key));
  const summary: AmendmentSummary = { added: [], removed: [], changed: [] };
  const next: OccurrenceState[] = [];
  for (const occ of incoming) {
    const old = previous.get(occ.key);
    if (!old || old.removed) {
      next.push(old ? { ...newOccurrenceState(occ, nowMs), ...keepRecords(old) } : newOccurrenceState(occ, nowMs));
      summary.added.push(occ.key);
      continue;
    }
    const extended = old.extensions.some((record) => record.status === 'approved');
    if (JSON.stringify(old.occurrence) !== JSON.stringify(occ)) summary.changed.push(occ.key);
    next.push({
      ...old,
      occurrence: occ,
      dueAt: extended ? old.dueAt : occ.dueAt,
      ...(reinstated && toMs(old.remindFrom) < nowMs ? { remindFrom: toIso(nowMs) } : {}),
    });
  }
  for (const old of state.occurrences) {
    if (incomingKeys.has(old.occurrence.key)) continue;
    // The office's ad-hoc requests are not in any plan file: an amendment keeps them as they are.
    if (old.occurrence.request) {
      next.push(old);
      continue;
    }
    if (!old.removed) summary.removed.push(old.occurrence.key);
    if (old.submission || old.waiver || old.extensions.length > 0) next.push({ ...old, removed: true });
  }
  state.occurrences = next;
  state.duty = replacement.duty;
  state.units = replacement.units;
  state.planTitle = replacement.planTitle;
  state.supervisorUnitId = replacement.supervisorUnitId;
  if (replacement.scheduleHash !== undefined) state.scheduleHash = replacement.scheduleHash;
  state.scheduleVersion += 1;
  return summary;
}

function keepRecords(old: OccurrenceState): Partial<OccurrenceState> {
  const extended = old.extensions.some((record) => record.status === 'approved');
  return {
    extensions: old.extensions,
    ...(extended ? { dueAt: old.dueAt } : {}),
    ...(extended && old.reschedule ? { reschedule: old.reschedule } : {}),
    ...(old.notices ? { notices: old.notices } : {}),
    ...(old.submission ? { submission: old.submission } : {}),
    ...(old.waiver ? { waiver: old.waiver } : {}),
  };
}

// ----- views -----

export function occurrenceStatus(os: OccurrenceState, nowMs: number): OccurrenceStatus {
  if (os.removed) return 'removed';
  if (os.submission) return os.submission.late ? 'late' : 'submitted';
  if (os.waiver) return 'waived';
  if (os.beforeTracking) return 'before-tracking';
  if (nowMs > toMs(os.dueAt)) return 'overdue';
  if (os.dueAt !== os.occurrence.dueAt) return 'extended';
  return 'pending';
}

const AWAITING: ReadonlySet<OccurrenceStatus> = new Set(['pending', 'extended']);

export function overallStatus(state: DutyState, nowMs: number): DutyOverallStatus {
  if (state.cancelled) return 'cancelled';
  if (state.retired) return 'removed';
  const statuses = state.occurrences.map((os) => occurrenceStatus(os, nowMs));
  if (statuses.includes('overdue')) return 'overdue';
  if (statuses.some((status) => AWAITING.has(status))) return 'on-track';
  // Nothing fell inside tracking: nothing was done, so the duty is not "completed".
  if (statuses.every((status) => status === 'before-tracking' || status === 'removed')) return 'untracked';
  return 'completed';
}

export function nextDeadline(state: DutyState, nowMs: number): string | undefined {
  let next: string | undefined;
  for (const os of state.occurrences) {
    if (!AWAITING.has(occurrenceStatus(os, nowMs))) continue;
    if (next === undefined || toMs(os.dueAt) < toMs(next)) next = os.dueAt;
  }
  return next;
}

/** What a duty publishes as search attributes (`KehoachStatus`, `KehoachNextDeadline`, `KehoachUnits`). */
export interface DutyAttributes {
  status: DutyOverallStatus;
  nextDeadlineMs?: number;
  units: string[];
}

export function dutyAttributes(state: DutyState, nowMs: number): DutyAttributes {
  const deadline = nextDeadline(state, nowMs);
  return {
    status: overallStatus(state, nowMs),
    ...(deadline === undefined ? {} : { nextDeadlineMs: toMs(deadline) }),
    units: [...state.duty.unitIds].sort(),
  };
}

export function statusView(state: DutyState, nowMs: number, filter: StatusFilter = {}): DutyStatusView {
  const sent = new Set(state.sentNotificationIds);
  const occurrences: OccurrenceView[] = [];
  for (const os of filter.withoutOccurrences ? [] : state.occurrences) {
    const occ = os.occurrence;
    const status = occurrenceStatus(os, nowMs);
    if (status === 'removed' && !os.submission) continue;
    if (filter.unitId && occ.unitId !== filter.unitId) continue;
    if (filter.overdueOnly && status !== 'overdue') continue;
    occurrences.push({
      key: occ.key,
      unitId: occ.unitId,
      unitName: unitName(state, occ.unitId),
      periodKey: occ.periodKey,
      periodLabel: occ.periodLabel,
      ...(occ.eventAt ? { eventAt: occ.eventAt } : {}),
      ...(occ.eventEndAt ? { eventEndAt: occ.eventEndAt } : {}),
      ...(occ.place ? { place: occ.place } : {}),
      scheduledDueAt: occ.dueAt,
      dueAt: os.dueAt,
      status,
      ...(os.submission ? { submission: os.submission } : {}),
      ...(os.waiver ? { waiver: os.waiver } : {}),
      extensions: os.extensions,
      escalatedLevels: occ.escalations.map((step) => step.level).filter((level) => sent.has(escalationNoticeId(occ.key, level))),
      ...(occ.opensAt ? { opensAt: occ.opensAt } : {}),
      escalations: occ.escalations.map((step) => ({
        level: step.level,
        at: step.at,
        notifyUnitId: step.notifyUnitId,
        notifyUnitName: unitName(state, step.notifyUnitId),
        handedOver: sent.has(escalationNoticeId(occ.key, step.level)),
      })),
      ...(occ.request ? { request: occ.request } : {}),
    });
  }
  const deadline = nextDeadline(state, nowMs);
  return {
    planId: state.planId,
    year: state.year,
    timeZone: state.timeZone,
    dutyId: state.duty.id,
    dutyTitle: state.duty.title,
    dutyKind: state.duty.kind,
    fields: state.duty.fields,
    status: overallStatus(state, nowMs),
    ...(deadline ? { nextDeadline: deadline } : {}),
    occurrences,
    ...(state.alert ? { alert: state.alert } : {}),
    ...(state.scheduleHash ? { scheduleHash: state.scheduleHash } : {}),
    ...rolesView(state),
    runs: state.runs,
    ...(filter.withRules
      ? {
          rules: {
            ...(state.duty.mailPolicy ? { mailPolicy: state.duty.mailPolicy } : {}),
            ...(state.calendar ? { calendar: state.calendar } : {}),
            utcOffsetMinutes: state.settings.utcOffsetMinutes,
            ...(state.duty.request ? { request: state.duty.request } : {}),
          },
        }
      : {}),
  };
}

/** Partner units, the report's recipient and the duty's mode, for the pages: only what the plan uses. */
function rolesView(state: DutyState): Pick<DutyStatusView, 'roles'> {
  const { partnerUnitIds, reportTo, mode } = state.duty;
  if (!partnerUnitIds && !reportTo && !mode) return {};
  return {
    roles: {
      ...(partnerUnitIds ? { partners: partnerUnitIds.map((id) => ({ id, name: unitName(state, id) })) } : {}),
      ...(reportTo ? { reportTo: { id: reportTo, name: unitName(state, reportTo) } } : {}),
      ...(mode ? { mode } : {}),
    },
  };
}

/** Removed from the plan by an amendment: records stay, nothing more is mailed or accepted. */
export function retire(state: DutyState): void {
  state.retired = true;
}

/** The units a duty slice needs: its own, and every unit its escalations notify. */
export function unitsForDuty(allUnits: UnitInfo[], unitIds: string[], occurrences: Occurrence[]): UnitInfo[] {
  const needed = new Set(unitIds);
  for (const occ of occurrences) for (const step of occ.escalations) needed.add(step.notifyUnitId);
  return allUnits.filter((unit) => needed.has(unit.id));
}

/** Submissions the duty holds (on time or late), the count it reports to its plan. */
export function submissionCount(state: DutyState): number {
  return state.occurrences.filter((os) => os.submission !== undefined).length;
}
