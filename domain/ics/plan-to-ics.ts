/**
 * The plan's year as an iCalendar file a calendar app can import: one VEVENT per occurrence, a
 * meeting at its time, a deadline as an all-day event on its last day. UIDs are the stable
 * occurrence keys, so importing a re-expanded plan updates events instead of duplicating them.
 */
import { createEvents, type EventAttributes } from 'ics';
import { addCalendarDays, formatDeadline } from '../calendar';
import { parseCivilDate } from '../calendar/local-date';
import type { PlanFile } from '../plan/schema';
import type { AgendaItem } from '../schedule/agenda';
import type { ExpandedPlan } from '../schedule/types';

const DUTY_KIND_LABELS: Record<string, string> = {
  report: 'Báo cáo',
  meeting: 'Cuộc họp',
  conference: 'Hội nghị',
  posting: 'Niêm yết, công khai',
  'plan-document': 'Kế hoạch',
  other: 'Nhiệm vụ',
};

export class IcsExportError extends Error {
  override readonly name = 'IcsExportError';
}

export function agendaToIcs(plan: PlanFile, expanded: ExpandedPlan, items: readonly AgendaItem[]): string {
  const units = new Map(expanded.units.map((unit) => [unit.id, unit]));
  const duties = new Map(plan.duties.map((duty) => [duty.id, duty]));
  const zone = expanded.timeZone;
  // DTSTAMP must not change between runs of the same plan, or calendar apps see every event as new.
  const stamp = Date.UTC(expanded.year, 0, 1);

  const events: EventAttributes[] = items.map(({ date, time, occurrence }) => {
    const duty = duties.get(occurrence.dutyId);
    const unit = units.get(occurrence.unitId);
    const title = duty?.title ?? occurrence.dutyId;
    const unitName = unit?.name ?? occurrence.unitId;
    const override = duty?.perUnit.find((entry) => entry.unit === occurrence.unitId);
    const eventRule = override?.event ?? duty?.event;
    const description = [
      `Đơn vị thực hiện: ${unitName}`,
      `Kỳ: ${occurrence.periodLabel}`,
      `Hạn: ${formatDeadline(occurrence.dueAt, zone)}`,
      occurrence.remindAt.length > 0 ? `Nhắc việc: ${occurrence.remindAt.map((at) => formatDeadline(at, zone)).join('; ')}` : undefined,
      duty?.hold === undefined ? undefined : `Niêm yết liên tục ít nhất ${duty.hold.days} ngày.`,
      `Căn cứ: ${duty?.legalBasis ?? ''}`,
      `Mục trong kế hoạch: ${duty?.source ?? ''}`,
      duty?.note === undefined ? undefined : `Ghi chú: ${duty.note}`,
    ]
      .filter((line): line is string => line !== undefined)
      .join('\n');
    const common = {
      uid: `${occurrence.key}@${expanded.planId}`,
      description,
      categories: [DUTY_KIND_LABELS[duty?.kind ?? 'other'] ?? 'Nhiệm vụ'],
      productId: 'kehoach',
      timestamp: stamp,
    };
    if (time !== undefined && occurrence.eventAt !== undefined) {
      return {
        ...common,
        title: `${title} – ${unitName}`,
        start: Date.parse(occurrence.eventAt),
        startInputType: 'utc',
        startOutputType: 'utc',
        duration: { minutes: eventRule?.durationMinutes ?? 120 },
        ...(eventRule?.place === undefined ? {} : { location: eventRule.place }),
      } as EventAttributes;
    }
    const day = parseCivilDate(date);
    return {
      ...common,
      title: `Hạn: ${title} – ${unitName}`,
      start: [day.year, day.month, day.day],
      end: nextDay(date),
    } as EventAttributes;
  });

  const { error, value } = createEvents(events, { productId: 'kehoach', calName: expanded.title });
  if (error !== null || value === null) {
    throw new IcsExportError(`Không tạo được tệp lịch iCalendar: ${error?.message ?? 'lỗi không rõ'}`);
  }
  return value.replace(/^(METHOD:PUBLISH)\r?$/m, `$1\r\nX-WR-TIMEZONE:${zone}`);
}

function nextDay(date: string): [number, number, number] {
  const next = parseCivilDate(addCalendarDays(date, 1));
  return [next.year, next.month, next.day];
}
