/** The plan's per-year holiday data as the working-day calendar the expander counts with. */
import { WorkingCalendar, type CalendarYear } from '../calendar';
import type { PlanFile } from './schema';

export function calendarYearsOf(plan: Pick<PlanFile, 'calendars'>): CalendarYear[] {
  return plan.calendars.map((calendar) => ({
    year: calendar.year,
    provisional: calendar.provisional,
    daysOff: calendar.daysOff.map((entry) => entry.date),
    makeUpWorkingDays: calendar.makeUpWorkingDays.map((entry) => entry.date),
  }));
}

export function workingCalendarOf(plan: Pick<PlanFile, 'calendars'>): WorkingCalendar {
  return new WorkingCalendar(calendarYearsOf(plan));
}
