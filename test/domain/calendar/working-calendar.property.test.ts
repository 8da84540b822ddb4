import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, addCalendarDays, type CalendarYear } from '../../../domain/calendar';
import { epochDayFromCivil, formatEpochDay } from '../../../domain/calendar/local-date';
import { calendar2026, plainCalendarYear } from './fixtures/calendar-2026';

/**
 * 2024–2028 with the real 2026 data and random holidays/make-up weekends elsewhere, so the
 * properties meet long breaks, make-up Saturdays and year boundaries.
 */
const firstDay = epochDayFromCivil(2025, 1, 1);
const lastDay = epochDayFromCivil(2027, 12, 31);
const startDates = fc.integer({ min: firstDay, max: lastDay }).map(formatEpochDay);
const counts = fc.integer({ min: 1, max: 60 });

function randomYear(year: number): fc.Arbitrary<CalendarYear> {
  const days = fc.integer({ min: epochDayFromCivil(year, 1, 1), max: epochDayFromCivil(year, 12, 31) });
  return fc
    .tuple(fc.uniqueArray(days, { maxLength: 25 }), fc.uniqueArray(days, { maxLength: 4 }))
    .map(([off, makeUp]) => {
      const weekendMakeUp = makeUp.filter((day) => !off.includes(day) && isWeekendDay(day));
      return {
        ...plainCalendarYear(year),
        daysOff: off.map(formatEpochDay),
        makeUpWorkingDays: weekendMakeUp.map(formatEpochDay),
      };
    });
}

function isWeekendDay(epochDay: number): boolean {
  return DateTime.fromISO(formatEpochDay(epochDay), { zone: 'UTC' }).weekday >= 6;
}

const calendars = fc
  .tuple(randomYear(2024), randomYear(2025), randomYear(2027), randomYear(2028))
  .map(([y2024, y2025, y2027, y2028]) => new WorkingCalendar([y2024, y2025, calendar2026, y2027, y2028]));

describe('WorkingCalendar properties', () => {
  it('n working days after a date is a working day strictly after it, with exactly n working days in between', () => {
    fc.assert(
      fc.property(calendars, startDates, counts, (calendar, start, n) => {
        const result = calendar.addWorkingDays(start, n);
        expect(result > start).toBe(true);
        expect(calendar.isWorkingDay(result)).toBe(true);
        expect(calendar.workingDaysBetween(start, result)).toBe(n);
        expect(calendar.workingDaysBetween(start, addCalendarDays(result, -1))).toBe(n - 1);
      }),
    );
  });

  it('n working days before a date is a working day strictly before it', () => {
    fc.assert(
      fc.property(calendars, startDates, counts, (calendar, start, n) => {
        const result = calendar.addWorkingDays(start, -n);
        expect(result < start).toBe(true);
        expect(calendar.isWorkingDay(result)).toBe(true);
        expect(calendar.workingDaysBetween(start, result)).toBe(-n);
      }),
    );
  });

  it('counting n forward then n back returns a day on or before the start, and exactly it on a working day', () => {
    fc.assert(
      fc.property(calendars, startDates, counts, (calendar, start, n) => {
        const back = calendar.addWorkingDays(calendar.addWorkingDays(start, n), -n);
        expect(back <= start).toBe(true);
        expect(back).toBe(calendar.previousWorkingDayOnOrBefore(start));
      }),
    );
  });

  it('rolling forward lands on the first working day on or after the date and is idempotent', () => {
    fc.assert(
      fc.property(calendars, startDates, (calendar, date) => {
        const rolled = calendar.rollForwardToWorkingDay(date);
        expect(rolled >= date).toBe(true);
        expect(calendar.isWorkingDay(rolled)).toBe(true);
        expect(calendar.rollForwardToWorkingDay(rolled)).toBe(rolled);
        for (let day = date; day < rolled; day = addCalendarDays(day, 1)) {
          expect(calendar.isWorkingDay(day)).toBe(false);
        }
      }),
    );
  });

  it('the working day on or before a date is a working day with only days off after it up to the date', () => {
    fc.assert(
      fc.property(calendars, startDates, (calendar, date) => {
        const previous = calendar.previousWorkingDayOnOrBefore(date);
        expect(previous <= date).toBe(true);
        expect(calendar.isWorkingDay(previous)).toBe(true);
        expect(calendar.workingDaysBetween(previous, date)).toBe(0);
      }),
    );
  });

  it('monthly working days add up to the yearly count', () => {
    fc.assert(
      fc.property(calendars, fc.constantFrom(2025, 2026, 2027), (calendar, year) => {
        const byMonth = Array.from({ length: 12 }, (_, index) => calendar.workingDaysInMonth(year, index + 1));
        const total = byMonth.reduce((sum, days) => sum + days, 0);
        expect(calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(total);
      }),
    );
  });
});
