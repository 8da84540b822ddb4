export { CalendarDataError, CalendarInputError, MissingCalendarYearError, type CalendarDataField } from './errors';
export { WorkingCalendar, type CalendarYear } from './working-calendar';
export {
  DEFAULT_TIME_ZONE,
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  endOfLocalDay,
  isValidTimeZone,
  localDateOf,
  localDateTimeOf,
  localDateTimeToUtc,
  weekdayOf,
  type LocalDateTime,
} from './instants';
export {
  CADENCES,
  DEFAULT_CUT_OFF_DAY,
  calendarPeriods,
  reportingPeriods,
  type Cadence,
  type Period,
  type ReportingPeriodOptions,
} from './periods';
export {
  formatDateWithWeekday,
  formatDeadline,
  formatDocumentDate,
  formatInstant,
  formatShortDate,
  romanQuarter,
  weekdayName,
} from './vietnamese-format';
export {
  daysInMonth,
  formatCivilDate,
  isLeapYear,
  isValidLocalDate,
  parseCivilDate,
  tryParseCivilDate,
  type CivilDate,
  type IsoWeekday,
} from './local-date';
