/**
 * When a plan mails its year-end report by itself: on the date the plan sets
 * (`settings.yearEndReportDate`), or by default on the first working day after the yearly data
 * cut-off (NĐ 09/2019: 14/12, or the `cutOffDay` of the plan's yearly reporting duties, so the
 * report follows the same cut-off the units report against). Always at the plan's mail time on a
 * working day: a date that is a day off moves to the next working day.
 *
 * A plan whose period is not a calendar year (a school year, a campaign) has no yearly cut-off of
 * its own: by default its report goes out on the last working day of its period, while every duty
 * is still running, so the report accounts for the whole period and is mailed before tracking closes.
 */
import { DEFAULT_CUT_OFF_DAY, MissingCalendarYearError, addCalendarDays, localDateTimeToUtc, type WorkingCalendar } from '../calendar';
import type { PlanFile } from '../plan/schema';
import { isCalendarYear, planPeriodOf } from '../plan/period';
import { PlacementError } from './placement-error';

/** The day of the yearly data cut-off the plan's own yearly reports use. */
export function yearlyCutOffDate(plan: PlanFile): string {
  const yearly = plan.duties.find((duty) => duty.cadence.every === 'yearly' && duty.cadence.periods === 'reporting');
  const cutOffDay = yearly?.cadence.every === 'yearly' ? (yearly.cadence.cutOffDay ?? DEFAULT_CUT_OFF_DAY) : DEFAULT_CUT_OFF_DAY;
  return `${plan.plan.year}-12-${String(cutOffDay).padStart(2, '0')}`;
}

/** The local working day the report goes out. */
export function yearEndReportDate(plan: PlanFile, calendar: WorkingCalendar): string {
  const period = planPeriodOf(plan);
  const byPeriodEnd = plan.settings.yearEndReportDate === undefined && !isCalendarYear(period);
  const wanted = plan.settings.yearEndReportDate ?? (byPeriodEnd ? period.to : addCalendarDays(yearlyCutOffDate(plan), 1));
  try {
    return byPeriodEnd ? calendar.previousWorkingDayOnOrBefore(wanted) : calendar.rollForwardToWorkingDay(wanted);
  } catch (error) {
    if (error instanceof MissingCalendarYearError) {
      throw new PlacementError(`không xếp được ngày gửi báo cáo tổng kết năm ${wanted}: ${error.message}`, ['settings', 'yearEndReportDate']);
    }
    throw error;
  }
}

/** The instant (ISO UTC) the report goes out: the plan's mail time on that working day. */
export function yearEndReportInstant(plan: PlanFile, calendar: WorkingCalendar): string {
  return localDateTimeToUtc(yearEndReportDate(plan, calendar), plan.settings.notifyTime, plan.plan.timeZone);
}
