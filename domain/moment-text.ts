/**
 * The one way kehoach writes a moment for people, in mail, web pages, CLI output and refusals:
 * '08:00 ngày 15/12/2026' (with the weekday after it where the day matters, as for a meeting:
 * '08:00 ngày 23/03/2026 (Thứ Hai)'). No dependencies, so workflow code (which has only a UTC
 * offset) and the zone-aware formatters (vietnamese-format.ts) share it.
 */

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'. */
export function dayMonthYear(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** Local day 'YYYY-MM-DD' and time 'HH:mm' → '08:00 ngày 15/12/2026'. */
export function momentText(date: string, time: string): string {
  return `${time} ngày ${dayMonthYear(date)}`;
}
