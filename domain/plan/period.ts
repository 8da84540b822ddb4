/**
 * The plan period: the days a plan covers. A plan without `plan.period` covers its calendar year
 * (1 January to 31 December of `plan.year`); a school-year or campaign plan names its own period,
 * which may cross into the next calendar year (at most twelve months, so every month, quarter and
 * phase of it is named once).
 *
 * `plan.year` stays the plan's identity (workflow ids, the commune id, `--year` on the command
 * line): for a period across two years it is the year the period starts in, e.g. 2026 for the school
 * year 2026–2027.
 *
 * A duty's occurrence belongs to the plan when its period, date or phase lies in the plan period
 * (for a report period: when the period's last day does, since that is when the report falls due).
 * Deadlines computed from it may run past the period's end (December's report is due in January):
 * that is what the calendar of the following year is for. A date written in the file outside the
 * period is an error, never moved into it.
 */
import { formatShortDate } from '../calendar';
import { addCalendarDays } from '../calendar';
import type { PlanFile } from './schema';

export interface PlanPeriod {
  /** First local day, inclusive. */
  from: string;
  /** Last local day, inclusive. */
  to: string;
}

export function planPeriodOf(plan: Pick<PlanFile, 'plan'>): PlanPeriod {
  const { year, period } = plan.plan;
  return period ?? { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function isInPeriod(period: PlanPeriod, date: string): boolean {
  return date >= period.from && date <= period.to;
}

/** Every calendar year the period touches, ascending. */
export function yearsOfPeriod(period: PlanPeriod): number[] {
  const first = Number(period.from.slice(0, 4));
  const last = Number(period.to.slice(0, 4));
  const years: number[] = [];
  for (let year = first; year <= last; year += 1) years.push(year);
  return years;
}

/** For people: "01/09/2026–31/05/2027". */
export function periodText(period: PlanPeriod): string {
  return `${formatShortDate(period.from)}–${formatShortDate(period.to)}`;
}

/**
 * The plan's short name in time, where a reader tells plans apart (mail subjects, the plan picker):
 * "năm 2026" for a period inside one calendar year, "2026–2027" for one across two. The school year
 * or the campaign is not derivable from dates alone, so the years are what is named; the plan's
 * title, shown next to it, says which kind of period it is.
 */
export function periodYearsText(period: PlanPeriod): string {
  const years = yearsOfPeriod(period);
  return years.length === 1 ? `năm ${years[0]}` : yearsText(period);
}

/** The years alone, for a column headed "năm": "2026", "2026–2027". */
export function yearsText(period: PlanPeriod): string {
  return yearsOfPeriod(period).join('–');
}

/**
 * The plan's days in a sentence ("Trong năm 2026, …", "Trong thời gian 01/09/2026–31/05/2027, …"):
 * the year of a calendar-year plan, the exact days of any other.
 */
export function periodSpanText(period: PlanPeriod): string {
  return isCalendarYear(period) ? `năm ${period.from.slice(0, 4)}` : `thời gian ${periodText(period)}`;
}

/** The twelve months from the one `from` (a plan period's first day) is in. */
export function periodMonths(from: string): { year: number; month: number }[] {
  const first = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1;
  return Array.from({ length: 12 }, (_, index) => ({ year: Math.floor((first + index) / 12), month: ((first + index) % 12) + 1 }));
}

/** 0 for the month `from` is in, 11 for the twelfth; outside that, negative or 12 and more. */
export function monthIndexInPeriod(from: string, year: number, month: number): number {
  return year * 12 + month - 1 - (Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1);
}

/** True for the plain calendar-year period of plans that do not name one. */
export function isCalendarYear(period: PlanPeriod): boolean {
  return period.from.endsWith('-01-01') && period.to === `${period.from.slice(0, 4)}-12-31`;
}

/** The last day a period may end on: twelve months after it starts, less a day. */
export function latestPeriodEnd(from: string): string {
  const next = `${Number(from.slice(0, 4)) + 1}${from.slice(4)}`;
  // 29 February has no twin a year later: 28 February is then the last day.
  return next.endsWith('-02-29') ? `${next.slice(0, 4)}-02-28` : addCalendarDays(next, -1);
}
