/**
 * Working days of Vietnamese public bodies: Monday–Friday, minus holidays, compensatory and swapped
 * days off, plus make-up Saturdays (ngày làm bù). Holidays change every year by government notice,
 * so they are plan data; a date in a year without data is an error, never an ordinary week.
 *
 * Counting follows Bộ luật Dân sự 2015: a period of N days starts the day after its trigger (Đ147)
 * and a deadline on a day off ends on the next working day (Đ148.5).
 */
import { CalendarDataError, CalendarInputError, MissingCalendarYearError, type CalendarDataField } from './errors';
import {
  civilFromEpochDay,
  daysInMonth,
  epochDayFromCivil,
  formatEpochDay,
  isoWeekdayOfEpochDay,
  isWeekend,
  parseEpochDay,
  tryParseCivilDate,
} from './local-date';

export interface CalendarYear {
  year: number;
  /** Not yet confirmed by the government's notice for that year (e.g. the Quốc khánh swap). */
  provisional: boolean;
  /** Holidays, compensatory days and swapped days off ('YYYY-MM-DD'). */
  daysOff: string[];
  /** Weekend days worked in exchange for a swapped day off (ngày làm bù). */
  makeUpWorkingDays: string[];
}

const UNKNOWN = -1;
const DAY_OFF = 0;
const WORKING = 1;

/**
 * All covered years as one flat array from 1 January of the first year to 31 December of the last,
 * so a lookup is one subtraction; years without data in between are marked UNKNOWN.
 */
interface DayTable {
  firstEpochDay: number;
  status: Int8Array;
  /** workingBefore[i] = number of working days among status[0..i-1]. */
  workingBefore: Int32Array;
}

const MAX_STEPS_WITHOUT_WORKING_DAY = 366;

export class WorkingCalendar {
  private readonly years = new Map<number, CalendarYear>();
  private readonly table: DayTable;

  constructor(calendarYears: readonly CalendarYear[]) {
    for (const calendarYear of calendarYears) {
      validateCalendarYear(calendarYear);
      if (this.years.has(calendarYear.year)) {
        throw new CalendarDataError(
          `Lịch làm việc năm ${calendarYear.year} được khai báo hai lần; mỗi năm chỉ được khai báo một lần.`,
          calendarYear.year,
          'year',
        );
      }
      this.years.set(calendarYear.year, calendarYear);
    }
    this.table = buildTable([...this.years.values()]);
  }

  /** Years with calendar data, ascending. */
  coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  isProvisional(year: number): boolean {
    const calendarYear = this.years.get(year);
    if (calendarYear === undefined) throw new MissingCalendarYearError(year);
    return calendarYear.provisional;
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingEpochDay(parseEpochDay(date));
  }

  /**
   * The n-th working day after `date` (BLDS Đ147: `date` itself never counts). A negative n gives
   * the n-th working day before `date`, for duties due "N working days before" an event.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n === 0) {
      throw new CalendarInputError(
        `Số ngày làm việc phải là số nguyên khác 0 (nhận được ${String(n)}): thời hạn tính từ ngày tiếp theo.`,
      );
    }
    const step = n > 0 ? 1 : -1;
    let remaining = Math.abs(n);
    let epochDay = parseEpochDay(date);
    while (remaining > 0) {
      epochDay += step;
      if (this.isWorkingEpochDay(epochDay)) remaining -= 1;
    }
    return formatEpochDay(epochDay);
  }

  /** BLDS Đ148.5: a deadline on a weekend or holiday ends on the next working day, past the whole break. */
  rollForwardToWorkingDay(date: string): string {
    return formatEpochDay(this.nearestWorkingEpochDay(parseEpochDay(date), 1));
  }

  /** Lead times never roll later: a notice due on a day off must go out on the working day before. */
  previousWorkingDayOnOrBefore(date: string): string {
    return formatEpochDay(this.nearestWorkingEpochDay(parseEpochDay(date), -1));
  }

  workingDaysInMonth(year: number, month: number): number {
    if (!Number.isInteger(month) || month < 1 || month > 12) {
      throw new CalendarInputError(`Tháng không hợp lệ: ${String(month)} (cần từ 1 đến 12).`);
    }
    this.requireYear(year);
    const first = epochDayFromCivil(year, month, 1);
    return this.countWorkingDays(first, first + daysInMonth(year, month) - 1);
  }

  /**
   * Working days in (a, b] when a ≤ b, counted the BLDS way so that
   * `workingDaysBetween(a, addWorkingDays(a, n)) === n`; when b < a, minus the working days in [b, a).
   */
  workingDaysBetween(a: string, b: string): number {
    const from = parseEpochDay(a);
    const to = parseEpochDay(b);
    if (from <= to) return this.countWorkingDays(from + 1, to);
    return -this.countWorkingDays(to, from - 1);
  }

  private nearestWorkingEpochDay(start: number, step: 1 | -1): number {
    let epochDay = start;
    for (let steps = 0; steps <= MAX_STEPS_WITHOUT_WORKING_DAY; steps += 1) {
      if (this.isWorkingEpochDay(epochDay)) return epochDay;
      epochDay += step;
    }
    throw new CalendarDataError(
      `Không tìm thấy ngày làm việc nào trong vòng một năm kể từ ngày ${formatEpochDay(start)}: ` +
        `kiểm tra lại danh sách ngày nghỉ của năm ${civilFromEpochDay(start).year}.`,
      civilFromEpochDay(start).year,
      'daysOff',
    );
  }

  private isWorkingEpochDay(epochDay: number): boolean {
    const { firstEpochDay, status } = this.table;
    const value = status[epochDay - firstEpochDay];
    if (value === undefined || value === UNKNOWN) {
      throw new MissingCalendarYearError(civilFromEpochDay(epochDay).year);
    }
    return value === WORKING;
  }

  /** Inclusive range; every year it touches must have data. */
  private countWorkingDays(first: number, last: number): number {
    if (last < first) return 0;
    const firstYear = civilFromEpochDay(first).year;
    const lastYear = civilFromEpochDay(last).year;
    for (let year = firstYear; year <= lastYear; year += 1) this.requireYear(year);
    const { firstEpochDay, workingBefore } = this.table;
    const end = workingBefore[last - firstEpochDay + 1];
    const start = workingBefore[first - firstEpochDay];
    if (end === undefined || start === undefined) throw new MissingCalendarYearError(firstYear);
    return end - start;
  }

  private requireYear(year: number): void {
    if (!this.years.has(year)) throw new MissingCalendarYearError(year);
  }
}

function validateCalendarYear(calendarYear: CalendarYear): void {
  const { year } = calendarYear;
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new CalendarDataError(`Năm của lịch làm việc không hợp lệ: ${String(year)}.`, year, 'year');
  }
  const daysOff = validateDates(calendarYear, 'daysOff');
  validateDates(calendarYear, 'makeUpWorkingDays');
  calendarYear.makeUpWorkingDays.forEach((date, index) => {
    if (daysOff.has(date)) {
      throw new CalendarDataError(
        `Ngày ${date} vừa là ngày nghỉ vừa là ngày làm bù trong lịch năm ${year}; mỗi ngày chỉ được thuộc một danh sách.`,
        year,
        'makeUpWorkingDays',
        index,
        date,
      );
    }
    if (!isWeekend(isoWeekdayOfEpochDay(parseEpochDay(date)))) {
      throw new CalendarDataError(
        `Ngày làm bù ${date} (năm ${year}) không phải thứ Bảy hay Chủ nhật: ngày thường vốn đã là ngày làm việc.`,
        year,
        'makeUpWorkingDays',
        index,
        date,
      );
    }
  });
}

const FIELD_NAMES: Record<Exclude<CalendarDataField, 'year'>, string> = {
  daysOff: 'ngày nghỉ',
  makeUpWorkingDays: 'ngày làm bù',
};

function validateDates(calendarYear: CalendarYear, field: Exclude<CalendarDataField, 'year'>): Set<string> {
  const { year } = calendarYear;
  const seen = new Set<string>();
  calendarYear[field].forEach((date, index) => {
    const civil = tryParseCivilDate(date);
    if (civil === undefined) {
      throw new CalendarDataError(
        `Ngày "${String(date)}" trong danh sách ${FIELD_NAMES[field]} của lịch năm ${year} không hợp lệ ` +
          `(cần một ngày có thật, dạng YYYY-MM-DD).`,
        year,
        field,
        index,
        String(date),
      );
    }
    if (civil.year !== year) {
      throw new CalendarDataError(
        `Ngày ${date} trong danh sách ${FIELD_NAMES[field]} của lịch năm ${year} không thuộc năm ${year}; ` +
          `hãy chuyển nó sang lịch năm ${civil.year}.`,
        year,
        field,
        index,
        date,
      );
    }
    seen.add(date);
  });
  return seen;
}

function buildTable(calendarYears: readonly CalendarYear[]): DayTable {
  if (calendarYears.length === 0) {
    return { firstEpochDay: 0, status: new Int8Array(0), workingBefore: new Int32Array(1) };
  }
  const sortedYears = calendarYears.map((calendarYear) => calendarYear.year).sort((a, b) => a - b);
  const firstYear = sortedYears[0] as number;
  const lastYear = sortedYears[sortedYears.length - 1] as number;
  const firstEpochDay = epochDayFromCivil(firstYear, 1, 1);
  const length = epochDayFromCivil(lastYear, 12, 31) - firstEpochDay + 1;
  const status = new Int8Array(length).fill(UNKNOWN);

  for (const calendarYear of calendarYears) {
    const yearStart = epochDayFromCivil(calendarYear.year, 1, 1);
    const yearEnd = epochDayFromCivil(calendarYear.year, 12, 31);
    for (let epochDay = yearStart; epochDay <= yearEnd; epochDay += 1) {
      status[epochDay - firstEpochDay] = isWeekend(isoWeekdayOfEpochDay(epochDay)) ? DAY_OFF : WORKING;
    }
    for (const date of calendarYear.daysOff) status[parseEpochDay(date) - firstEpochDay] = DAY_OFF;
    for (const date of calendarYear.makeUpWorkingDays) status[parseEpochDay(date) - firstEpochDay] = WORKING;
  }

  const workingBefore = new Int32Array(length + 1);
  for (let index = 0; index < length; index += 1) {
    workingBefore[index + 1] = (workingBefore[index] as number) + (status[index] === WORKING ? 1 : 0);
  }
  return { firstEpochDay, status, workingBefore };
}
