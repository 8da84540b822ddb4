/**
 * The state machine of one duty, as pure functions over plain JSON state. The duty workflow only
 * adds timers, messages and the mailroom signal around it, so all rules here are testable without
 * a Temporal server and behave identically on replay.
 */
import type { DigestItem, DigestItemKind } from '../activities/mail/types';
import type { Occurrence, UnitInfo } from '../domain/schedule/types';
import { nextSameTimeOfDay, toIso, toMs } from './instants';
import { refuse } from './refusal';
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
import { formatDeadline } from './vietnamese-text';

/** Largest accepted submission, as UTF-8 JSON; keeps histories small and well under payload limits. */
export const MAX_SUBMISSION_BYTES = 64 * 1024;

export interface PlannedNotification {
  id: string;
  atMs: number;
  envelope: MailEnvelope;
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
    occurrences: start.occurrences.map((occurrence) => newOccurrenceState(occurrence, nowMs)),
    sentNotificationIds: [],
    nextReferenceNumber: 1,
    scheduleVersion: 1,
    cancelled: false,
    runs: 1,
  };
}

function unitName(state: DutyState, unitId: string): string {
  return state.units.find((unit) => unit.id === unitId)?.name ?? unitId;
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
    ...extra,
  };
}

/**
 * Every notification an occurrence calls for under its current schedule and deadline, sent or not.
 * Reminders, invitations and minutes requests move with an approved extension; so do the overdue
 * notice and escalations, whose ids carry no instant so that each level goes out once, ever.
 */
export function plannedNotifications(state: DutyState, os: OccurrenceState): PlannedNotification[] {
  if (!isOpen(os) || os.beforeTracking || state.cancelled) return [];
  const occ = os.occurrence;
  const shiftMs = toMs(os.dueAt) - toMs(occ.dueAt);
  const remindFromMs = toMs(os.remindFrom);
  const dueMs = toMs(os.dueAt);
  const eventMs = occ.eventAt ? toMs(occ.eventAt) : undefined;
  // All mail of a day goes out at the plan's mail time; the first scheduled instant carries it.
  const mailTimeTemplate = occ.remindAt[0] ?? occ.escalations[0]?.at;
  const planned: PlannedNotification[] = [];
  const toUnit = (id: string, atMs: number, item: DigestItem): void => {
    planned.push({ id, atMs, envelope: { recipientUnitId: occ.unitId, item } });
  };

  let invitationPlanned = false;
  let minutesRequestPlanned = false;
  for (const remindAt of occ.remindAt) {
    const atMs = toMs(remindAt) + shiftMs;
    if (atMs < remindFromMs || atMs >= dueMs) continue;
    let kind: DigestItemKind = 'reminder';
    if (eventMs !== undefined && atMs < eventMs && !invitationPlanned) {
      kind = 'invitation';
      invitationPlanned = true;
    } else if (eventMs !== undefined && atMs >= eventMs) {
      kind = 'minutes-request';
      minutesRequestPlanned = true;
    }
    const id = `${occ.key}:${kind}:${toIso(atMs)}`;
    toUnit(id, atMs, digestItem(state, os, id, kind));
  }
  if (eventMs !== undefined && !minutesRequestPlanned && mailTimeTemplate !== undefined) {
    const atMs = nextSameTimeOfDay(eventMs, toMs(mailTimeTemplate));
    if (atMs < dueMs && atMs >= remindFromMs) {
      const id = `${occ.key}:minutes-request:${toIso(atMs)}`;
      toUnit(id, atMs, digestItem(state, os, id, 'minutes-request'));
    }
  }

  const overdueAtMs = mailTimeTemplate === undefined ? dueMs : nextSameTimeOfDay(dueMs, toMs(mailTimeTemplate));
  const overdueId = `${occ.key}:overdue`;
  toUnit(overdueId, overdueAtMs, digestItem(state, os, overdueId, 'overdue'));

  for (const step of occ.escalations) {
    const id = `${occ.key}:escalation:${step.level}`;
    planned.push({
      id,
      atMs: toMs(step.at) + shiftMs,
      envelope: {
        recipientUnitId: step.notifyUnitId,
        item: digestItem(state, os, id, 'escalation', { level: step.level }),
      },
    });
  }
  return planned;
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

// ----- finding the occurrence a message is about -----

function findOpenTarget(state: DutyState, unitId: string, periodKey: string): OccurrenceState {
  if (state.cancelled) refuse('cancelled', `Nhiệm vụ "${state.duty.title}" đã bị hủy, không nhận thêm thao tác.`);
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
      `Kỳ ${os.occurrence.periodLabel} đã được nộp (số biên nhận ${os.submission.reference}); kỳ này đã đóng.`,
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

function describeValue(value: unknown): string {
  return typeof value === 'string' ? `chuỗi "${value.slice(0, 40)}"` : String(value);
}

// ----- submissions -----

export function validateSubmission(state: DutyState, request: SubmissionRequest): OccurrenceState {
  const size = utf8Length(JSON.stringify(request ?? null));
  if (size > MAX_SUBMISSION_BYTES) {
    refuse(
      'payload-too-large',
      `Dữ liệu nộp quá lớn (${Math.ceil(size / 1024)} KiB, tối đa ${MAX_SUBMISSION_BYTES / 1024} KiB). Hãy rút gọn nội dung.`,
    );
  }
  const os = findOpenTarget(state, request.unitId, request.periodKey);
  const fields: Record<string, unknown> = request.fields ?? {};
  const defined = new Map(state.duty.fields.map((field) => [field.id, field]));
  for (const name of Object.keys(fields)) {
    if (!defined.has(name)) {
      const allowed = state.duty.fields.map((field) => field.id).join(', ') || '(không có trường nào)';
      refuse('unknown-field', `Trường "${name}" không thuộc mẫu báo cáo của nhiệm vụ này (các trường: ${allowed}).`);
    }
  }
  for (const field of state.duty.fields) {
    const value = fields[field.id];
    const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (empty) {
      if (field.required) refuse('missing-field', `Thiếu trường bắt buộc "${field.label}" (${field.id}).`);
      continue;
    }
    if (field.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) {
      refuse('wrong-field-type', `Trường "${field.label}" (${field.id}) phải là một số, nhận được ${describeValue(value)}.`);
    }
    if (field.type === 'text' && typeof value !== 'string') {
      refuse('wrong-field-type', `Trường "${field.label}" (${field.id}) phải là văn bản, nhận được ${describeValue(value)}.`);
    }
  }
  return os;
}

export function applySubmission(state: DutyState, request: SubmissionRequest, nowMs: number): Receipt {
  const os = validateSubmission(state, request);
  const reference = `${state.year}/${state.duty.id.toUpperCase()}/${String(state.nextReferenceNumber).padStart(4, '0')}`;
  state.nextReferenceNumber += 1;
  const receipt: Receipt = { reference, receivedAt: toIso(nowMs), late: nowMs > toMs(os.dueAt) };
  const fields: Record<string, FieldValue> = { ...request.fields };
  os.submission = {
    ...receipt,
    fields,
    ...(request.submittedBy ? { submittedBy: request.submittedBy } : {}),
    ...(request.note ? { note: request.note } : {}),
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

/** Decides the pending request; the unit is told the outcome at once, outside the daily digest time. */
export function applyExtensionDecision(
  state: DutyState,
  decision: ExtensionDecision,
  nowMs: number,
): { record: ExtensionRecord; notification: PlannedNotification } {
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
  }
  const offset = state.settings.utcOffsetMinutes;
  const verdict = decision.approve
    ? `Đồng ý gia hạn đến ${formatDeadline(toMs(record.until), offset)}.`
    : `Không đồng ý gia hạn; hạn nộp giữ nguyên ${formatDeadline(toMs(os.dueAt), offset)}.`;
  const id = `${os.occurrence.key}:extension-decision:${index + 1}`;
  const note = decision.note ? `${verdict} ${decision.note}` : verdict;
  return {
    record,
    notification: {
      id,
      atMs: nowMs,
      envelope: {
        recipientUnitId: os.occurrence.unitId,
        item: digestItem(state, os, id, 'extension-decision', { note }),
      },
    },
  };
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
 * tracking" if already due), so an amendment never replays past reminders.
 */
export function replaceSchedule(state: DutyState, replacement: ScheduleReplacement, nowMs: number): AmendmentSummary {
  const previous = new Map(state.occurrences.map((os) => [os.occurrence.key, os]));
  const incomingKeys = new Set(replacement.occurrences.map((occ) => occ.key));
  const summary: AmendmentSummary = { added: [], removed: [], changed: [] };
  const next: OccurrenceState[] = [];
  for (const occ of replacement.occurrences) {
    const old = previous.get(occ.key);
    if (!old || old.removed) {
      next.push(old ? { ...newOccurrenceState(occ, nowMs), ...keepRecords(old) } : newOccurrenceState(occ, nowMs));
      summary.added.push(occ.key);
      continue;
    }
    const extended = old.extensions.some((record) => record.status === 'approved');
    if (JSON.stringify(old.occurrence) !== JSON.stringify(occ)) summary.changed.push(occ.key);
    next.push({ ...old, occurrence: occ, dueAt: extended ? old.dueAt : occ.dueAt });
  }
  for (const old of state.occurrences) {
    if (incomingKeys.has(old.occurrence.key)) continue;
    if (!old.removed) summary.removed.push(old.occurrence.key);
    if (old.submission || old.waiver || old.extensions.length > 0) next.push({ ...old, removed: true });
  }
  state.occurrences = next;
  state.duty = replacement.duty;
  state.units = replacement.units;
  state.planTitle = replacement.planTitle;
  state.supervisorUnitId = replacement.supervisorUnitId;
  state.scheduleVersion += 1;
  return summary;
}

function keepRecords(old: OccurrenceState): Partial<OccurrenceState> {
  return {
    extensions: old.extensions,
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
  const statuses = state.occurrences.map((os) => occurrenceStatus(os, nowMs));
  if (statuses.includes('overdue')) return 'overdue';
  if (statuses.some((status) => AWAITING.has(status))) return 'on-track';
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
      scheduledDueAt: occ.dueAt,
      dueAt: os.dueAt,
      status,
      ...(os.submission ? { submission: os.submission } : {}),
      ...(os.waiver ? { waiver: os.waiver } : {}),
      extensions: os.extensions,
      escalatedLevels: occ.escalations.map((step) => step.level).filter((level) => sent.has(`${occ.key}:escalation:${level}`)),
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
    runs: state.runs,
  };
}

/** The units a duty slice needs: its own, and every unit its escalations notify. */
export function unitsForDuty(allUnits: UnitInfo[], unitIds: string[], occurrences: Occurrence[]): UnitInfo[] {
  const needed = new Set(unitIds);
  for (const occ of occurrences) for (const step of occ.escalations) needed.add(step.notifyUnitId);
  return allUnits.filter((unit) => needed.has(unit.id));
}
