/**
 * Local calendar dates ('YYYY-MM-DD') as integer day numbers (days since 1970-01-01).
 *
 * The schedule expander calls these hundreds of thousands of times, so they use plain integer
 * arithmetic (proleptic Gregorian, H. Hinnant's civil-from-days) instead of luxon objects.
 */
import { CalendarInputError } from './errors';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DIGIT_0 = 48;

function digitAt(text: string, index: number): number {
  const digit = text.charCodeAt(index) - DIGIT_0;
  return digit >= 0 && digit <= 9 ? digit : Number.NaN;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses 'YYYY-MM-DD' strictly; returns undefined for anything else, including 2026-02-30. */
export function tryParseCivilDate(text: string): CivilDate | undefined {
  if (typeof text !== 'string' || text.length !== 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  if (Number.isNaN(year) || Number.isNaN(month) || Number.isNaN(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function parseCivilDate(text: string): CivilDate {
  const civil = tryParseCivilDate(text);
  if (civil === undefined) {
    throw new CalendarInputError(`Ngày không hợp lệ: "${String(text)}" (cần một ngày có thật, dạng YYYY-MM-DD).`);
  }
  return civil;
}

export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function civilFromEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function parseEpochDay(text: string): number {
  const { year, month, day } = parseCivilDate(text);
  return epochDayFromCivil(year, month, day);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

export function formatCivilDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function formatEpochDay(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay);
  return formatCivilDate(year, month, day);
}

/** 1970-01-01 (epoch day 0) was a Thursday. */
export function isoWeekdayOfEpochDay(epochDay: number): IsoWeekday {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1 as IsoWeekday;
}

export function isWeekend(weekday: IsoWeekday): boolean {
  return weekday >= 6;
}

/** For schema validation: a real calendar date written 'YYYY-MM-DD'. */
export function isValidLocalDate(text: string): boolean {
  return tryParseCivilDate(text) !== undefined;
}
