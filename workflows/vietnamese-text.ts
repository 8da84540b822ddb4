/** Vietnamese renderings of instants for refusal messages, with plain offset arithmetic. */
import { dayMonthYear, momentText } from '../domain/moment-text';
import { MINUTE_MS, localDateOf } from './instants';

function localTime(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * MINUTE_MS);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

/** "HH:mm ngày DD/MM/YYYY" (domain/moment-text.ts), or "ngày DD/MM/YYYY" for a day's start. */
export function formatInstant(ms: number, utcOffsetMinutes: number): string {
  const time = localTime(ms, utcOffsetMinutes);
  const date = localDateOf(ms, utcOffsetMinutes);
  return time === '00:00' ? `ngày ${dayMonthYear(date)}` : momentText(date, time);
}

/** A deadline is the end of a local day (24:00), which reads better as "hết ngày DD/MM/YYYY". */
export function formatDeadline(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * MINUTE_MS);
  if (local.getUTCHours() === 0 && local.getUTCMinutes() === 0) {
    return `hết ngày ${dayMonthYear(localDateOf(ms - 1, utcOffsetMinutes))}`;
  }
  return momentText(localDateOf(ms, utcOffsetMinutes), localTime(ms, utcOffsetMinutes));
}
