/**
 * The supervising office's view (Phòng Văn hóa - Xã hội): every duty with its counts, every overdue
 * item with the levels already alerted, and one unit's items on request. Built from the same status
 * queries as `kehoach status`; nothing is stored outside the workflows.
 */
import { formatDateWithWeekday, formatDeadline, localDateTimeOf } from '../domain/calendar';
import { DUTY_STATUS_LABELS, OCCURRENCE_STATUS_LABELS } from '../client/status-labels';
import type { DutyStatusView, OccurrenceStatus } from '../workflows/types';

type Counted = 'submitted' | 'late' | 'overdue' | 'pending' | 'waived';

function countsOf(duty: DutyStatusView): Record<Counted, number> {
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

export function officeView(planTitle: string, duties: DutyStatusView[], selectedUnitId: string | undefined, nowIso: string) {
  const zone = duties[0]?.timeZone ?? 'Asia/Ho_Chi_Minh';
  const units = new Map<string, string>();
  for (const duty of duties) for (const o of duty.occurrences) units.set(o.unitId, o.unitName);
  const overdue = duties.flatMap((duty) =>
    duty.occurrences
      .filter((o) => o.status === 'overdue')
      .map((o) => ({
        dutyTitle: duty.dutyTitle,
        unitName: o.unitName,
        periodLabel: o.periodLabel,
        deadline: formatDeadline(o.dueAt, zone),
        dueAt: o.dueAt,
        escalated: o.escalatedLevels.length > 0 ? `cấp ${o.escalatedLevels.join(', ')}` : 'chưa',
      })),
  );
  overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.unitName.localeCompare(b.unitName, 'vi'));
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
          })),
      ).sort((a, b) => a.dueAt.localeCompare(b.dueAt))
    : [];
  const { date, time } = localDateTimeOf(nowIso, zone);
  return {
    pageTitle: 'Theo dõi thực hiện kế hoạch',
    wide: true,
    planTitle,
    asOf: `${time}, ${formatDateWithWeekday(date)}`,
    units: [...units]
      .sort((a, b) => a[1].localeCompare(b[1], 'vi'))
      .map(([id, name]) => ({ id, name, selected: id === selectedUnitId })),
    overdue,
    overdueCount: overdue.length,
    unitName: selectedUnitId ? (units.get(selectedUnitId) ?? selectedUnitId) : undefined,
    unitRows,
    duties: duties.map((duty) => ({
      title: duty.dutyTitle,
      status: duty.status,
      statusLabel: DUTY_STATUS_LABELS[duty.status],
      nextDeadline: duty.nextDeadline ? formatDeadline(duty.nextDeadline, zone) : '—',
      ...countsOf(duty),
    })),
  };
}
