/**
 * Deadlines whose rule named a day off, and what was done about each: `plan validate` lists them
 * so that a clerk sees every deadline that moved (and every one kept on a holiday) and why.
 */
import { formatDateWithWeekday } from '../calendar';
import type { OnDayOff } from '../plan/schema';
import type { DayOffReason } from './date-rules';
import type { CalendarYearData } from '../plan/schema';

export interface MovedDeadline {
  dutyId: string;
  periodLabel: string;
  /** Present when a unit's own deadline (perUnit) was placed. */
  unitId?: string;
  path: (string | number)[];
  /** The day the rule names: a day off. */
  nominal: string;
  /** The deadline day. */
  date: string;
  applied: OnDayOff;
  why: DayOffReason;
}

/** Why a day is off: the calendar entry's name, or the weekend. */
export function dayOffName(calendars: readonly CalendarYearData[], date: string): string {
  for (const calendar of calendars) {
    const entry = calendar.daysOff.find((day) => day.date === date);
    if (entry !== undefined) return entry.name;
  }
  return 'ngày nghỉ cuối tuần';
}

const WHY: Record<Exclude<DayOffReason, 'chosen'>, string> = {
  'lead-time': 'mặc định: hạn "trước N ngày" không được muộn hơn',
  'within-phase': 'mặc định: việc trong giai đoạn phải xong trước khi giai đoạn kết thúc',
  'civil-code': 'mặc định: Bộ luật Dân sự 2015 Điều 148 khoản 5',
};

const REASONS: Record<OnDayOff, string> = {
  forward: 'dời sang ngày làm việc kế tiếp',
  back: 'dời về ngày làm việc liền trước',
  keep: 'giữ nguyên ngày (hạn do cấp trên ấn định); thư nhắc và thư quá hạn vẫn gửi vào ngày làm việc',
};

/** One Vietnamese line per placement, e.g. for `plan validate`. */
export function movedDeadlineLine(moved: MovedDeadline, calendars: readonly CalendarYearData[]): string {
  const who = moved.unitId === undefined ? '' : `, đơn vị "${moved.unitId}"`;
  const why = moved.why === 'chosen' ? `theo onDayOff: ${moved.applied}` : WHY[moved.why];
  const result = moved.applied === 'keep' ? REASONS.keep : `${REASONS[moved.applied]}: ${formatDateWithWeekday(moved.date)}`;
  return `nhiệm vụ "${moved.dutyId}", ${moved.periodLabel}${who}: hạn ${formatDateWithWeekday(moved.nominal)} là ngày nghỉ (${dayOffName(calendars, moved.nominal)}), ${result} (${why})`;
}
