/**
 * The Vietnamese lunar calendar (âm lịch), computed for UTC+7 as Vietnam has kept it since 1968.
 * The Chinese calendar is computed for UTC+8 and puts a new moon on a different day in some years
 * (Tết 1985, 2007, 2030), so a Chinese lunar library would place Tết or Giỗ Tổ a day off.
 *
 * Not imported by workflow code: holidays are computed when a plan is written, then kept as data.
 */
// The package ships its types without listing them in "exports", so they are referenced directly.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- no import path reaches a file outside "exports"
/// <reference path="../../node_modules/date-chinese/types/index.d.ts" />
import { CalendarVietnamese } from 'date-chinese';
import { formatCivilDate } from './local-date';

export interface LunarDate {
  month: number;
  day: number;
  leapMonth: boolean;
}

/**
 * The solar date ('YYYY-MM-DD') of a day of the lunar year whose Tết falls in `solarYear`.
 * `leapMonth` picks the second (nhuận) month of that number where the year has one.
 */
export function solarDateOfLunar(solarYear: number, month: number, day: number, leapMonth = false): string {
  const calendar = new CalendarVietnamese();
  calendar.fromJDE(calendar.newYear(solarYear));
  const [cycle, year] = calendar.get() as [number, number];
  const solar = new CalendarVietnamese(cycle, year, month, leapMonth as unknown as number, day).toGregorian(solarYear);
  return formatCivilDate(solar.year, solar.month, solar.day);
}

/** The lunar month and day of a solar date. */
export function lunarDateOf(date: string): LunarDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [, , lunarMonth, leap, lunarDay] = new CalendarVietnamese().fromGregorian(year, month, day).get() as [
    number,
    number,
    number,
    boolean,
    number,
  ];
  return { month: lunarMonth, day: lunarDay, leapMonth: leap };
}

/** Mùng 1 tháng Giêng of the lunar year that begins in `solarYear`. */
export function tetDate(solarYear: number): string {
  return solarDateOfLunar(solarYear, 1, 1);
}
