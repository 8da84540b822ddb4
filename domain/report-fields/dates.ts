/**
 * Calendar days typed by a person: "20/03/2026" (day/month/year, as Vietnamese writes dates, with
 * "/", "-" or "." between), or ISO "2026-03-20". The canonical value is 'YYYY-MM-DD'. Pure
 * arithmetic, no calendar library: the workflow checks dates with the same code.
 */

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isoOf(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' of a typed date, or undefined when it is not a real day. */
export function parseTypedDate(input: string): string | undefined {
  const text = input.trim();
  const vietnamese = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (vietnamese) return isoOf(Number(vietnamese[3]), Number(vietnamese[2]), Number(vietnamese[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return undefined;
}

/** True for a canonical date: exactly 'YYYY-MM-DD' and a real day. */
export function isCanonicalDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseTypedDate(value) === value;
}

/** '2026-03-20' → '20/03/2026'. */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}
