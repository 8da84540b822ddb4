/**
 * Places an ad-hoc report request on the plan's calendar, the way the expander places a planned
 * occurrence: the deadline (the office's, or the duty's default number of working days after the
 * request day) rolled forward to a working day, reminders, the overdue notice and escalations at
 * the plan's mail time on working days, and a first notice to the unit at the first mail time
 * after the request. Pure; the client runs it and the duty workflow only receives the instants.
 */
import { CalendarInputError, MissingCalendarYearError, WorkingCalendar, endOfLocalDay, formatShortDate, localDateOf } from '../calendar';
import { requestPeriodKey } from './request-key';
import { firstMailTimeAfter, mailTimeContext, mailTimesFor } from './mail-times';
import type { CalendarYearInfo, MailPolicy, Occurrence, OnRequestRules } from './types';

export interface RequestPlacementInput {
  dutyId: string;
  unitIds: string[];
  requestId: string;
  /** ISO UTC: when the office made the request. */
  requestedAt: string;
  /** Local 'YYYY-MM-DD' the office gave, if any. */
  deadline?: string;
  /** What the office asks for, in its words (optional). */
  content?: string;
  requestedBy?: string;
  calendar: CalendarYearInfo[];
  timeZone: string;
  /** First day of the plan period (domain/plan/period.ts): nothing is counted or mailed before its first working day. */
  periodStart: string;
  policy: MailPolicy;
  rules: OnRequestRules;
}

/** Why a request cannot be placed, in Vietnamese for the office. */
export class RequestPlacementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestPlacementError';
  }
}

/**
 * A request made before the plan period (December, for next year's plan; August, for a school
 * year) counts from the period's first working day, like reminders, which never go out before the
 * plan period either.
 */
export function placeRequestedOccurrences(input: RequestPlacementInput): Occurrence[] {
  try {
    return place(input);
  } catch (error) {
    if (error instanceof MissingCalendarYearError || error instanceof CalendarInputError) {
      throw new RequestPlacementError(`không tính được hạn nộp trên lịch làm việc của kế hoạch: ${error.message}`);
    }
    throw error;
  }
}

function place(input: RequestPlacementInput): Occurrence[] {
  const calendar = new WorkingCalendar(input.calendar);
  const firstWorkingDay = calendar.rollForwardToWorkingDay(input.periodStart);
  const context = mailTimeContext(calendar, input.timeZone, firstWorkingDay);
  const requestDate = localDateOf(input.requestedAt, input.timeZone);
  const beforePeriod = requestDate < firstWorkingDay;
  const countFrom = beforePeriod ? firstWorkingDay : requestDate;
  const dueDate =
    input.deadline === undefined
      ? calendar.addWorkingDays(countFrom, input.rules.deadlineWorkingDays)
      : calendar.rollForwardToWorkingDay(input.deadline);
  if (dueDate < requestDate) {
    throw new RequestPlacementError(`hạn nộp ${formatShortDate(dueDate)} đã qua (yêu cầu ngày ${formatShortDate(requestDate)})`);
  }
  const times = mailTimesFor(context, input.policy, { dueDate }, input.timeZone);
  const dueAt = endOfLocalDay(dueDate, input.timeZone);
  const firstNotice = beforePeriod
    ? context.at(firstWorkingDay, input.policy.notifyTime)
    : firstMailTimeAfter(context, input.policy.notifyTime, requestDate, input.requestedAt);
  const remindAt = [...new Set([...(firstNotice < dueAt ? [firstNotice] : []), ...times.remindAt])]
    .filter((at) => at >= firstNotice)
    .sort();
  const periodKey = requestPeriodKey(input.requestId);
  const by = input.requestedBy ? ` của ${input.requestedBy}` : '';
  const content = input.content?.trim() ? `: ${input.content.trim()}` : '';
  const note = `Yêu cầu báo cáo đột xuất ngày ${formatShortDate(requestDate)}${by}${content}`;
  return input.unitIds.map((unitId) => {
    const chain = input.rules.escalationChains[unitId] ?? [];
    return {
      key: `${input.dutyId}:${unitId}:${periodKey}`,
      dutyId: input.dutyId,
      unitId,
      periodKey,
      periodLabel: `yêu cầu ngày ${formatShortDate(requestDate)}`,
      dueAt,
      opensAt: input.requestedAt,
      remindAt,
      overdueAt: times.overdueAt,
      escalations: times.escalationAt.flatMap((step) => {
        const notifyUnitId = chain[step.level - 1];
        return notifyUnitId ? [{ level: step.level, at: step.at, notifyUnitId }] : [];
      }),
      request: { id: input.requestId, requestedAt: input.requestedAt, ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}), note },
    };
  });
}
