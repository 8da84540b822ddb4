/**
 * One unit's calendar subscription: its deadlines and meetings as the duty workflows hold them now,
 * so the feed follows amendments and approved extensions (an extended deadline moves to its new
 * day). A meeting is an event at its time, with the same UID as its emailed invitation and the
 * plan's exported calendar; a deadline is an all-day event on its last day. Items the unit no
 * longer has to do (waived, removed by an amendment) are left out, so a subscribed calendar drops
 * them. It is a plain published calendar (no METHOD): nothing is asked of the reader.
 */
import { addCalendarDays, formatDeadline, localDateOf } from '../domain/calendar';
import type { DutyStatusView, OccurrenceView } from '../workflows/types';
import { PRODUCT_ID, meetingSummary, occurrenceEventProperties, occurrenceUid, serializeCalendar, text, utcDateTime, type IcsComponent } from '../domain/ics/icalendar';

/** The plan schema's default meeting length, for meetings whose end a duty does not report. */
const DEFAULT_MEETING_MINUTES = 120;

const STATUS_NOTES: Partial<Record<OccurrenceView['status'], string>> = {
  submitted: 'Đã nộp',
  late: 'Đã nộp muộn',
  overdue: 'Quá hạn, chưa nộp',
  extended: 'Đã được gia hạn',
};

export interface UnitFeedInput {
  planId: string;
  planTitle: string;
  timeZone: string;
  unitName: string;
  /** The plan's duties, each filtered to the unit's occurrences. */
  duties: readonly DutyStatusView[];
  /** When the feed is produced (DTSTAMP). */
  nowIso: string;
}

/** The local day a deadline (24:00 of its last day) falls on. */
function lastDayOf(dueAt: string, zone: string): string {
  return localDateOf(new Date(Date.parse(dueAt) - 1).toISOString(), zone);
}

export function unitFeedIcs({ planId, planTitle, timeZone, unitName, duties, nowIso }: UnitFeedInput): string {
  const stamp = utcDateTime(nowIso);
  const events: IcsComponent[] = [];
  for (const duty of duties) {
    for (const occurrence of duty.occurrences) {
      if (occurrence.status === 'waived' || occurrence.status === 'removed') continue;
      const note = STATUS_NOTES[occurrence.status];
      const description = [
        `Đơn vị thực hiện: ${occurrence.unitName}`,
        `Kỳ: ${occurrence.periodLabel}`,
        `Hạn nộp: ${formatDeadline(occurrence.dueAt, timeZone)}`,
        occurrence.dueAt !== occurrence.scheduledDueAt ? `Hạn ban đầu: ${formatDeadline(occurrence.scheduledDueAt, timeZone)}` : undefined,
        note ? `Tình trạng: ${note}` : undefined,
        occurrence.submission ? `Số tiếp nhận: ${occurrence.submission.reference}` : undefined,
      ]
        .filter((line): line is string => line !== undefined)
        .join('\n');
      const uid = occurrenceUid(occurrence.key, planId);
      const core = occurrence.eventAt
        ? occurrenceEventProperties({
            uid,
            summary: meetingSummary(duty.dutyTitle, occurrence.unitName),
            start: occurrence.eventAt,
            end: occurrence.eventEndAt ?? new Date(Date.parse(occurrence.eventAt) + DEFAULT_MEETING_MINUTES * 60_000).toISOString(),
            ...(occurrence.place ? { place: occurrence.place } : {}),
          })
        : occurrenceEventProperties({
            uid,
            summary: `Hạn: ${duty.dutyTitle} – ${occurrence.unitName}`,
            day: { date: lastDayOf(occurrence.dueAt, timeZone), nextDate: addCalendarDays(lastDayOf(occurrence.dueAt, timeZone), 1) },
          });
      events.push({
        name: 'VEVENT',
        properties: [
          ...core,
          { name: 'DTSTAMP', value: stamp },
          // Grows with every approved extension, so a calendar that compares versions takes the move.
          { name: 'SEQUENCE', value: String(occurrence.extensions.filter((record) => record.status === 'approved').length) },
          { name: 'DESCRIPTION', value: text(description) },
        ],
      });
    }
  }
  return serializeCalendar(
    [
      { name: 'PRODID', value: PRODUCT_ID },
      { name: 'CALSCALE', value: 'GREGORIAN' },
      { name: 'X-WR-CALNAME', value: text(`${unitName} – ${planTitle}`) },
      { name: 'X-WR-TIMEZONE', value: timeZone },
      // How often a subscribed calendar should fetch the feed again.
      { name: 'X-PUBLISHED-TTL', value: 'PT1H' },
    ],
    events,
  );
}
