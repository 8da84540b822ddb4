/**
 * Vietnamese date wording for emails. Instants arrive as ISO UTC; people read local dates in the
 * plan's zone, weekday first, as official letters do ("Thứ Sáu, 20/03/2026").
 */
import { DateTime } from 'luxon';

/** Index = ISO weekday (1 = Monday). */
const WEEKDAYS = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'] as const;

function localDateTime(instant: string, zone: string): DateTime {
  const dt = DateTime.fromISO(instant, { zone });
  if (!dt.isValid) throw new RangeError(`invalid instant ${instant} in zone ${zone}: ${dt.invalidExplanation ?? ''}`);
  return dt;
}

function dayWithWeekday(dt: DateTime): string {
  return `${WEEKDAYS[dt.weekday]}, ${dt.toFormat('dd/MM/yyyy')}`;
}

/** '2026-03-20' → '20/03/2026'. */
export function formatLocalDate(localDate: string): string {
  const [year, month, day] = localDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * A deadline at 24:00 local (the usual case, BLDS Đ148.6) is the end of the PREVIOUS calendar
 * day: "hết ngày Thứ Sáu, 20/03/2026" for 2026-03-20T17:00Z in Asia/Ho_Chi_Minh. Any other
 * time of day is shown with the time.
 */
export function formatDeadline(instant: string, zone: string): string {
  const dt = localDateTime(instant, zone);
  if (dt.hour === 0 && dt.minute === 0 && dt.second === 0 && dt.millisecond === 0) {
    return `hết ngày ${dayWithWeekday(dt.minus({ days: 1 }))}`;
  }
  return `${dt.toFormat('HH:mm')}, ${dayWithWeekday(dt)}`;
}

/** Meeting start: '08:00, Thứ Hai, 23/03/2026'. */
export function formatEventTime(instant: string, zone: string): string {
  const dt = localDateTime(instant, zone);
  return `${dt.toFormat('HH:mm')}, ${dayWithWeekday(dt)}`;
}
