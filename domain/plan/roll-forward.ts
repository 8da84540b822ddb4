/**
 * `plan new`: this year's plan as next year's draft. The YAML document is edited in place so the
 * file keeps its comments and layout; dates move by whole years and the result is validated on the
 * target year's calendar. What a person must still check is returned as warnings.
 */
import { parseDocument, type Document } from 'yaml';
import { MissingCalendarYearError } from '../calendar';
import { workingCalendarOf } from './calendar-data';
import { parsePlan } from './load';
import type { PlanProblem } from './problems';
import type { PlanFile } from './schema';

export type RollForwardResult =
  | { ok: true; text: string; plan: PlanFile; warnings: string[] }
  | { ok: false; problems: PlanProblem[] };

function shiftDate(date: string, years: number, warnings: string[], where: string): string {
  const year = Number(date.slice(0, 4)) + years;
  let rest = date.slice(4);
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (rest === '-02-29' && !isLeap) {
    rest = '-02-28';
    warnings.push(`${where}: năm ${year} không có ngày 29/02, đã đổi thành 28/02.`);
  }
  return `${String(year).padStart(4, '0')}${rest}`;
}

function shiftYearsInText(text: string, fromYear: number, years: number): string {
  return text.replace(/\b(\d{4})\b/g, (match) => {
    const value = Number(match);
    return value === fromYear || value === fromYear - 1 ? String(value + years) : match;
  });
}

export function rollPlanForward(sourceText: string, sourceFile: string, targetYear: number, targetFile: string): RollForwardResult {
  const source = parsePlan(sourceText, sourceFile);
  if (!source.ok) return source;
  const plan = source.plan;
  const fromYear = plan.plan.year;
  const years = targetYear - fromYear;
  if (!Number.isInteger(targetYear) || years <= 0) {
    return {
      ok: false,
      problems: [{ file: sourceFile, line: 0, column: 0, path: 'plan.year', message: `năm mới (${targetYear}) phải sau năm của kế hoạch gốc (${fromYear})` }],
    };
  }
  const calendar = plan.calendars.find((entry) => entry.year === targetYear);
  if (calendar === undefined) {
    return {
      ok: false,
      problems: [
        {
          file: sourceFile,
          line: 0,
          column: 0,
          path: 'calendars',
          message: `kế hoạch gốc chưa có lịch làm việc năm ${targetYear}; thêm mục "year: ${targetYear}" vào calendars (ngày nghỉ lễ, nghỉ bù, làm bù kèm số văn bản) rồi chạy lại`,
        },
      ],
    };
  }

  const doc = parseDocument(sourceText);
  const warnings: string[] = [];
  doc.setIn(['plan', 'year'], targetYear);
  doc.setIn(['plan', 'id'], plan.plan.id.includes(String(fromYear)) ? plan.plan.id.replaceAll(String(fromYear), String(targetYear)) : `${plan.plan.id}-${targetYear}`);
  doc.setIn(['plan', 'title'], shiftYearsInText(plan.plan.title, fromYear, years));
  doc.setIn(['plan', 'documentNumber'], plan.plan.documentNumber.replace(/^\d+/, ''));
  if (plan.plan.documentDate !== undefined) doc.deleteIn(['plan', 'documentDate']);

  plan.duties.forEach((duty, index) => {
    doc.setIn(['duties', index, 'title'], shiftYearsInText(duty.title, fromYear, years));
    const where = `nhiệm vụ "${duty.id}"`;
    if (duty.cadence.every === 'once') {
      const shifted = shiftDate(duty.cadence.date, years, warnings, where);
      doc.setIn(['duties', index, 'cadence', 'date'], shifted);
      warnIfDayOff(plan, shifted, `${where}: hạn ${shifted}`, warnings);
    }
    if (duty.cadence.every === 'dates') {
      duty.cadence.dates.forEach((date, dateIndex) => {
        const shifted = shiftDate(date, years, warnings, where);
        doc.setIn(['duties', index, 'cadence', 'dates', dateIndex], shifted);
        warnIfDayOff(plan, shifted, `${where}: ngày ${shifted}`, warnings);
      });
    }
  });
  plan.events.forEach((event, index) => {
    const where = `sự kiện "${event.id}"`;
    event.dates.forEach((date, dateIndex) => {
      doc.setIn(['events', index, 'dates', dateIndex], shiftDate(date, years, warnings, where));
    });
    warnings.push(`${where}: ngày đã dời sang năm ${targetYear}, cần xác nhận theo lịch thực tế.`);
  });

  dropPastCalendars(doc, plan, targetYear);
  if (!plan.calendars.some((entry) => entry.year === targetYear + 1)) {
    doc.addIn(['calendars'], doc.createNode(provisionalSkeleton(targetYear + 1)));
    warnings.push(
      `Đã thêm lịch năm ${targetYear + 1} tạm tính, chỉ gồm các ngày lễ dương lịch cố định, để tính các hạn rơi sang đầu năm ${targetYear + 1}; ` +
        'cần bổ sung Tết Âm lịch, Giỗ Tổ, ngày nghỉ bù khi có thông báo.',
    );
  }
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const result = parsePlan(text, targetFile);
  if (!result.ok) return result;

  if (calendar.provisional) {
    warnings.unshift(
      `Lịch làm việc năm ${targetYear} là tạm tính (chưa có thông báo chính thức về ngày nghỉ): các hạn chót có thể thay đổi khi có thông báo.`,
    );
  }
  warnings.push('Căn cứ pháp lý, nơi nhận, số và ngày văn bản cần được cập nhật theo văn bản năm mới.');
  return { ok: true, text, plan: result.plan, warnings };
}

function warnIfDayOff(plan: PlanFile, date: string, what: string, warnings: string[]): void {
  try {
    if (!workingCalendarOf(plan).isWorkingDay(date)) {
      warnings.push(`${what} rơi vào ngày nghỉ; hạn sẽ lùi sang ngày làm việc kế tiếp.`);
    }
  } catch (error) {
    if (!(error instanceof MissingCalendarYearError)) throw error;
  }
}

/** Only what a fresh plan needs: its own year and the next (for deadlines that spill over). */
function dropPastCalendars(doc: Document, plan: PlanFile, targetYear: number): void {
  for (let index = plan.calendars.length - 1; index >= 0; index -= 1) {
    if ((plan.calendars[index]?.year ?? targetYear) < targetYear) doc.deleteIn(['calendars', index]);
  }
}

/**
 * The fixed solar-calendar holidays of Bộ luật Lao động 2019 Điều 112 (confirmed law, not a yearly
 * notice), marked provisional because Tết, Giỗ Tổ, the second Quốc khánh day and swaps are missing.
 */
function provisionalSkeleton(year: number) {
  const notice = 'Bộ luật Lao động 2019 Điều 112 (ngày lễ cố định)';
  return {
    year,
    provisional: true,
    notices: [],
    note: `Tạm tính khi tạo kế hoạch năm ${year - 1}: thiếu Tết Âm lịch, Giỗ Tổ Hùng Vương, ngày Quốc khánh thứ hai và các ngày nghỉ bù, làm bù.`,
    daysOff: [
      { date: `${year}-01-01`, name: 'Tết Dương lịch', notice },
      { date: `${year}-04-30`, name: 'Ngày Chiến thắng', notice },
      { date: `${year}-05-01`, name: 'Ngày Quốc tế Lao động', notice },
      { date: `${year}-09-02`, name: 'Quốc khánh', notice },
    ],
    makeUpWorkingDays: [],
  };
}
