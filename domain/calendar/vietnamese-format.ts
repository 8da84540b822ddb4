/** Dates as Vietnamese administrative documents and emails write them (NĐ 30/2020/NĐ-CP, Phụ lục I). */
import { CalendarInputError } from './errors';
import { DEFAULT_TIME_ZONE, localDateTimeOf } from './instants';
import { isoWeekdayOfEpochDay, parseCivilDate, parseEpochDay, type IsoWeekday } from './local-date';
import { momentText } from '../moment-text';

const WEEKDAY_NAMES: Record<IsoWeekday, string> = {
  1: 'Thứ Hai',
  2: 'Thứ Ba',
  3: 'Thứ Tư',
  4: 'Thứ Năm',
  5: 'Thứ Sáu',
  6: 'Thứ Bảy',
  7: 'Chủ nhật',
};

const ROMAN_QUARTERS = ['I', 'II', 'III', 'IV'] as const;

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * 'ngày 05 tháng 01 năm 2026', 'ngày 20 tháng 3 năm 2026': NĐ 30/2020 pads days below 10 and
 * months 1 and 2 with a zero, and only those (so "tháng 10" is never confused with "tháng 1").
 */
export function formatDocumentDate(date: string): string {
  const { year, month, day } = parseCivilDate(date);
  const monthText = month <= 2 ? pad2(month) : String(month);
  return `ngày ${pad2(day)} tháng ${monthText} năm ${year}`;
}

/** '05/01/2026' */
export function formatShortDate(date: string): string {
  const { year, month, day } = parseCivilDate(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** 'Thứ Hai' … 'Thứ Bảy', 'Chủ nhật'. */
export function weekdayName(date: string): string {
  return WEEKDAY_NAMES[isoWeekdayOfEpochDay(parseEpochDay(date))];
}

/** 'Thứ Sáu, 20/03/2026' */
export function formatDateWithWeekday(date: string): string {
  return `${weekdayName(date)}, ${formatShortDate(date)}`;
}

/**
 * A deadline for people to read. Deadlines are stored as 24:00 local (00:00 of the next day), which
 * people call the end of the previous day, so an instant at exactly local midnight shows that day
 * without a time: '2026-03-20T17:00:00.000Z' → 'Thứ Sáu, 20/03/2026'. Other instants are moments:
 * '09:30 ngày 20/03/2026 (Thứ Sáu)'.
 */
export function formatDeadline(instant: string, zone: string = DEFAULT_TIME_ZONE): string {
  const { time } = localDateTimeOf(instant, zone);
  if (time === '00:00') {
    const dayBefore = localDateTimeOf(new Date(Date.parse(instant) - 1).toISOString(), zone).date;
    return formatDateWithWeekday(dayBefore);
  }
  return formatInstant(instant, zone, { weekday: true });
}

/**
 * An instant for people to read, local to the plan's zone, in the one format of moments
 * (domain/moment-text.ts): '08:00 ngày 15/12/2026'; with `weekday`, '08:00 ngày 23/03/2026 (Thứ Hai)'.
 */
export function formatInstant(instant: string, zone: string = DEFAULT_TIME_ZONE, options: { weekday?: boolean } = {}): string {
  const { date, time } = localDateTimeOf(instant, zone);
  return options.weekday ? `${momentText(date, time)} (${weekdayName(date)})` : momentText(date, time);
}

/** 1 → 'I' … 4 → 'IV' (quarters are written in Roman numerals: "quý I/2026"). */
export function romanQuarter(quarter: number): string {
  const roman = Number.isInteger(quarter) ? ROMAN_QUARTERS[quarter - 1] : undefined;
  if (roman === undefined) throw new CalendarInputError(`Quý không hợp lệ: ${String(quarter)} (cần từ 1 đến 4).`);
  return roman;
}
