import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  CalendarInputError,
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  endOfLocalDay,
  isValidTimeZone,
  localDateOf,
  localDateTimeOf,
  localDateTimeToUtc,
  weekdayOf,
} from '../../../domain/calendar';

describe('instants in the plan zone', () => {
  it('ends a day at 24:00 local, 17:00 UTC in Asia/Ho_Chi_Minh (BLDS Đ148.6)', () => {
    expect(endOfLocalDay('2026-03-20', 'Asia/Ho_Chi_Minh')).toBe('2026-03-20T17:00:00.000Z');
    expect(endOfLocalDay('2026-03-20')).toBe('2026-03-20T17:00:00.000Z');
    expect(endOfLocalDay('2026-12-31')).toBe('2026-12-31T17:00:00.000Z');
  });

  it('follows daylight saving time in zones that have it', () => {
    // Europe/Berlin switches to UTC+2 on 29/03/2026 and back to UTC+1 on 25/10/2026.
    expect(endOfLocalDay('2026-03-28', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    expect(localDateTimeToUtc('2026-10-26', '08:00', 'Europe/Berlin')).toBe('2026-10-26T07:00:00.000Z');
  });

  it('gets times right on the day the offset changes', () => {
    expect(localDateTimeToUtc('2026-03-29', '01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z');
    expect(localDateTimeToUtc('2026-03-29', '03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 does not exist that night; like luxon, move forward to 03:30 summer time.
    expect(localDateTimeToUtc('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(localDateTimeOf('2026-03-29T00:59:00Z', 'Europe/Berlin')).toEqual({ date: '2026-03-29', time: '01:59' });
    expect(localDateTimeOf('2026-03-29T01:00:00Z', 'Europe/Berlin')).toEqual({ date: '2026-03-29', time: '03:00' });
    expect(localDateTimeOf('2026-10-25T00:30:00Z', 'Europe/Berlin')).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(localDateTimeOf('2026-10-25T01:30:00Z', 'Europe/Berlin')).toEqual({ date: '2026-10-25', time: '02:30' });
  });

  it('converts a local wall-clock time to UTC', () => {
    expect(localDateTimeToUtc('2026-03-20', '07:30')).toBe('2026-03-20T00:30:00.000Z');
    expect(localDateTimeToUtc('2026-01-01', '00:00')).toBe('2025-12-31T17:00:00.000Z');
    expect(localDateTimeToUtc('2026-03-20', '23:59')).toBe('2026-03-20T16:59:00.000Z');
  });

  it('reads the local date and time of an instant', () => {
    expect(localDateOf('2026-03-20T16:59:59.999Z')).toBe('2026-03-20');
    expect(localDateOf('2026-03-20T17:00:00.000Z')).toBe('2026-03-21');
    expect(localDateOf('2026-03-20T23:30:00+07:00')).toBe('2026-03-20');
    expect(localDateTimeOf('2025-12-31T17:05:00Z')).toEqual({ date: '2026-01-01', time: '00:05' });
  });

  it('rejects instants without a zone, bad times and unknown zones in Vietnamese', () => {
    expect(() => localDateOf('2026-03-20T10:00:00')).toThrow(/Thời điểm không hợp lệ/);
    expect(() => localDateOf('hôm nay')).toThrow(CalendarInputError);
    expect(() => localDateTimeToUtc('2026-03-20', '7:30')).toThrow(/Giờ không hợp lệ: "7:30"/);
    expect(() => localDateTimeToUtc('2026-03-20', '24:00')).toThrow(CalendarInputError);
    expect(() => endOfLocalDay('2026-03-20', 'Asia/Hanoi_Typo')).toThrow(/Múi giờ không hợp lệ: "Asia\/Hanoi_Typo"/);
  });

  it('knows IANA zones, asked once or many times', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
      expect(isValidTimeZone('Europe/Berlin')).toBe(true);
      expect(isValidTimeZone('Asia/Hai_Phong')).toBe(false);
      expect(isValidTimeZone('')).toBe(false);
    }
  });
});

describe('calendar-day arithmetic', () => {
  it('adds calendar days across months, leap days and years', () => {
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2026-01-10', -30)).toBe('2025-12-11');
    expect(calendarDaysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(() => addCalendarDays('2026-01-10', 0.5)).toThrow(CalendarInputError);
  });

  it('adds calendar months, clamping to the last day of the month', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addCalendarMonths('2026-03-15', -3)).toBe('2025-12-15');
    expect(addCalendarMonths('2028-03-31', -1)).toBe('2028-02-29');
  });

  it('gives ISO weekdays, 1 = Monday to 7 = Sunday', () => {
    expect(weekdayOf('2026-01-01')).toBe(4);
    expect(weekdayOf('2026-01-10')).toBe(6);
    expect(weekdayOf('2026-04-26')).toBe(7);
    expect(weekdayOf('2026-04-27')).toBe(1);
  });
});

describe('agreement with luxon (property)', () => {
  const zones = fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC');
  const instantsMs = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31) });

  it('reads local date and time like luxon, including around offset changes', () => {
    fc.assert(
      fc.property(zones, instantsMs, (zone, ms) => {
        const reference = DateTime.fromMillis(ms, { zone });
        expect(localDateTimeOf(new Date(ms).toISOString(), zone)).toEqual({
          date: reference.toISODate(),
          time: reference.toFormat('HH:mm'),
        });
      }),
    );
  });

  it('converts local wall-clock times to the instants luxon gives for times that exist', () => {
    fc.assert(
      fc.property(zones, instantsMs, (zone, ms) => {
        const local = DateTime.fromMillis(ms, { zone }).startOf('minute');
        const date = local.toISODate() ?? '';
        const time = local.toFormat('HH:mm');
        const expected = DateTime.fromISO(`${date}T${time}`, { zone });
        // An ambiguous time in the autumn overlap may pick either instant; both must show this wall-clock time.
        const actual = localDateTimeToUtc(date, time, zone);
        expect(localDateTimeOf(actual, zone)).toEqual({ date, time });
        // Lord Howe's half-hour overlap is ambiguous with the same offset on the first reading, so
        // ambiguity is asked of luxon rather than inferred from the offsets.
        if (local.getPossibleOffsets().length === 1) expect(actual).toBe(expected.toUTC().toISO());
      }),
      { numRuns: 500 },
    );
  });
});
