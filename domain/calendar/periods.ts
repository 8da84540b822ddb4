/**
 * Reporting periods. Reports under NĐ 09/2019/NĐ-CP (Điều 12) cover a data window that ends on a
 * cut-off day (default the 14th) and starts the day after the previous cut-off, so Q1/2026 runs
 * 15/12/2025 → 14/03/2026. Meetings instead follow calendar months and quarters.
 *
 * A cut-off is when data stop, not a deadline: it never rolls to a working day. Only the send
 * deadline derived from it does, and that belongs to the plan's duty rules.
 */
import { CalendarInputError } from './errors';
import { daysInMonth, epochDayFromCivil, formatCivilDate, formatEpochDay } from './local-date';
import { romanQuarter } from './vietnamese-format';

export const CADENCES = ['monthly', 'quarterly', 'half-yearly', 'nine-month', 'yearly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Period {
  /** '2026-03', '2026-Q1', '2026-H1', '2026-H2', '2026-9M', '2026-Y' */
  key: string;
  /** 'tháng 3/2026', 'quý I/2026', '6 tháng đầu năm 2026', '6 tháng cuối năm 2026', '9 tháng năm 2026', 'năm 2026' */
  label: string;
  /** First local date of the window, inclusive. */
  start: string;
  /** Last local date of the window, inclusive (for reports: the cut-off date). */
  end: string;
}

export interface ReportingPeriodOptions {
  /** Day of month on which data are cut off (1–28); NĐ 09/2019 uses 14. */
  cutOffDay?: number;
}

export const DEFAULT_CUT_OFF_DAY = 14;

/** A period named by the calendar months it is reported for: [first month, last month]. */
interface PeriodShape {
  key: string;
  label: string;
  firstMonth: number;
  lastMonth: number;
}

function periodShapes(year: number, cadence: Cadence): PeriodShape[] {
  switch (cadence) {
    case 'monthly':
      return Array.from({ length: 12 }, (_, index) => ({
        key: `${year}-${String(index + 1).padStart(2, '0')}`,
        label: `tháng ${index + 1}/${year}`,
        firstMonth: index + 1,
        lastMonth: index + 1,
      }));
    case 'quarterly':
      return [1, 2, 3, 4].map((quarter) => ({
        key: `${year}-Q${quarter}`,
        label: `quý ${romanQuarter(quarter)}/${year}`,
        firstMonth: quarter * 3 - 2,
        lastMonth: quarter * 3,
      }));
    case 'half-yearly':
      return [
        { key: `${year}-H1`, label: `6 tháng đầu năm ${year}`, firstMonth: 1, lastMonth: 6 },
        { key: `${year}-H2`, label: `6 tháng cuối năm ${year}`, firstMonth: 7, lastMonth: 12 },
      ];
    case 'nine-month':
      return [{ key: `${year}-9M`, label: `9 tháng năm ${year}`, firstMonth: 1, lastMonth: 9 }];
    case 'yearly':
      return [{ key: `${year}-Y`, label: `năm ${year}`, firstMonth: 1, lastMonth: 12 }];
    default: {
      const unknown: never = cadence;
      throw new CalendarInputError(
        `Chu kỳ không hợp lệ: "${String(unknown)}" (cần một trong: ${CADENCES.join(', ')}).`,
      );
    }
  }
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new CalendarInputError(`Năm không hợp lệ: ${String(year)}.`);
  }
}

function dayAfterPreviousCutOff(year: number, month: number, cutOffDay: number): string {
  const previousCutOff = month === 1 ? epochDayFromCivil(year - 1, 12, cutOffDay) : epochDayFromCivil(year, month - 1, cutOffDay);
  return formatEpochDay(previousCutOff + 1);
}

/** NĐ 09/2019 data windows of `year` for a cadence: (previous cut-off, this cut-off]. */
export function reportingPeriods(year: number, cadence: Cadence, options: ReportingPeriodOptions = {}): Period[] {
  requireYear(year);
  const cutOffDay = options.cutOffDay ?? DEFAULT_CUT_OFF_DAY;
  if (!Number.isInteger(cutOffDay) || cutOffDay < 1 || cutOffDay > 28) {
    throw new CalendarInputError(
      `Ngày chốt số liệu không hợp lệ: ${String(cutOffDay)} (cần từ 1 đến 28 để tháng nào cũng có ngày đó).`,
    );
  }
  return periodShapes(year, cadence).map(({ key, label, firstMonth, lastMonth }) => ({
    key,
    label,
    start: dayAfterPreviousCutOff(year, firstMonth, cutOffDay),
    end: formatCivilDate(year, lastMonth, cutOffDay),
  }));
}

/** Calendar months/quarters (1st → last day), for meetings held "every month" or "every quarter". */
export function calendarPeriods(year: number, cadence: Cadence): Period[] {
  requireYear(year);
  return periodShapes(year, cadence).map(({ key, label, firstMonth, lastMonth }) => ({
    key,
    label,
    start: formatCivilDate(year, firstMonth, 1),
    end: formatCivilDate(year, lastMonth, daysInMonth(year, lastMonth)),
  }));
}
