/**
 * Evaluates the plan's date rules against one occurrence: a deadline rule gives the day a duty is
 * due, an event rule the day a meeting is held. All dates are local 'YYYY-MM-DD'.
 */
import { addCalendarDays, type WorkingCalendar } from '../calendar';
import { daysInMonth, formatCivilDate, parseCivilDate } from '../calendar/local-date';
import type { DateRule } from '../plan/schema';

export interface RuleContext {
  year: number;
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
      return `${context.year}-${rule.date}`;
    default: {
      const unknown: never = rule;
      throw new RuleError(`quy tắc ngày không được hỗ trợ: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * A deadline: lead times ("N days before X") move earlier to a working day and never roll later;
 * every other deadline on a day off rolls to the next working day (BLDS 2015 Đ148.5).
 */
export function deadlineDate(rule: DateRule, context: RuleContext, calendar: WorkingCalendar, leadTime: LeadTime): string {
  const date = evaluateRule(rule, context, calendar, leadTime);
  return rule.rule === 'daysBefore' ? calendar.previousWorkingDayOnOrBefore(date) : calendar.rollForwardToWorkingDay(date);
}
