/**
 * A provisional working calendar for a year whose official holiday notice is not out yet: the days
 * off that Bộ luật Lao động 2019 itself fixes (Điều 112 khoản 1), the lunar ones computed on the
 * Vietnamese lunar calendar, and the compensatory days of Điều 111 khoản 3.
 *
 * Only the legal minimum is computed. The Prime Minister fixes the Tết days and the second Quốc
 * khánh day every year and usually swaps working days for a longer break (Điều 112 khoản 3); those
 * are decisions, not arithmetic, so each day carries a note until the notice replaces it. The
 * result is written into the plan file, where a person corrects it; nothing reads it at run time.
 */
import {
  formatEpochDay,
  isoWeekdayOfEpochDay,
  isWeekend,
  parseEpochDay,
  type IsoWeekday,
} from './local-date';
import { lunarDateOf, solarDateOfLunar } from './lunar';

export interface ComputedDayOff {
  date: string;
  name: string;
  notice: string;
  note: string;
}

export interface ProvisionalCalendarYear {
  year: number;
  provisional: true;
  notices: string[];
  note: string;
  daysOff: ComputedDayOff[];
  makeUpWorkingDays: ComputedDayOff[];
}

const LAW_112 = 'Bộ luật Lao động 2019 Điều 112';
const LAW_111_3 = 'Bộ luật Lao động 2019 Điều 111 khoản 3';
const CULTURE_DAY_RESOLUTION = 'Nghị quyết 28/2026/QH16 Điều 2';
/** Ngày Văn hóa Việt Nam is a day off from 01/07/2026 (Nghị quyết 28/2026/QH16). */
const FIRST_CULTURE_DAY_YEAR = 2026;

const SHORT_WEEKDAY: Record<IsoWeekday, string> = {
  1: 'thứ Hai',
  2: 'thứ Ba',
  3: 'thứ Tư',
  4: 'thứ Năm',
  5: 'thứ Sáu',
  6: 'thứ Bảy',
  7: 'Chủ nhật',
};

function weekdayText(date: string): string {
  return SHORT_WEEKDAY[isoWeekdayOfEpochDay(parseEpochDay(date))];
}

function shortDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}`;
}

interface Holiday {
  date: string;
  name: string;
  notice: string;
  note: string;
  /** A Điều 112 khoản 1 holiday: on a weekend it gives a compensatory day (Điều 111 khoản 3). */
  compensated: boolean;
}

function tetDays(year: number): Holiday[] {
  const firstDay = parseEpochDay(solarDateOfLunar(year, 1, 1));
  const note =
    'Tạm tính: 5 ngày tối thiểu theo luật (ngày cuối năm và mùng 1–4 âm lịch Việt Nam); ' +
    `Thủ tướng quyết định ngày nghỉ Tết ${year}, thường dài hơn, có hoán đổi.`;
  const days: Holiday[] = [];
  for (let offset = -1; offset <= 3; offset += 1) {
    const date = formatEpochDay(firstDay + offset);
    const lunarDay = offset === -1 ? `${lunarDateOf(date).day} tháng Chạp` : `mùng ${offset + 1}`;
    days.push({ date, name: `Tết Âm lịch (${lunarDay}, tạm tính)`, notice: `${LAW_112} khoản 1`, note, compensated: true });
  }
  return days;
}

/**
 * The second Quốc khánh day is chosen by the Prime Minister (Điều 112 khoản 1 điểm đ). The default
 * follows the choices of 2021–2026: the day after when 2 September is a Monday or a Thursday (so the
 * break joins a weekend), otherwise the day before.
 */
function nationalDayDays(year: number): Holiday[] {
  const nationalDay = `${year}-09-02`;
  const weekday = isoWeekdayOfEpochDay(parseEpochDay(nationalDay));
  const secondDay = weekday === 1 || weekday === 4 ? `${year}-09-03` : `${year}-09-01`;
  return [
    {
      date: nationalDay,
      name: 'Quốc khánh',
      notice: `${LAW_112} khoản 1`,
      note: 'Ngày lễ cố định theo luật.',
      compensated: true,
    },
    {
      date: secondDay,
      name: 'Quốc khánh (ngày nghỉ thứ hai, tạm tính)',
      notice: `${LAW_112} khoản 1`,
      note:
        `Tạm tính (I): luật cho nghỉ thêm 01/9 hoặc 03/9 do Thủ tướng quyết định; đã chọn ${shortDate(secondDay)} theo thông lệ các năm 2021–2026. ` +
        'Thay bằng thông báo chính thức.',
      compensated: true,
    },
  ];
}

function statutoryHolidays(year: number): Holiday[] {
  const fixed = 'Ngày lễ cố định theo luật.';
  const holidays: Holiday[] = [
    { date: `${year}-01-01`, name: 'Tết Dương lịch', notice: `${LAW_112} khoản 1`, note: fixed, compensated: true },
    ...tetDays(year),
    {
      date: solarDateOfLunar(year, 3, 10),
      name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch, tạm tính)',
      notice: `${LAW_112} khoản 1`,
      note: 'Tạm tính theo lịch âm Việt Nam (UTC+7); thay bằng thông báo chính thức.',
      compensated: true,
    },
    { date: `${year}-04-30`, name: 'Ngày Chiến thắng', notice: `${LAW_112} khoản 1`, note: fixed, compensated: true },
    { date: `${year}-05-01`, name: 'Ngày Quốc tế Lao động', notice: `${LAW_112} khoản 1`, note: fixed, compensated: true },
    ...nationalDayDays(year),
  ];
  if (year >= FIRST_CULTURE_DAY_YEAR) {
    holidays.push({
      date: `${year}-11-24`,
      name: 'Ngày Văn hóa Việt Nam',
      notice: CULTURE_DAY_RESOLUTION,
      note: '(I) Không thuộc Điều 112 khoản 1 nên không có ngày nghỉ bù khi trùng ngày nghỉ hằng tuần.',
      compensated: false,
    });
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Điều 111 khoản 3: a holiday on a weekly rest day gives a day off on the next working day, i.e. the
 * first weekday after it that is neither a holiday nor already a compensatory day.
 */
function compensatoryDays(holidays: readonly Holiday[]): ComputedDayOff[] {
  const taken = new Set(holidays.map((holiday) => parseEpochDay(holiday.date)));
  const days: ComputedDayOff[] = [];
  for (const holiday of holidays) {
    const epochDay = parseEpochDay(holiday.date);
    if (!holiday.compensated || !isWeekend(isoWeekdayOfEpochDay(epochDay))) continue;
    let next = epochDay + 1;
    while (isWeekend(isoWeekdayOfEpochDay(next)) || taken.has(next)) next += 1;
    taken.add(next);
    const baseName = holiday.name.replace(/ \(.*\)$/, '');
    days.push({
      date: formatEpochDay(next),
      name: `Nghỉ bù ${baseName} (${shortDate(holiday.date)} là ${weekdayText(holiday.date)})`,
      notice: LAW_111_3,
      note: `Tạm tính theo luật: ngày lễ trùng ngày nghỉ hằng tuần được nghỉ bù vào ngày làm việc kế tiếp.`,
    });
  }
  return days;
}

/** The provisional calendar of `year`, to be replaced day by day as the official notices come out. */
export function provisionalCalendarYear(year: number): ProvisionalCalendarYear {
  const holidays = statutoryHolidays(year);
  const daysOff = [
    ...holidays.map(({ date, name, notice, note }) => ({ date, name, notice, note })),
    ...compensatoryDays(holidays),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return {
    year,
    provisional: true,
    notices: [],
    note:
      `Tạm tính theo Bộ luật Lao động 2019 Điều 111–112 và lịch âm Việt Nam, chưa có thông báo chính thức về ngày nghỉ năm ${year}. ` +
      'Chưa xác nhận: các ngày nghỉ Tết Âm lịch (Thủ tướng quyết định, thường dài hơn 5 ngày và có hoán đổi, làm bù), ' +
      'ngày nghỉ thứ hai dịp Quốc khánh, mọi ngày hoán đổi và làm bù. Khi có thông báo: sửa các ngày, ghi số văn bản vào ' +
      '"notices" và "notice", rồi đặt "provisional: false".',
    daysOff,
    makeUpWorkingDays: [],
  };
}

/**
 * Weekdays a provisional calendar of `year` would give off that `daysOff` lacks, and days in
 * `daysOff` it would not give. A holiday on a weekend needs no entry: its compensatory day does.
 */
export function compareWithStatutory(year: number, daysOff: readonly string[]): { missing: ComputedDayOff[]; extra: string[] } {
  const computed = provisionalCalendarYear(year).daysOff;
  const typed = new Set(daysOff);
  const computedDates = new Set(computed.map((day) => day.date));
  return {
    missing: computed.filter((day) => !typed.has(day.date) && !isWeekend(isoWeekdayOfEpochDay(parseEpochDay(day.date)))),
    extra: daysOff.filter((date) => !computedDates.has(date)),
  };
}

