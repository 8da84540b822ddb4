/**
 * The plan's year as an iCalendar file a calendar app can import: one VEVENT per occurrence, a
 * meeting at its time, a deadline as an all-day event on its last day. UIDs are the stable
 * occurrence keys, so importing a re-expanded plan updates events instead of duplicating them.
 */
import { addCalendarDays, formatDeadline } from '../calendar';
import type { PlanFile } from '../plan/schema';
import type { AgendaItem } from '../schedule/agenda';
import type { ExpandedPlan } from '../schedule/types';
import {
  PRODUCT_ID,
  meetingSummary,
  occurrenceEventProperties,
  occurrenceUid,
  serializeCalendar,
  text,
  textList,
  utcDateTime,
  type IcsComponent,
  type Mailbox,
} from './icalendar';

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

/** The plan's supervising office, organiser of every event of the plan (RFC 5546: PUBLISH needs one). */
export function planOrganizer(expanded: ExpandedPlan): Mailbox {
  const office = expanded.units.find((unit) => unit.id === expanded.supervisorUnitId);
  const address = office?.emails[0];
  if (office === undefined || address === undefined) {
    throw new IcsExportError(`Cơ quan chủ trì "${expanded.supervisorUnitId}" không có địa chỉ thư điện tử để ghi làm người tổ chức trong tệp lịch.`);
  }
  return { name: office.name, address };
}

export function agendaToIcs(plan: PlanFile, expanded: ExpandedPlan, items: readonly AgendaItem[]): string {
  const units = new Map(expanded.units.map((unit) => [unit.id, unit]));
  const duties = new Map(plan.duties.map((duty) => [duty.id, duty]));
  const zone = expanded.timeZone;
  const organizer = planOrganizer(expanded);
  // DTSTAMP must not change between runs of the same plan, or calendar apps see every event as new.
  const stamp = utcDateTime(new Date(Date.UTC(expanded.year, 0, 1)).toISOString());

  const events: IcsComponent[] = items.map(({ date, time, occurrence }) => {
    const duty = duties.get(occurrence.dutyId);
    const title = duty?.title ?? occurrence.dutyId;
    const unitName = units.get(occurrence.unitId)?.name ?? occurrence.unitId;
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
    const uid = occurrenceUid(occurrence.key, expanded.planId);
    const core =
      time !== undefined && occurrence.eventAt !== undefined && occurrence.eventEndAt !== undefined
      ? occurrenceEventProperties({
          uid,
          summary: meetingSummary(title, unitName),
          start: occurrence.eventAt,
          end: occurrence.eventEndAt,
          ...(occurrence.place === undefined ? {} : { place: occurrence.place }),
          organizer,
        })
      : occurrenceEventProperties({
          uid,
          summary: `Hạn: ${title} – ${unitName}`,
          day: { date, nextDate: addCalendarDays(date, 1) },
          organizer,
        });
    return {
      name: 'VEVENT',
      properties: [
        ...core,
        { name: 'DTSTAMP', value: stamp },
        { name: 'DESCRIPTION', value: text(description) },
        { name: 'CATEGORIES', value: textList([DUTY_KIND_LABELS[duty?.kind ?? 'other'] ?? 'Nhiệm vụ']) },
      ],
    };
  });

  return serializeCalendar(
    [
      { name: 'PRODID', value: PRODUCT_ID },
      { name: 'CALSCALE', value: 'GREGORIAN' },
      { name: 'METHOD', value: 'PUBLISH' },
      { name: 'X-WR-CALNAME', value: text(expanded.title) },
      { name: 'X-WR-TIMEZONE', value: zone },
    ],
    events,
  );
}
