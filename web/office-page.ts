/**
 * The supervising office's view (Phòng Văn hóa - Xã hội): every duty with its counts, every overdue
 * item with the levels already alerted, and one unit's items on request. Built from the same status
 * queries as `kehoach status`; nothing is stored outside the workflows.
 */
import { formatDeadline, formatInstant } from '../domain/calendar';
import { dutyStatusLabel, OCCURRENCE_STATUS_LABELS } from '../domain/status-labels';
import { DUE_SOON_DAYS, isDueSoon } from '../domain/statuses';
import type { DutyStatusView, MailOutage, OccurrenceStatus, OccurrenceView } from '../workflows/types';
import { decisionLink, decisionsFor } from './office-decisions';
import { attachmentLink } from './attachment-download';

type Counted = 'submitted' | 'late' | 'overdue' | 'pending' | 'waived';

/** The items `keep` selects, as the office's lists show them: soonest deadline first, then by unit. */
function itemRows<Extra extends object>(
  duties: DutyStatusView[],
  zone: string,
  keep: (o: OccurrenceView) => boolean,
  extra: (o: OccurrenceView) => Extra,
) {
  const rows = duties.flatMap((duty) =>
    duty.occurrences.filter(keep).map((o) => ({
      dutyTitle: duty.dutyTitle,
      unitName: o.unitName,
      periodLabel: o.periodLabel,
      deadline: formatDeadline(o.dueAt, zone),
      dueAt: o.dueAt,
      ...extra(o),
    })),
  );
  return rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.unitName.localeCompare(b.unitName, 'vi'));
}

/** Occurrences of a duty by what the office counts; items before tracking or removed count nowhere. */
export function countsOf(duty: DutyStatusView): Record<Counted, number> {
  const counts: Record<Counted, number> = { submitted: 0, late: 0, overdue: 0, pending: 0, waived: 0 };
  const bucket: Partial<Record<OccurrenceStatus, Counted>> = {
    submitted: 'submitted',
    late: 'late',
    overdue: 'overdue',
    pending: 'pending',
    extended: 'pending',
    waived: 'waived',
  };
  for (const occurrence of duty.occurrences) {
    const key = bucket[occurrence.status];
    if (key) counts[key] += 1;
  }
  return counts;
}

/** What needs the office's attention before anything else: mail that is failing, duties in trouble. */
function alertsOf(duties: DutyStatusView[], outage: MailOutage | null, zone: string): string[] {
  const alerts: string[] = [];
  if (outage) {
    alerts.push(
      `Máy chủ thư không nhận thư từ ${formatInstant(outage.since, zone)}: ${outage.waitingDigests} thư đang chờ gửi lại, ` +
        `lần thử tiếp theo lúc ${formatInstant(outage.nextAttemptAt, zone)}. Lỗi gần nhất: ${outage.lastError}`,
    );
  }
  for (const duty of duties) {
    if (duty.alert) alerts.push(`${duty.dutyTitle}: ${duty.alert.message} (từ ${formatInstant(duty.alert.since, zone)})`);
  }
  return alerts;
}

export function officeView(
  planTitle: string,
  duties: DutyStatusView[],
  selectedUnitId: string | undefined,
  nowIso: string,
  outage: MailOutage | null = null,
) {
  const zone = duties[0]?.timeZone ?? 'Asia/Ho_Chi_Minh';
  const alerts = alertsOf(duties, outage, zone);
  const units = new Map<string, string>();
  for (const duty of duties) for (const o of duty.occurrences) units.set(o.unitId, o.unitName);
  for (const duty of duties) for (const partner of duty.roles?.partners ?? []) if (!units.has(partner.id)) units.set(partner.id, partner.name);
  // Partners see the duty they take part in, with its lead units; they submit nothing.
  const partnerRows = selectedUnitId
    ? duties
        .filter((duty) => duty.roles?.partners?.some((partner) => partner.id === selectedUnitId))
        .map((duty) => ({ dutyTitle: duty.dutyTitle, leads: [...new Set(duty.occurrences.map((o) => o.unitName))].join(', ') || 'chưa có kỳ nào' }))
    : [];
  const overdue = itemRows(duties, zone, (o) => o.status === 'overdue', (o) => ({
    escalated: o.escalatedLevels.length > 0 ? `cấp ${o.escalatedLevels.join(', ')}` : 'chưa',
  }));
  const unitRows = selectedUnitId
    ? duties.flatMap((duty) =>
        duty.occurrences
          .filter((o) => o.unitId === selectedUnitId && o.status !== 'removed')
          .map((o) => ({
            dutyTitle: duty.dutyTitle,
            periodLabel: o.periodLabel,
            deadline: formatDeadline(o.dueAt, zone),
            dueAt: o.dueAt,
            status: o.status,
            statusLabel: OCCURRENCE_STATUS_LABELS[o.status],
            reference: o.submission?.reference ?? '',
            actions: decisionsFor(duty, o),
            files: (o.submission?.attachments ?? []).map((ref) => ({ name: ref.name, link: attachmentLink(duty, o, ref) })),
          })),
      ).sort((a, b) => a.dueAt.localeCompare(b.dueAt))
    : [];
  const pendingExtensions = duties.flatMap((duty) =>
    duty.occurrences.flatMap((o) =>
      o.extensions
        .filter((record) => record.status === 'pending')
        .map((record) => ({
          dutyTitle: duty.dutyTitle,
          unitName: o.unitName,
          periodLabel: o.periodLabel,
          deadline: formatDeadline(o.dueAt, zone),
          until: formatDeadline(record.until, zone),
          reason: record.reason,
          approveLink: decisionLink(duty, o, 'duyet'),
          refuseLink: decisionLink(duty, o, 'tu-choi'),
        })),
    ),
  );
  const nowMs = Date.parse(nowIso);
  const dueSoon = itemRows(duties, zone, (o) => isDueSoon(o, nowMs), (o) => ({ statusLabel: OCCURRENCE_STATUS_LABELS[o.status] }));
  return {
    pendingExtensions,
    pendingExtensionCount: pendingExtensions.length,
    pageTitle: 'Theo dõi thực hiện kế hoạch',
    wide: true,
    alerts,
    hasAlerts: alerts.length > 0,
    planTitle,
    asOf: formatInstant(nowIso, zone, { weekday: true }),
    units: [...units]
      .sort((a, b) => a[1].localeCompare(b[1], 'vi'))
      .map(([id, name]) => ({ id, name, selected: id === selectedUnitId })),
    overdue,
    overdueCount: overdue.length,
    dueSoon,
    dueSoonCount: dueSoon.length,
    dueSoonDays: DUE_SOON_DAYS,
    unitName: selectedUnitId ? (units.get(selectedUnitId) ?? selectedUnitId) : undefined,
    unitRows,
    partnerRows,
    hasPartnerRows: partnerRows.length > 0,
    duties: duties.map((duty) => ({
      dutyId: duty.dutyId,
      title: duty.dutyTitle,
      status: duty.status,
      statusLabel: dutyStatusLabel(duty),
      nextDeadline: duty.nextDeadline ? formatDeadline(duty.nextDeadline, zone) : '—',
      ...countsOf(duty),
    })),
  };
}
