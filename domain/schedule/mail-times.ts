/**
 * When the mail of one occurrence goes out: reminders before the deadline, the minutes request
 * after a meeting, the overdue notice and each escalation level. Every instant is the plan's mail
 * time on a working day of the plan's calendar, so nothing is ever mailed on a day off.
 *
 * The expander uses this for the whole plan; the client uses it again when an extension is
 * approved, so a moved deadline gets its mail on working days too (workflow code only receives the
 * resulting instants).
 */
import { WorkingCalendar, addCalendarDays, endOfLocalDay, localDateOf, localDateTimeToUtc } from '../calendar';
import type { CalendarYearInfo, MailPolicy } from './types';

export interface MailTimes {
  remindAt: string[];
  /** First mail time after a meeting, when the duty has one. */
  minutesRequestAt?: string;
  overdueAt: string;
  escalationAt: { level: number; at: string }[];
}

export interface MailTimeContext {
  calendar: WorkingCalendar;
  /** Local day + 'HH:mm' → ISO UTC instant. */
  at(date: string, time: string): string;
  /** Reminders are never placed before this working day (the start of the plan period). */
  firstWorkingDay: string;
}

export function mailTimeContext(calendar: WorkingCalendar, timeZone: string, firstWorkingDay: string): MailTimeContext {
  return { calendar, at: (date, time) => localDateTimeToUtc(date, time, timeZone), firstWorkingDay };
}

export interface MailTimeTarget {
  /** Local deadline day. */
  dueDate: string;
  /** Local meeting day and its start instant, for meetings. */
  eventDate?: string;
  eventAt?: string;
}

/**
 * Reminders at or after the deadline are left out here; the expander reports them as plan errors
 * before calling this (see `reminderInstant`).
 */
export function mailTimesFor(context: MailTimeContext, policy: MailPolicy, target: MailTimeTarget, timeZone: string): MailTimes {
  const { calendar, at } = context;
  const dueAt = endOfLocalDay(target.dueDate, timeZone);
  const base = reminderBase(policy, target);
  const remindAt = new Set<string>();
  for (const date of reminderDates(context, base, policy.reminders.daysBefore)) {
    const instant = at(date, policy.notifyTime);
    if (instant < dueAt) remindAt.add(instant);
  }
  const times: MailTimes = {
    remindAt: [...remindAt].sort(),
    overdueAt: at(calendar.addWorkingDays(target.dueDate, 1), policy.notifyTime),
    escalationAt: policy.escalation.map((step) => ({
      level: step.level,
      at: at(calendar.addWorkingDays(target.dueDate, step.afterWorkingDays), policy.notifyTime),
    })),
  };
  if (target.eventDate !== undefined && target.eventAt !== undefined) {
    times.minutesRequestAt = firstMailTimeAfter(context, policy.notifyTime, target.eventDate, target.eventAt);
  }
  return times;
}

function reminderBase(policy: MailPolicy, target: MailTimeTarget): string {
  return policy.reminders.relativeTo === 'event' && target.eventDate !== undefined ? target.eventDate : target.dueDate;
}

/**
 * The latest day a reminder `days` calendar days before its base can go out: that day, or the last
 * working day before it. The expander checks with it that no reminder falls after the deadline.
 */
export function reminderInstant(context: MailTimeContext, policy: MailPolicy, target: MailTimeTarget, days: number): string {
  return context.at(reminderDates(context, reminderBase(policy, target), [days])[0] as string, policy.notifyTime);
}

/**
 * The day of each reminder, placed from the one closest to the base outward: each goes on its
 * nominal day (N calendar days before the base) when that is a working day, otherwise on the last
 * working day before it, and always on a working day strictly before the day of the reminder
 * closer to the base. So a holiday block (Tết) pushes a week of reminders back to distinct working
 * days before the block instead of collapsing them into one mail. No reminder goes out before the
 * plan period starts (nobody runs a plan before it starts, and the previous year's holidays need
 * not be in the file): those that would are sent together on its first working day.
 */
function reminderDates(context: MailTimeContext, base: string, daysBefore: readonly number[]): string[] {
  const { calendar, firstWorkingDay } = context;
  const dates: string[] = [];
  let limit: string | undefined;
  for (const days of [...new Set(daysBefore)].sort((a, b) => a - b)) {
    let wanted = addCalendarDays(base, -days);
    if (limit !== undefined && wanted >= limit) wanted = addCalendarDays(limit, -1);
    const date = wanted <= firstWorkingDay ? firstWorkingDay : calendar.previousWorkingDayOnOrBefore(wanted);
    const placed = date < firstWorkingDay ? firstWorkingDay : date;
    dates.push(placed);
    limit = placed;
  }
  return dates;
}

/** The mail time of the first working day whose mail time is after `instant` (on `date`). */
export function firstMailTimeAfter(context: MailTimeContext, notifyTime: string, date: string, instant: string): string {
  const sameDay = context.at(date, notifyTime);
  if (context.calendar.isWorkingDay(date) && sameDay > instant) return sameDay;
  return context.at(context.calendar.addWorkingDays(date, 1), notifyTime);
}

/**
 * Every mail time of the working days from `fromDate` to `toDate` (inclusive) that the calendar
 * covers: the mailroom's slots for mail it has to place itself (delivery-failure reports, digests
 * retried after an outage).
 */
export function mailSlots(calendar: WorkingCalendar, timeZone: string, notifyTime: string, fromDate: string, toDate: string): string[] {
  const slots: string[] = [];
  const covered = new Set(calendar.coveredYears());
  for (let date = fromDate; date <= toDate; date = addCalendarDays(date, 1)) {
    if (!covered.has(Number(date.slice(0, 4)))) continue;
    if (calendar.isWorkingDay(date)) slots.push(localDateTimeToUtc(date, notifyTime, timeZone));
  }
  return slots;
}

export interface RescheduleInput {
  calendar: CalendarYearInfo[];
  timeZone: string;
  /** First day of the plan period: reminders are never placed before its first working day. */
  periodStart: string;
  policy: MailPolicy;
  /** The new deadline instant (end of a local day). */
  dueAt: string;
  eventAt?: string;
}

/** The mail of a deadline moved by an extension, placed on the plan's calendar like the original. */
export function rescheduleMail(input: RescheduleInput): MailTimes {
  const calendar = new WorkingCalendar(input.calendar);
  const context = mailTimeContext(calendar, input.timeZone, calendar.rollForwardToWorkingDay(input.periodStart));
  const dueDate = localDateOf(new Date(Date.parse(input.dueAt) - 1).toISOString(), input.timeZone);
  const target: MailTimeTarget = { dueDate };
  if (input.eventAt !== undefined) {
    target.eventAt = input.eventAt;
    target.eventDate = localDateOf(input.eventAt, input.timeZone);
  }
  return mailTimesFor(context, input.policy, target, input.timeZone);
}
