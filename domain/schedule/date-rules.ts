/**
 * Evaluates the plan's date rules against one occurrence: a deadline rule gives the day a duty is
 * due, an event rule the day a meeting is held. All dates are local 'YYYY-MM-DD'.
 */
import { addCalendarDays, type WorkingCalendar } from '../calendar';
import { daysInMonth, formatCivilDate, parseCivilDate, tryParseCivilDate } from '../calendar/local-date';
import { isInPeriod, periodText, yearsOfPeriod, type PlanPeriod } from '../plan/period';
import type { DateRule, OnDayOff } from '../plan/schema';

export interface RuleContext {
  /** The plan period: a fixed 'MM-DD' date is the one day of the period with that month and day. */
  period: PlanPeriod;
  periodStart: string;
  periodEnd: string;
  /** The duty's own meeting day, once known. */
  event?: string;
  /** The day of the duty or plan event a relative duty hangs on. */
  anchor?: string;
}

export type LeadTime = 'event-minus-n' | 'event-minus-n-minus-1';

/** Thrown for a rule that cannot give a date in this context; the caller adds the plan path. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
}

function baseDate(from: 'periodStart' | 'periodEnd' | 'event' | 'anchor', context: RuleContext): string {
  const value = context[from];
  if (value === undefined) {
    throw new RuleError(from === 'event' ? 'nhiệm vụ không có ngày họp để tính' : 'nhiệm vụ không có mốc để tính');
  }
  return value;
}

function monthOf(date: string, monthsLater: number): { year: number; month: number } {
  const { year, month } = parseCivilDate(date);
  const index = year * 12 + month - 1 + monthsLater;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function nthWorkingDayOfMonth(calendar: WorkingCalendar, year: number, month: number, n: number): string {
  const first = formatCivilDate(year, month, 1);
  const last = formatCivilDate(year, month, daysInMonth(year, month));
  const result = n > 0 ? calendar.addWorkingDays(addCalendarDays(first, -1), n) : calendar.addWorkingDays(addCalendarDays(last, 1), n);
  if (result < first || result > last) {
    throw new RuleError(`tháng ${month}/${year} không có đủ ${Math.abs(n)} ngày làm việc`);
  }
  return result;
}

/** The raw date a rule names, before any working-day adjustment. */
export function evaluateRule(rule: DateRule, context: RuleContext, calendar: WorkingCalendar, leadTime: LeadTime): string {
  switch (rule.rule) {
    case 'workingDaysAfter':
      return calendar.addWorkingDays(baseDate(rule.from, context), rule.days);
    case 'daysAfter':
      return addCalendarDays(baseDate(rule.from, context), rule.days);
    case 'daysBefore': {
      const extra = leadTime === 'event-minus-n-minus-1' ? 1 : 0;
      return addCalendarDays(baseDate(rule.from, context), -(rule.days + extra));
    }
    case 'dayOfMonth': {
      const { year, month } = monthOf(context.periodEnd, rule.month === 'afterPeriodEnd' ? 1 : 0);
      return formatCivilDate(year, month, Math.min(rule.day, daysInMonth(year, month)));
    }
    case 'workingDayOfMonth': {
      const { year, month } = monthOf(rule.month === 'periodStart' ? context.periodStart : context.periodEnd, 0);
      return nthWorkingDayOfMonth(calendar, year, month, rule.n);
    }
    case 'fixedDate':
      return fixedDateIn(rule.date, context.period);
    default: {
      const unknown: never = rule;
      throw new RuleError(`quy tắc ngày không được hỗ trợ: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * 'MM-DD' → the one day of the plan period with that month and day; 'YYYY-MM-DD' → itself. Either
 * must lie in the period: a date outside it is an error, never moved into it.
 */
function fixedDateIn(date: string, period: PlanPeriod): string {
  const candidates = date.length === 10 ? [date] : yearsOfPeriod(period).map((year) => `${year}-${date}`);
  const inside = candidates.filter((candidate) => isInPeriod(period, candidate) && tryParseCivilDate(candidate) !== undefined);
  if (inside.length === 1) return inside[0] as string;
  if (inside.length === 0) throw new RuleError(`ngày cố định ${date} không nằm trong thời gian kế hoạch (${periodText(period)})`);
  throw new RuleError(
    `ngày cố định ${date} có ở cả hai năm của thời gian kế hoạch (${periodText(period)}); ghi đủ năm, ví dụ "${inside[0] ?? ''}"`,
  );
}

/** How a deadline that falls on a day off was placed, for `plan validate` to list. */
export interface DeadlinePlacement {
  /** The day the rule names. */
  nominal: string;
  /** The deadline day after the day-off rule. */
  date: string;
  /** The rule applied; `keep` only when the nominal day is a day off. */
  applied?: OnDayOff;
  /** Who decided: the plan (duty or settings `onDayOff`), or which default. */
  why: DayOffReason;
}

/**
 * `chosen`: the plan's `onDayOff`. Defaults: `lead-time` for "N days before X" (moving it later
 * would break the lead time), `within-phase` for work during a phase with no deadline rule (due by
 * the phase's last working day), `civil-code` for every other (BLDS 2015 Đ148.5: the next working day).
 */
export type DayOffReason = 'chosen' | 'lead-time' | 'within-phase' | 'civil-code';

/**
 * A deadline on a day off: `forward` rolls to the next working day (BLDS 2015 Đ148.5), `back` to
 * the previous one, `keep` leaves it where a higher authority fixed it. Without a choice, lead
 * times ("N days before X") and work due by the end of a phase move earlier, every other deadline
 * moves forward (see `DayOffReason`).
 */
export function placeDeadline(
  nominal: string,
  rule: DateRule | undefined,
  choice: OnDayOff | undefined,
  calendar: WorkingCalendar,
  withinPhase = false,
): DeadlinePlacement {
  const why: DayOffReason =
    choice !== undefined ? 'chosen' : rule?.rule === 'daysBefore' ? 'lead-time' : rule === undefined && withinPhase ? 'within-phase' : 'civil-code';
  if (calendar.isWorkingDay(nominal)) return { nominal, date: nominal, why };
  const applied = choice ?? (why === 'civil-code' ? 'forward' : 'back');
  const date =
    applied === 'keep' ? nominal : applied === 'back' ? calendar.previousWorkingDayOnOrBefore(nominal) : calendar.rollForwardToWorkingDay(nominal);
  return { nominal, date, applied, why };
}
