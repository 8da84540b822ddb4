import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../../domain/calendar';
import { lunarDateOf, solarDateOfLunar, tetDate } from '../../../domain/calendar/lunar';
import { compareWithStatutory, provisionalCalendarYear } from '../../../domain/calendar/statutory-holidays';

// Expected dates are written out by hand from domain.md §6 and published calendars, never computed.
describe('the Vietnamese lunar calendar (UTC+7)', () => {
  it.each([
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    // Years where the Chinese calendar (UTC+8) puts Tết a day or a month later.
    [1985, '1985-01-21'],
    [2007, '2007-02-17'],
  ])('puts Tết %i on %s', (year, expected) => {
    expect(tetDate(year)).toBe(expected);
  });

  it.each([
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
  ])('puts Giỗ Tổ Hùng Vương (10/3 âm lịch) %i on %s', (year, expected) => {
    expect(solarDateOfLunar(year, 3, 10)).toBe(expected);
  });

  it('matches the official anchors of domain.md: 14/02/2026 = 27 Chạp, 22/02/2026 = mùng 6 Giêng', () => {
    expect(lunarDateOf('2026-02-14')).toEqual({ month: 12, day: 27, leapMonth: false });
    expect(lunarDateOf('2026-02-22')).toEqual({ month: 1, day: 6, leapMonth: false });
  });
});

describe('the provisional calendar of a year without an official notice', () => {
  it('gives 2026 the official days off except the swap the government decided (02/01 for Saturday 10/01)', () => {
    const official = [
      '2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02', '2026-11-24',
    ];
    const { missing, extra } = compareWithStatutory(2026, official);
    expect(missing).toEqual([]);
    expect(extra).toEqual(['2026-01-02']);
  });

  it('gives 2027 five Tết days with compensatory days for the Saturday and Sunday inside them', () => {
    const calendar = provisionalCalendarYear(2027);
    const days = new Map(calendar.daysOff.map((day) => [day.date, day]));
    expect([...days.keys()]).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
      '2027-04-16', '2027-04-30', '2027-05-01', '2027-05-03', '2027-09-02', '2027-09-03', '2027-11-24',
    ]);
    expect(days.get('2027-02-06')?.name).toBe('Tết Âm lịch (mùng 1, tạm tính)');
    expect(days.get('2027-02-10')?.name).toBe('Nghỉ bù Tết Âm lịch (06/02 là thứ Bảy)');
    expect(days.get('2027-02-10')?.notice).toBe('Bộ luật Lao động 2019 Điều 111 khoản 3');
    expect(days.get('2027-05-03')?.name).toBe('Nghỉ bù Ngày Quốc tế Lao động (01/05 là thứ Bảy)');
    expect(days.get('2027-02-05')?.note).toMatch(/5 ngày tối thiểu theo luật.*Thủ tướng quyết định/);
    expect(calendar.provisional).toBe(true);
    for (const day of calendar.daysOff) expect(day.note).not.toBe('');
  });

  it('moves a compensatory day past the next holiday: 30/04/2028 is a Sunday and 01/05 a holiday', () => {
    const dates = provisionalCalendarYear(2028).daysOff.map((day) => day.date);
    expect(dates).toContain('2028-05-02');
    expect(dates).toContain('2028-01-03');
  });

  it('gives no compensatory day for Ngày Văn hóa Việt Nam on a weekend (24/11/2029 is a Saturday)', () => {
    const dates = provisionalCalendarYear(2029).daysOff.map((day) => day.date);
    expect(dates).toContain('2029-11-24');
    expect(dates).not.toContain('2029-11-26');
  });

  it('is a calendar the working-day arithmetic accepts', () => {
    const { year, provisional, daysOff, makeUpWorkingDays } = provisionalCalendarYear(2027);
    const calendar = new WorkingCalendar([
      { year, provisional, daysOff: daysOff.map((day) => day.date), makeUpWorkingDays: makeUpWorkingDays.map((day) => day.date) },
    ]);
    expect(calendar.rollForwardToWorkingDay('2027-02-05')).toBe('2027-02-12');
  });
});
