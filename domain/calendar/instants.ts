/**
 * Conversions between local dates/times in an IANA zone and ISO-UTC instants. Workflows only ever
 * see the instants, so every deadline is computed here, once, in the plan's zone.
 */
import { IANAZone, type Zone } from 'luxon';
import { CalendarInputError } from './errors';
import {
  daysInMonth,
  epochDayFromCivil,
  formatEpochDay,
  isoWeekdayOfEpochDay,
  parseCivilDate,
  parseEpochDay,
  type IsoWeekday,
} from './local-date';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const ZONED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Offsets of one zone, cached per UTC day: luxon asks Intl for every offset (about 5 µs), and the
 * expander converts hundreds of thousands of dates. A day whose first and last millisecond share
 * an offset is taken to have no transition (no zone changes and changes back within a day).
 */
class ZoneOffsets {
  private readonly byUtcDay = new Map<number, number>();

  constructor(private readonly zone: Zone) {}

  /** Minutes east of UTC at `ms`. */
  at(ms: number): number {
    const utcDay = Math.floor(ms / MS_PER_DAY);
    let offset = this.byUtcDay.get(utcDay);
    if (offset === undefined) {
      const atStart = this.zone.offset(utcDay * MS_PER_DAY);
      const atEnd = this.zone.offset((utcDay + 1) * MS_PER_DAY - 1);
      offset = atStart === atEnd ? atStart : Number.NaN;
      this.byUtcDay.set(utcDay, offset);
    }
    return Number.isNaN(offset) ? this.zone.offset(ms) : offset;
  }
}

const zones = new Map<string, ZoneOffsets>();
const zoneValidity = new Map<string, boolean>();

/**
 * Whether `name` is an IANA zone this runtime knows. luxon asks Intl anew on every call (about
 * 0.3 ms), and every digest is checked, so the answer is kept per name.
 */
export function isValidTimeZone(name: string): boolean {
  let valid = zoneValidity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    zoneValidity.set(name, valid);
  }
  return valid;
}

function zoneNamed(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (zone === undefined) {
    if (typeof name !== 'string' || !isValidTimeZone(name)) {
      throw new CalendarInputError(`Múi giờ không hợp lệ: "${String(name)}" (cần tên IANA, ví dụ "${DEFAULT_TIME_ZONE}").`);
    }
    zone = new ZoneOffsets(IANAZone.create(name));
    zones.set(name, zone);
  }
  return zone;
}

/** The UTC instant of a local wall-clock time given as milliseconds "as if UTC". */
function utcMsOfLocalMs(localMs: number, zone: ZoneOffsets): number {
  const firstGuess = localMs - zone.at(localMs) * MS_PER_MINUTE;
  return localMs - zone.at(firstGuess) * MS_PER_MINUTE;
}

function parseInstantMs(instant: string): number {
  const ms = ZONED_INSTANT.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CalendarInputError(
      `Thời điểm không hợp lệ: "${String(instant)}" (cần dạng ISO có múi giờ, ví dụ "2026-03-20T17:00:00.000Z").`,
    );
  }
  return ms;
}

/** BLDS Đ148.6: a period ends at 24:00 of its last day, i.e. 00:00 local of the next day. */
export function endOfLocalDay(date: string, zone: string = DEFAULT_TIME_ZONE): string {
  const localMs = (parseEpochDay(date) + 1) * MS_PER_DAY;
  return new Date(utcMsOfLocalMs(localMs, zoneNamed(zone))).toISOString();
}

/** `time` is 'HH:mm' on the 24-hour clock. */
export function localDateTimeToUtc(date: string, time: string, zone: string = DEFAULT_TIME_ZONE): string {
  const match = LOCAL_TIME.exec(time);
  if (match === null) {
    throw new CalendarInputError(`Giờ không hợp lệ: "${String(time)}" (cần dạng HH:mm, ví dụ "07:30").`);
  }
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  const localMs = parseEpochDay(date) * MS_PER_DAY + minutes * MS_PER_MINUTE;
  return new Date(utcMsOfLocalMs(localMs, zoneNamed(zone))).toISOString();
}

export interface LocalDateTime {
  date: string;
  /** 'HH:mm' */
  time: string;
}

export function localDateTimeOf(instant: string, zone: string = DEFAULT_TIME_ZONE): LocalDateTime {
  const ms = parseInstantMs(instant);
  const localMs = ms + zoneNamed(zone).at(ms) * MS_PER_MINUTE;
  const epochDay = Math.floor(localMs / MS_PER_DAY);
  const minutesOfDay = Math.floor((localMs - epochDay * MS_PER_DAY) / MS_PER_MINUTE);
  const hours = String(Math.floor(minutesOfDay / 60)).padStart(2, '0');
  const minutes = String(minutesOfDay % 60).padStart(2, '0');
  return { date: formatEpochDay(epochDay), time: `${hours}:${minutes}` };
}

export function localDateOf(instant: string, zone: string = DEFAULT_TIME_ZONE): string {
  return localDateTimeOf(instant, zone).date;
}

export function addCalendarDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new CalendarInputError(`Số ngày phải là số nguyên (nhận được ${String(n)}).`);
  return formatEpochDay(parseEpochDay(date) + n);
}

/** ISO weekday: 1 = Thứ Hai (Monday) … 7 = Chủ nhật (Sunday). */
export function weekdayOf(date: string): IsoWeekday {
  return isoWeekdayOfEpochDay(parseEpochDay(date));
}

/** Calendar days from a to b (negative when b is earlier). */
export function calendarDaysBetween(a: string, b: string): number {
  return parseEpochDay(b) - parseEpochDay(a);
}

/** The same day of month `months` later, clamped to the month's last day (31/01 + 1 month = 28/02). */
export function addCalendarMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) {
    throw new CalendarInputError(`Số tháng phải là số nguyên (nhận được ${String(months)}).`);
  }
  const { year, month, day } = parseCivilDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const lastDay = daysInMonth(targetYear, targetMonth);
  return formatEpochDay(epochDayFromCivil(targetYear, targetMonth, Math.min(day, lastDay)));
}
