/** Vietnamese renderings of instants for refusal messages, with plain offset arithmetic. */
import { MINUTE_MS, localDateOf } from './instants';

function dayMonthYear(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** "HH:mm ngày DD/MM/YYYY", or "00:00 ngày …" spelled as "ngày DD/MM/YYYY" for a day's start. */
export function formatInstant(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * MINUTE_MS);
  const day = dayMonthYear(localDateOf(ms, utcOffsetMinutes));
  if (local.getUTCHours() === 0 && local.getUTCMinutes() === 0) return `ngày ${day}`;
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')} ngày ${day}`;
}

/** A deadline is the end of a local day (24:00), which reads better as "hết ngày DD/MM/YYYY". */
export function formatDeadline(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * MINUTE_MS);
  if (local.getUTCHours() === 0 && local.getUTCMinutes() === 0) {
    return `hết ngày ${dayMonthYear(localDateOf(ms - 1, utcOffsetMinutes))}`;
  }
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} ngày ${dayMonthYear(localDateOf(ms, utcOffsetMinutes))}`;
}
