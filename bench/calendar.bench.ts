import { bench, describe } from 'vitest';
import { WorkingCalendar, endOfLocalDay, formatDeadline, localDateTimeToUtc } from '../domain/calendar';
import { epochDayFromCivil, formatEpochDay } from '../domain/calendar/local-date';
import { calendar2026, plainCalendarYear } from '../test/domain/calendar/fixtures/calendar-2026';

// Run with: npx vitest bench test/domain/calendar --run
const calendar = new WorkingCalendar([calendar2026, plainCalendarYear(2027)]);
const first = epochDayFromCivil(2026, 1, 1);
const dates = Array.from({ length: 365 }, (_, index) => formatEpochDay(first + index));

describe('calendar hot paths, 365 dates per iteration', () => {
  bench('addWorkingDays(date, 5)', () => {
    for (const date of dates) calendar.addWorkingDays(date, 5);
  });
  bench('rollForwardToWorkingDay', () => {
    for (const date of dates) calendar.rollForwardToWorkingDay(date);
  });
  bench('endOfLocalDay (Asia/Ho_Chi_Minh)', () => {
    for (const date of dates) endOfLocalDay(date);
  });
  bench('localDateTimeToUtc 07:30', () => {
    for (const date of dates) localDateTimeToUtc(date, '07:30');
  });
  bench('formatDeadline', () => {
    for (const date of dates) formatDeadline(`${date}T02:30:00.000Z`);
  });
});
