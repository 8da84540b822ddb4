/**
 * Errors raised by the calendar. Messages are shown to users as-is, so they are Vietnamese; the
 * structured fields let callers (e.g. the plan loader) point at the offending entry in the plan file.
 */

/** A bad argument: a malformed date, time or zone, or an impossible count. */
export class CalendarInputError extends Error {
  override readonly name = 'CalendarInputError';
}

export type CalendarDataField = 'year' | 'daysOff' | 'makeUpWorkingDays';

/** The plan's calendar data for a year is inconsistent. */
export class CalendarDataError extends Error {
  override readonly name = 'CalendarDataError';

  constructor(
    message: string,
    readonly year: number,
    readonly field: CalendarDataField,
    /** Position of the offending entry in `field`, when the problem is one entry. */
    readonly index?: number,
    readonly date?: string,
  ) {
    super(message);
  }
}

/**
 * A date falls in a year the plan gives no holidays for. Treating such a year as ordinary would
 * silently move deadlines, so it is always an error.
 */
export class MissingCalendarYearError extends Error {
  override readonly name = 'MissingCalendarYearError';

  constructor(readonly year: number) {
    super(
      `Chưa có lịch làm việc của năm ${year}: kế hoạch phải liệt kê các ngày nghỉ lễ, ngày nghỉ bù ` +
        `và ngày làm bù của năm ${year} (mục lịch làm việc) thì mới tính được ngày làm việc.`,
    );
  }
}
