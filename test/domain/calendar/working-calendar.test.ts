import { describe, expect, it } from 'vitest';
import {
  CalendarDataError,
  CalendarInputError,
  MissingCalendarYearError,
  WorkingCalendar,
  weekdayOf,
  type CalendarYear,
} from '../../../domain/calendar';
import { calendar2026, plainCalendarYear } from './fixtures/calendar-2026';

const calendar = new WorkingCalendar([calendar2026]);

describe('WorkingCalendar with the 2026 holidays of domain.md §6', () => {
  it.each([
    ['2025-12-31', '2026-01-09'],
    ['2026-01-08', '2026-01-14'],
    ['2026-02-13', '2026-02-27'],
    ['2026-04-24', '2026-05-06'],
    ['2026-08-28', '2026-09-08'],
  ])('counts 5 working days after %s, starting the next day (BLDS Đ147): %s', (start, expected) => {
    expect(calendar.addWorkingDays(start, 5)).toBe(expected);
  });

  it('counts the make-up Saturday 10/01 and skips the swapped Friday 02/01', () => {
    expect(calendar.isWorkingDay('2026-01-10')).toBe(true);
    expect(weekdayOf('2026-01-10')).toBe(6);
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-17')).toBe(false);
    expect(calendar.addWorkingDays('2026-01-09', 1)).toBe('2026-01-10');
  });

  it.each([
    ['2026-02-14', '2026-02-23'],
    ['2026-04-26', '2026-04-28'],
    ['2026-11-24', '2026-11-25'],
  ])('rolls a deadline on a day off %s past the whole break to %s (BLDS Đ148.5)', (deadline, expected) => {
    expect(calendar.rollForwardToWorkingDay(deadline)).toBe(expected);
  });

  it('leaves a deadline on a working day where it is', () => {
    expect(calendar.rollForwardToWorkingDay('2026-03-20')).toBe('2026-03-20');
    expect(calendar.rollForwardToWorkingDay('2026-01-10')).toBe('2026-01-10');
  });

  it('moves a lead time that falls on a day off to the working day before', () => {
    expect(calendar.previousWorkingDayOnOrBefore('2026-02-22')).toBe('2026-02-13');
    expect(calendar.previousWorkingDayOnOrBefore('2026-05-03')).toBe('2026-04-29');
    expect(calendar.previousWorkingDayOnOrBefore('2026-01-11')).toBe('2026-01-10');
    expect(calendar.previousWorkingDayOnOrBefore('2026-03-20')).toBe('2026-03-20');
  });

  it('has 21, 15, 22, 20, 20, 22, 23, 21, 20, 22, 20, 23 working days per month, 249 in the year', () => {
    const perMonth = Array.from({ length: 12 }, (_, index) => calendar.workingDaysInMonth(2026, index + 1));
    expect(perMonth).toEqual([21, 15, 22, 20, 20, 22, 23, 21, 20, 22, 20, 23]);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(249);
  });

  it('keeps the yearly total at 249 when 31/08 is swapped for a Saturday of the same year', () => {
    const swapped = new WorkingCalendar([
      { ...calendar2026, daysOff: [...calendar2026.daysOff, '2026-08-31'], makeUpWorkingDays: ['2026-01-10', '2026-08-22'] },
    ]);
    expect(swapped.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(249);
    expect(swapped.workingDaysInMonth(2026, 8)).toBe(21);
    expect(swapped.workingDaysInMonth(2026, 9)).toBe(20);
    expect(swapped.addWorkingDays('2026-08-28', 5)).toBe('2026-09-09');
  });

  it('counts backwards for "N working days before" an event', () => {
    expect(calendar.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
    expect(calendar.addWorkingDays('2026-01-14', -5)).toBe('2026-01-08');
    expect(calendar.addWorkingDays('2026-05-06', -5)).toBe('2026-04-24');
    expect(calendar.addWorkingDays('2026-05-06', -6)).toBe('2026-04-23');
  });

  it('makes workingDaysBetween the inverse of addWorkingDays in both directions', () => {
    expect(calendar.workingDaysBetween('2026-01-08', '2026-01-14')).toBe(5);
    expect(calendar.workingDaysBetween('2026-02-23', '2026-02-13')).toBe(-1);
    expect(calendar.workingDaysBetween('2026-03-20', '2026-03-20')).toBe(0);
    expect(calendar.workingDaysBetween('2026-03-20', '2026-03-21')).toBe(0);
  });

  it('rejects a zero or fractional count of working days', () => {
    expect(() => calendar.addWorkingDays('2026-03-20', 0)).toThrow(CalendarInputError);
    expect(() => calendar.addWorkingDays('2026-03-20', 1.5)).toThrow(CalendarInputError);
  });

  it('rejects malformed and impossible dates with a Vietnamese message', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(/Ngày không hợp lệ: "2026-02-30"/);
    expect(() => calendar.isWorkingDay('20/03/2026')).toThrow(CalendarInputError);
    expect(() => calendar.workingDaysInMonth(2026, 13)).toThrow(/Tháng không hợp lệ: 13/);
  });

  it('reports whether a year is known and provisional', () => {
    const calendar2 = new WorkingCalendar([calendar2026, { ...plainCalendarYear(2027), provisional: false }]);
    expect(calendar2.hasYear(2026)).toBe(true);
    expect(calendar2.hasYear(2028)).toBe(false);
    expect(calendar2.isProvisional(2026)).toBe(true);
    expect(calendar2.isProvisional(2027)).toBe(false);
    expect(calendar2.coveredYears()).toEqual([2026, 2027]);
    expect(() => calendar2.isProvisional(2028)).toThrow(MissingCalendarYearError);
  });
});

describe('a year without calendar data', () => {
  it('is an error naming the year, never an ordinary week', () => {
    const error = captureError(() => calendar.isWorkingDay('2027-01-04'));
    expect(error).toBeInstanceOf(MissingCalendarYearError);
    expect((error as MissingCalendarYearError).year).toBe(2027);
    expect((error as Error).message).toBe(
      'Chưa có lịch làm việc của năm 2027: kế hoạch phải liệt kê các ngày nghỉ lễ, ngày nghỉ bù và ngày làm bù ' +
        'của năm 2027 (mục lịch làm việc) thì mới tính được ngày làm việc.',
    );
  });

  it('is not needed for the day a count starts from, which never counts itself', () => {
    expect(calendar.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
    expect(calendar.addWorkingDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(calendar.workingDaysBetween('2025-12-31', '2026-01-05')).toBe(1);
  });

  it('stops a count that runs into it', () => {
    expect(() => calendar.addWorkingDays('2026-12-28', 5)).toThrow(/năm 2027/);
    expect(() => calendar.addWorkingDays('2026-01-05', -5)).toThrow(/năm 2025/);
    expect(() => calendar.rollForwardToWorkingDay('2027-01-01')).toThrow(MissingCalendarYearError);
    expect(() => calendar.workingDaysInMonth(2025, 12)).toThrow(MissingCalendarYearError);
    expect(() => calendar.workingDaysBetween('2025-12-01', '2026-01-05')).toThrow(/năm 2025/);
  });

  it('is an error even between two covered years', () => {
    const gapped = new WorkingCalendar([calendar2026, plainCalendarYear(2028)]);
    expect(gapped.addWorkingDays('2028-01-03', 1)).toBe('2028-01-04');
    expect(() => gapped.isWorkingDay('2027-06-01')).toThrow(/năm 2027/);
    expect(() => gapped.workingDaysBetween('2026-12-30', '2028-01-05')).toThrow(/năm 2027/);
  });

  it('is an error in a calendar with no years at all', () => {
    expect(() => new WorkingCalendar([]).isWorkingDay('2026-03-20')).toThrow(/năm 2026/);
  });
});

describe('calendar data validation', () => {
  const base: CalendarYear = { year: 2026, provisional: false, daysOff: [], makeUpWorkingDays: [] };

  it('names an unparseable date and where it is', () => {
    const error = captureError(() => new WorkingCalendar([{ ...base, daysOff: ['2026-01-01', '2026-13-01'] }]));
    expect(error).toBeInstanceOf(CalendarDataError);
    expect(error).toMatchObject({ year: 2026, field: 'daysOff', index: 1, date: '2026-13-01' });
    expect((error as Error).message).toBe(
      'Ngày "2026-13-01" trong danh sách ngày nghỉ của lịch năm 2026 không hợp lệ (cần một ngày có thật, dạng YYYY-MM-DD).',
    );
  });

  it('names a date filed under the wrong year', () => {
    const error = captureError(() => new WorkingCalendar([{ ...base, makeUpWorkingDays: ['2027-01-09'] }]));
    expect(error).toMatchObject({ field: 'makeUpWorkingDays', index: 0, date: '2027-01-09' });
    expect((error as Error).message).toBe(
      'Ngày 2027-01-09 trong danh sách ngày làm bù của lịch năm 2026 không thuộc năm 2026; hãy chuyển nó sang lịch năm 2027.',
    );
  });

  it('names a date that is both a day off and a make-up day', () => {
    const error = captureError(
      () => new WorkingCalendar([{ ...base, daysOff: ['2026-01-10'], makeUpWorkingDays: ['2026-01-10'] }]),
    );
    expect(error).toBeInstanceOf(CalendarDataError);
    expect((error as Error).message).toBe(
      'Ngày 2026-01-10 vừa là ngày nghỉ vừa là ngày làm bù trong lịch năm 2026; mỗi ngày chỉ được thuộc một danh sách.',
    );
  });

  it('rejects a make-up day on a weekday, which would change nothing', () => {
    expect(() => new WorkingCalendar([{ ...base, makeUpWorkingDays: ['2026-01-09'] }])).toThrow(
      /Ngày làm bù 2026-01-09 \(năm 2026\) không phải thứ Bảy hay Chủ nhật/,
    );
  });

  it('rejects a year declared twice', () => {
    expect(() => new WorkingCalendar([base, base])).toThrow(/năm 2026 được khai báo hai lần/);
  });

  it('accepts a holiday on a weekend, as notices list them', () => {
    const withSunday = new WorkingCalendar([{ ...base, daysOff: ['2026-04-26', '2026-04-27'] }]);
    expect(withSunday.isWorkingDay('2026-04-26')).toBe(false);
    expect(withSunday.isWorkingDay('2026-04-27')).toBe(false);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
