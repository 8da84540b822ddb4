/**
 * Every item's history, oldest first: the mail about it (reminders, invitations, minutes requests,
 * overdue notices, escalations and to whom, extension decisions) with what the mail server
 * answered, the submission with its fields, extension requests and decisions, the waiver.
 *
 * Sources, none of them workflow state grown for this page: the duty's status view (submission,
 * extensions, waiver, escalation chain) and the delivery ledger (`activities/mail/delivery-ledger`),
 * which keeps every answered digest for good; the mailroom prunes its own deliveries after 14 days
 * and keeps only the failed ones of the year, which the ledger never sees (no address, retries
 * exhausted). Digests recorded before the ledger kept their items show in the mail log only.
 */
import { formatInstant, formatShortDate, localDateTimeOf } from '../domain/calendar';
import { formatFieldValue } from '../domain/report-fields';
import type { DeliveryRecord as LedgerRecord } from '../activities/mail/delivery-ledger';
import { OCCURRENCE_STATUS_LABELS } from '../domain/status-labels';
import { formatFileSize } from '../domain/summary/vietnamese-numbers';
import { attachmentLink } from './attachment-download';
import type { DeliveryRecord as MailroomRecord, DutyStatusView, OccurrenceView } from '../workflows/types';

export const MAIL_KIND_LABELS: Record<string, string> = {
  reminder: 'Thư nhắc hạn',
  invitation: 'Thư mời họp',
  'minutes-request': 'Thư đề nghị gửi biên bản',
  overdue: 'Thư báo quá hạn',
  escalation: 'Thư báo cấp trên',
  'extension-decision': 'Thư báo kết quả gia hạn',
  'delivery-failure': 'Thư báo gửi thư không thành công',
};

/** One delivery of the plan, from the ledger or (failed for good) from the mailroom. */
export interface MailDelivery {
  at: string;
  localDate: string;
  recipientUnitId: string;
  recipientName?: string;
  to: string[];
  outcome: 'sent' | 'rejected' | 'failed';
  /** The server's reply (sent) or why it was not delivered. */
  detail?: string;
  rejectedRecipients?: string[];
  /** Undefined for digests recorded before the ledger kept their items. */
  items?: { id: string; kind: string; occurrenceKey: string; unitId: string; level?: number }[];
}

/** The mailroom's item ids are `<occurrenceKey>:<kind>[:…]`; the occurrence key itself has two colons. */
function itemOf(id: string): { id: string; kind: string; occurrenceKey: string; unitId: string } | undefined {
  const parts = id.split(':');
  if (parts.length < 4) return undefined;
  return { id, kind: parts[3] as string, occurrenceKey: parts.slice(0, 3).join(':'), unitId: parts[1] as string };
}

export function deliveriesOf(ledger: LedgerRecord[], failed: MailroomRecord[]): MailDelivery[] {
  const fromLedger: MailDelivery[] = ledger.map((record) => ({
    at: record.at,
    localDate: record.localDate,
    recipientUnitId: record.recipientUnitId,
    ...(record.recipientName ? { recipientName: record.recipientName } : {}),
    to: record.to,
    outcome: record.status,
    ...(record.status === 'sent' ? (record.response ? { detail: record.response } : {}) : record.reason ? { detail: record.reason } : {}),
    ...(record.rejectedRecipients ? { rejectedRecipients: record.rejectedRecipients } : {}),
    ...(record.items ? { items: record.items } : {}),
  }));
  const fromMailroom: MailDelivery[] = failed
    .filter((record) => record.outcome === 'failed')
    .map((record) => ({
      at: record.at,
      localDate: record.localDate,
      recipientUnitId: record.recipientUnitId,
      to: [],
      outcome: 'failed',
      ...(record.reason ? { detail: record.reason } : {}),
      items: record.itemIds.flatMap((id) => itemOf(id) ?? []),
    }));
  return [...fromLedger, ...fromMailroom].sort((a, b) => a.at.localeCompare(b.at));
}

export const OUTCOME_TEXT: Record<MailDelivery['outcome'], string> = {
  sent: 'Máy chủ thư đã nhận',
  rejected: 'Bị máy chủ thư từ chối',
  failed: 'Không gửi được',
};

export interface HistoryEvent {
  at: string;
  /** "08:00, 12/03/2027". */
  when: string;
  title: string;
  lines: string[];
  tone: 'ok' | 'warn' | 'bad' | 'info';
}

export interface ItemHistory {
  anchor: string;
  dutyId: string;
  dutyTitle: string;
  unitId: string;
  unitName: string;
  periodLabel: string;
  dueAt: string;
  deadline: string;
  status: OccurrenceView['status'];
  statusLabel: string;
  events: HistoryEvent[];
  /** Escalations planned and not handed over yet: what happens if nothing is submitted. */
  planned: string[];
  /** Files sent with the submission, each linked for the office (web/attachment-download.ts). */
  attachments: { name: string; link: string }[];
}

function when(instant: string, zone: string): string {
  return formatInstant(instant, zone);
}

function mailEvents(occurrence: OccurrenceView, deliveries: MailDelivery[], unitNames: ReadonlyMap<string, string>, zone: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const delivery of deliveries) {
    for (const item of delivery.items ?? []) {
      if (item.occurrenceKey !== occurrence.key) continue;
      const recipient = delivery.recipientName ?? unitNames.get(delivery.recipientUnitId) ?? delivery.recipientUnitId;
      const kind = MAIL_KIND_LABELS[item.kind] ?? `Thư (${item.kind})`;
      const level = item.kind === 'escalation' && item.level !== undefined ? ` cấp ${item.level}` : '';
      const lines = [`Gửi tới: ${recipient}${delivery.to.length > 0 ? ` (${delivery.to.join(', ')})` : ''}`, `Kết quả: ${OUTCOME_TEXT[delivery.outcome]}${delivery.detail && delivery.outcome !== 'sent' ? `: ${delivery.detail}` : ''}`];
      if (delivery.rejectedRecipients?.length) lines.push(`Địa chỉ bị từ chối: ${delivery.rejectedRecipients.join(', ')}`);
      events.push({ at: delivery.at, when: when(delivery.at, zone), title: `${kind}${level}`, lines, tone: delivery.outcome === 'sent' ? 'info' : 'bad' });
    }
  }
  return events;
}

function recordEvents(duty: DutyStatusView, occurrence: OccurrenceView): HistoryEvent[] {
  const zone = duty.timeZone;
  const events: HistoryEvent[] = [];
  for (const extension of occurrence.extensions) {
    events.push({
      at: extension.requestedAt,
      when: when(extension.requestedAt, zone),
      title: 'Xin gia hạn',
      lines: [
        `Đến hết ngày ${formatShortDate(localDateTimeOf(extension.until, zone).date)} (hạn lúc đó: ${formatShortDate(localDateTimeOf(extension.previousDueAt, zone).date)})`,
        `Lý do: ${extension.reason}`,
        ...(extension.requestedBy ? [`Người đề nghị: ${extension.requestedBy}`] : []),
      ],
      tone: 'info',
    });
    if (extension.decidedAt) {
      events.push({
        at: extension.decidedAt,
        when: when(extension.decidedAt, zone),
        title: extension.status === 'approved' ? 'Đồng ý gia hạn' : 'Không đồng ý gia hạn',
        lines: [...(extension.decidedBy ? [`Người quyết định: ${extension.decidedBy}`] : []), ...(extension.decisionNote ? [`Ghi chú: ${extension.decisionNote}`] : [])],
        tone: extension.status === 'approved' ? 'ok' : 'warn',
      });
    }
  }
  if (occurrence.waiver) {
    const waiver = occurrence.waiver;
    events.push({
      at: waiver.waivedAt,
      when: when(waiver.waivedAt, zone),
      title: 'Được miễn',
      lines: [`Lý do: ${waiver.reason}`, ...(waiver.waivedBy ? [`Người quyết định: ${waiver.waivedBy}`] : [])],
      tone: 'info',
    });
  }
  if (occurrence.submission) {
    const submission = occurrence.submission;
    const fieldLines = duty.fields.flatMap((field) => {
      const value = submission.fields[field.id];
      return value === undefined ? [] : [`${field.label}: ${formatFieldValue(field, value)}`];
    });
    events.push({
      at: submission.receivedAt,
      when: when(submission.receivedAt, zone),
      title: submission.late ? 'Nộp muộn' : 'Nộp đúng hạn',
      lines: [
        `Số tiếp nhận: ${submission.reference}`,
        ...(submission.submittedBy ? [`Người nộp: ${submission.submittedBy}`] : []),
        ...fieldLines,
        ...(submission.note ? [`Ghi chú: ${submission.note}`] : []),
      ],
      tone: submission.late ? 'warn' : 'ok',
    });
  }
  return events;
}

export function itemHistories(duties: DutyStatusView[], deliveries: MailDelivery[], filter: { dutyId?: string; unitId?: string } = {}): ItemHistory[] {
  const unitNames = new Map<string, string>();
  for (const duty of duties) {
    for (const occurrence of duty.occurrences) {
      unitNames.set(occurrence.unitId, occurrence.unitName);
      for (const step of occurrence.escalations ?? []) unitNames.set(step.notifyUnitId, step.notifyUnitName);
    }
  }
  const histories: ItemHistory[] = [];
  for (const duty of duties) {
    if (filter.dutyId && duty.dutyId !== filter.dutyId) continue;
    const zone = duty.timeZone;
    for (const occurrence of duty.occurrences) {
      if (filter.unitId && occurrence.unitId !== filter.unitId) continue;
      const mail = mailEvents(occurrence, deliveries, unitNames, zone);
      const delivered = new Set(mail.map((event) => event.title));
      // Handed to the mailroom but not answered yet (collection window, outage): still worth showing.
      const waiting: HistoryEvent[] = (occurrence.escalations ?? [])
        .filter((step) => step.handedOver && !delivered.has(`${MAIL_KIND_LABELS.escalation} cấp ${step.level}`))
        .map((step) => ({
          at: step.at,
          when: when(step.at, zone),
          title: `${MAIL_KIND_LABELS.escalation} cấp ${step.level}`,
          lines: [`Gửi tới: ${step.notifyUnitName}`, 'Kết quả: đã chuyển bộ phận gửi thư, đang chờ gửi'],
          tone: 'warn',
        }));
      const open = occurrence.status === 'pending' || occurrence.status === 'extended' || occurrence.status === 'overdue';
      histories.push({
        anchor: `muc-${occurrence.key.replace(/[^A-Za-z0-9-]/g, '-')}`,
        dutyId: duty.dutyId,
        dutyTitle: duty.dutyTitle,
        unitId: occurrence.unitId,
        unitName: occurrence.unitName,
        periodLabel: occurrence.periodLabel,
        dueAt: occurrence.dueAt,
        deadline: when(occurrence.dueAt, zone),
        status: occurrence.status,
        statusLabel: OCCURRENCE_STATUS_LABELS[occurrence.status],
        events: [...mail, ...waiting, ...recordEvents(duty, occurrence)].sort((a, b) => a.at.localeCompare(b.at)),
        planned: open
          ? (occurrence.escalations ?? [])
              .filter((step) => !step.handedOver)
              .map((step) => `Nếu chưa nộp: báo cấp ${step.level} (${step.notifyUnitName}) lúc ${when(step.at, zone)}`)
          : [],
        attachments: (occurrence.submission?.attachments ?? []).map((file) => ({
          name: `${file.name} (${formatFileSize(file.size)})`,
          link: attachmentLink(duty, occurrence, file),
        })),
      });
    }
  }
  return histories.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.unitName.localeCompare(b.unitName, 'vi'));
}
