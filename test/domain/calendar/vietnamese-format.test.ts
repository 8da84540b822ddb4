import { describe, expect, it } from 'vitest';
import {
  CalendarInputError,
  endOfLocalDay,
  formatDateWithWeekday,
  formatDeadline,
  formatDocumentDate,
  formatShortDate,
  romanQuarter,
  weekdayName,
} from '../../../domain/calendar';

describe('Vietnamese date formatting', () => {
  it('writes document dates as NĐ 30/2020 requires: day < 10 and months 1–2 zero-padded', () => {
    expect(formatDocumentDate('2026-01-05')).toBe('ngày 05 tháng 01 năm 2026');
    expect(formatDocumentDate('2026-02-28')).toBe('ngày 28 tháng 02 năm 2026');
    expect(formatDocumentDate('2026-03-09')).toBe('ngày 09 tháng 3 năm 2026');
    expect(formatDocumentDate('2026-10-20')).toBe('ngày 20 tháng 10 năm 2026');
    expect(formatDocumentDate('2026-12-31')).toBe('ngày 31 tháng 12 năm 2026');
  });

  it('writes short dates dd/mm/yyyy', () => {
    expect(formatShortDate('2026-01-05')).toBe('05/01/2026');
    expect(formatShortDate('2026-11-24')).toBe('24/11/2026');
  });

  it('names weekdays', () => {
    const week = ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22'];
    expect(week.map(weekdayName)).toEqual(['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật']);
    expect(formatDateWithWeekday('2026-02-23')).toBe('Thứ Hai, 23/02/2026');
  });

  it('shows a 24:00 deadline as the day it ends, not the next morning', () => {
    expect(formatDeadline('2026-03-20T17:00:00.000Z')).toBe('Thứ Sáu, 20/03/2026');
    expect(formatDeadline(endOfLocalDay('2026-02-23'))).toBe('Thứ Hai, 23/02/2026');
    expect(formatDeadline(endOfLocalDay('2026-12-31'))).toBe('Thứ Năm, 31/12/2026');
  });

  it('keeps the time of a deadline that is not at midnight', () => {
    expect(formatDeadline('2026-03-20T02:30:00.000Z')).toBe('09:30 ngày 20/03/2026 (Thứ Sáu)');
    expect(formatDeadline('2026-03-20T17:00:00.000Z', 'UTC')).toBe('17:00 ngày 20/03/2026 (Thứ Sáu)');
  });

  it('writes quarters in Roman numerals', () => {
    expect([1, 2, 3, 4].map(romanQuarter)).toEqual(['I', 'II', 'III', 'IV']);
    expect(() => romanQuarter(5)).toThrow(/Quý không hợp lệ: 5/);
    expect(() => romanQuarter(0)).toThrow(CalendarInputError);
  });
});
