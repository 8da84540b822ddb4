import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CADENCES,
  CalendarInputError,
  WorkingCalendar,
  addCalendarDays,
  calendarPeriods,
  reportingPeriods,
  type Period,
} from '../../../domain/calendar';
import { calendar2026 } from './fixtures/calendar-2026';

function window(period: Period | undefined): [string, string, string, string] | undefined {
  return period && [period.key, period.label, period.start, period.end];
}

describe('NĐ 09/2019 reporting periods (cut-off on the 14th)', () => {
  it('runs a monthly report from the 15th of the previous month to the 14th', () => {
    const months = reportingPeriods(2026, 'monthly');
    expect(months).toHaveLength(12);
    expect(window(months[0])).toEqual(['2026-01', 'tháng 1/2026', '2025-12-15', '2026-01-14']);
    expect(window(months[2])).toEqual(['2026-03', 'tháng 3/2026', '2026-02-15', '2026-03-14']);
    expect(window(months[11])).toEqual(['2026-12', 'tháng 12/2026', '2026-11-15', '2026-12-14']);
  });

  it('gives the quarters of domain.md §4', () => {
    expect(reportingPeriods(2026, 'quarterly').map(window)).toEqual([
      ['2026-Q1', 'quý I/2026', '2025-12-15', '2026-03-14'],
      ['2026-Q2', 'quý II/2026', '2026-03-15', '2026-06-14'],
      ['2026-Q3', 'quý III/2026', '2026-06-15', '2026-09-14'],
      ['2026-Q4', 'quý IV/2026', '2026-09-15', '2026-12-14'],
    ]);
  });

  it('gives the half-year, nine-month and yearly windows', () => {
    expect(reportingPeriods(2026, 'half-yearly').map(window)).toEqual([
      ['2026-H1', '6 tháng đầu năm 2026', '2025-12-15', '2026-06-14'],
      ['2026-H2', '6 tháng cuối năm 2026', '2026-06-15', '2026-12-14'],
    ]);
    expect(reportingPeriods(2026, 'nine-month').map(window)).toEqual([
      ['2026-9M', '9 tháng năm 2026', '2025-12-15', '2026-09-14'],
    ]);
    expect(reportingPeriods(2026, 'yearly').map(window)).toEqual([['2026-Y', 'năm 2026', '2025-12-15', '2026-12-14']]);
  });

  it('keeps the Q1 cut-off on Saturday 14/03/2026: a cut-off is not a deadline and does not roll', () => {
    const workingCalendar = new WorkingCalendar([calendar2026]);
    const q1 = reportingPeriods(2026, 'quarterly')[0];
    expect(q1?.end).toBe('2026-03-14');
    expect(workingCalendar.isWorkingDay('2026-03-14')).toBe(false);
    // Only the send deadline derived from it moves, e.g. the default cut-off + 2 working days.
    expect(workingCalendar.addWorkingDays('2026-03-14', 2)).toBe('2026-03-17');
  });

  it('honours a configurable cut-off day', () => {
    expect(window(reportingPeriods(2026, 'quarterly', { cutOffDay: 20 })[0])).toEqual([
      '2026-Q1',
      'quý I/2026',
      '2025-12-21',
      '2026-03-20',
    ]);
    expect(window(reportingPeriods(2026, 'monthly', { cutOffDay: 28 })[2])).toEqual([
      '2026-03',
      'tháng 3/2026',
      '2026-03-01',
      '2026-03-28',
    ]);
  });

  it('rejects a cut-off day that some month lacks, and bad years', () => {
    expect(() => reportingPeriods(2026, 'monthly', { cutOffDay: 31 })).toThrow(/Ngày chốt số liệu không hợp lệ: 31/);
    expect(() => reportingPeriods(2026, 'monthly', { cutOffDay: 0 })).toThrow(CalendarInputError);
    expect(() => reportingPeriods(2026.5, 'yearly')).toThrow(/Năm không hợp lệ/);
    expect(() => reportingPeriods(2026, 'weekly' as never)).toThrow(/Chu kỳ không hợp lệ: "weekly"/);
  });
});

describe('calendar periods for meetings', () => {
  it('follow calendar months and quarters, with the same keys and labels', () => {
    expect(window(calendarPeriods(2026, 'monthly')[1])).toEqual(['2026-02', 'tháng 2/2026', '2026-02-01', '2026-02-28']);
    expect(window(calendarPeriods(2028, 'monthly')[1])).toEqual(['2028-02', 'tháng 2/2028', '2028-02-01', '2028-02-29']);
    expect(calendarPeriods(2026, 'quarterly').map(window)).toEqual([
      ['2026-Q1', 'quý I/2026', '2026-01-01', '2026-03-31'],
      ['2026-Q2', 'quý II/2026', '2026-04-01', '2026-06-30'],
      ['2026-Q3', 'quý III/2026', '2026-07-01', '2026-09-30'],
      ['2026-Q4', 'quý IV/2026', '2026-10-01', '2026-12-31'],
    ]);
    expect(window(calendarPeriods(2026, 'nine-month')[0])).toEqual(['2026-9M', '9 tháng năm 2026', '2026-01-01', '2026-09-30']);
    expect(window(calendarPeriods(2026, 'half-yearly')[1])).toEqual([
      '2026-H2',
      '6 tháng cuối năm 2026',
      '2026-07-01',
      '2026-12-31',
    ]);
  });
});

describe('period tiling (property)', () => {
  const years = fc.integer({ min: 1901, max: 2200 });
  const cutOffDays = fc.integer({ min: 1, max: 28 });
  const tilingCadences = fc.constantFrom('monthly', 'quarterly', 'half-yearly', 'yearly' as const);

  function expectContiguous(periods: Period[], spanStart: string, spanEnd: string): void {
    expect(periods[0]?.start).toBe(spanStart);
    expect(periods[periods.length - 1]?.end).toBe(spanEnd);
    for (const [index, period] of periods.entries()) {
      expect(period.start <= period.end).toBe(true);
      const next = periods[index + 1];
      if (next) expect(next.start).toBe(addCalendarDays(period.end, 1));
    }
  }

  it('reporting periods of one cadence cover (previous 14/12 … this 14/12] with no gap or overlap', () => {
    fc.assert(
      fc.property(years, cutOffDays, tilingCadences, (year, cutOffDay, cadence) => {
        const periods = reportingPeriods(year, cadence, { cutOffDay });
        const pad = String(cutOffDay).padStart(2, '0');
        expectContiguous(periods, addCalendarDays(`${year - 1}-12-${pad}`, 1), `${year}-12-${pad}`);
      }),
    );
  });

  it('consecutive years of reporting periods join up', () => {
    fc.assert(
      fc.property(years, cutOffDays, (year, cutOffDay) => {
        const last = reportingPeriods(year, 'monthly', { cutOffDay })[11];
        const first = reportingPeriods(year + 1, 'monthly', { cutOffDay })[0];
        expect(first?.start).toBe(addCalendarDays(last?.end ?? '', 1));
      }),
    );
  });

  it('calendar periods of one cadence cover 01/01 … 31/12 with no gap or overlap', () => {
    fc.assert(
      fc.property(years, tilingCadences, (year, cadence) => {
        expectContiguous(calendarPeriods(year, cadence), `${year}-01-01`, `${year}-12-31`);
      }),
    );
  });

  it('every cadence has unique keys that start with the year', () => {
    for (const cadence of CADENCES) {
      const keys = reportingPeriods(2026, cadence).map((period) => period.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.every((key) => key.startsWith('2026-'))).toBe(true);
    }
  });
});
