/**
 * The lists of reports the office enters at once (`kehoach submit-many`): a JSON list, or the
 * office's spreadsheet for entering a morning's paper reports of one duty: `kehoach submit-many
 * --template` writes one row per report still awaited (unit, period, then one column per report
 * field), the office fills in what arrived in Excel, and `kehoach submit-many --file` reads the
 * rows back. Columns are found by the code in square brackets at the end of their header
 * ("Số hộ ký cam kết [so-ho-cam-ket]"), so columns may be moved, narrowed or added for notes; a
 * row whose field cells are all empty is a report that has not arrived and is left out.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { DutyStatusView, OccurrenceView } from '../workflows/types';
import { UserError } from '../domain/user-error';
import type { ExportTable } from '../reports/table-export';

/** One report read from a list: who, which period, the fields as written. */
export interface ListedReport {
  unit: string;
  period: string;
  fields: Record<string, unknown>;
}

/** Whether a file is read as a spreadsheet (by its name), not as a JSON list. */
export function isSpreadsheet(file: string): boolean {
  return /\.xlsx$/i.test(file);
}

export const REPORT_LIST_SHAPE = '[{"unit": "mã đơn vị", "period": "mã kỳ", "fields": {"tên-trường": giá-trị, ...}}, ...]';

/** What is wrong with one entry of a report list (nothing when it is well formed). */
function reportEntryProblems(entry: unknown, where: string): string[] {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [`${where} phải là một đối tượng {"unit": …, "period": …, "fields": {…}}`];
  const { unit, period, fields, ...rest } = entry as Record<string, unknown>;
  const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  return [
    ...(isText(unit) ? [] : [`${where} thiếu "unit" (mã đơn vị nộp)`]),
    ...(isText(period) ? [] : [`${where} thiếu "period" (mã kỳ, ví dụ 2026-03 hoặc 2026-Q1)`]),
    ...(fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? [] : [`${where} thiếu "fields" (các trường của báo cáo)`]),
    ...Object.keys(rest).map((key) => `${where} có mục "${key}" không dùng đến (chỉ có "unit", "period", "fields")`),
  ];
}

/**
 * A report list: the rows filled in on a spreadsheet made by `--template`, or a JSON file, every
 * problem of the file at once, each by its position.
 */
export async function readReportList(file: string): Promise<ListedReport[]> {
  if (isSpreadsheet(file)) return readReportSheet(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UserError(`không đọc được tệp danh sách báo cáo "${file}": ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new UserError(`tệp "${file}" phải chứa một danh sách JSON không rỗng ${REPORT_LIST_SHAPE}`);
  const problems = parsed.flatMap((entry: unknown, i) => reportEntryProblems(entry, `báo cáo thứ ${i + 1} trong tệp "${file}"`));
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  return parsed as ListedReport[];
}

const UNIT_CODE = 'unit';
const PERIOD_CODE = 'period';
const AWAITED = new Set<OccurrenceView['status']>(['pending', 'extended', 'overdue']);

const coded = (label: string, code: string) => `${label} [${code}]`;
const codeOf = (header: string): string | undefined => /\[([^\][]+)\]\s*$/.exec(header)?.[1]?.trim();

/** The reports of `view` still awaited at `nowMs` (those open for submission), of one period or all. */
export function reportSheetTemplate(view: DutyStatusView, nowMs: number, periodKey?: string): ExportTable {
  const rows = view.occurrences.filter(
    (o) => AWAITED.has(o.status) && (o.opensAt === undefined || Date.parse(o.opensAt) <= nowMs) && (periodKey === undefined || o.periodKey === periodKey),
  );
  return {
    sheet: 'Nhập báo cáo',
    caption: [
      `Nhập báo cáo: ${view.dutyTitle}`,
      'Mỗi dòng là một báo cáo; điền các cột số liệu của báo cáo đã nhận, để trống dòng của đơn vị chưa nộp. Không sửa mã trong ngoặc vuông.',
    ],
    headers: [coded('Mã đơn vị', UNIT_CODE), 'Đơn vị', coded('Mã kỳ', PERIOD_CODE), 'Kỳ', ...view.fields.map((field) => coded(field.label, field.id))],
    rows: rows.map((o) => [o.unitId, o.unitName, o.periodKey, o.periodLabel, ...view.fields.map(() => '')]),
    widths: [14, 28, 12, 20, ...view.fields.map((field) => Math.max(12, Math.min(40, field.label.length + field.id.length + 4)))],
    // Excel keeps "1.300", "45%" and "05/12/2026" as typed, whatever its locale, and kehoach reads
    // them as the web form does; a number cell would be the locale's reading of them.
    textColumns: view.fields.map((_, i) => 4 + i),
  };
}

/**
 * A cell's value as a report field takes it: text, numbers and yes/no as they are, a number shown
 * as a percentage as that percentage (45 % is stored as 0.45), dates as 'YYYY-MM-DD'.
 */
function cellValue(value: ExcelJS.CellValue, numFmt = ''): string | number | boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return numFmt.includes('%') ? Number((value * 100).toPrecision(12)) : value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return cellValue(value.richText.map((part) => part.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) return cellValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
  if ('text' in value) return cellValue(value.text);
  return undefined;
}

/** The reports filled in on the first sheet of an .xlsx file, with the sheet's row of each. */
export async function readReportSheet(file: string): Promise<(ListedReport & { row: number })[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UserError(`không đọc được tệp "${file}"${(err as NodeJS.ErrnoException).code === 'ENOENT' ? ': không có tệp này' : ''}`);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new UserError(`không đọc được bảng tính "${file}": tệp không phải bảng tính .xlsx của Excel, hoặc đã hỏng`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UserError(`bảng tính "${file}" không có trang nào`);
  let columns: Map<string, number> | undefined;
  let headerRow = 0;
  const reports: (ListedReport & { row: number })[] = [];
  const problems: string[] = [];
  sheet.eachRow((row, rowNumber) => {
    const cells = new Map<number, string | number | boolean>();
    row.eachCell((cell, column) => {
      const value = cellValue(cell.value, cell.numFmt);
      if (value !== undefined) cells.set(column, value);
    });
    if (!columns) {
      const codes = new Map([...cells].flatMap(([column, value]) => {
        const code = typeof value === 'string' ? codeOf(value) : undefined;
        return code === undefined ? [] : [[code, column] as const];
      }));
      if (codes.has(UNIT_CODE)) {
        columns = codes;
        headerRow = rowNumber;
      }
      return;
    }
    const at = (code: string) => cells.get(columns?.get(code) ?? -1);
    const fields = Object.fromEntries(
      [...columns].filter(([code]) => code !== UNIT_CODE && code !== PERIOD_CODE).flatMap(([code, column]) => {
        const value = cells.get(column);
        return value === undefined ? [] : [[code, value]];
      }),
    );
    if (Object.keys(fields).length === 0) return;
    const unit = at(UNIT_CODE);
    const period = at(PERIOD_CODE);
    if (unit === undefined) problems.push(`dòng ${rowNumber} của bảng tính "${file}" có số liệu nhưng thiếu mã đơn vị`);
    if (period === undefined) problems.push(`dòng ${rowNumber} của bảng tính "${file}" có số liệu nhưng thiếu mã kỳ`);
    if (unit !== undefined && period !== undefined) reports.push({ unit: String(unit), period: String(period), fields, row: rowNumber });
  });
  if (!columns) {
    throw new UserError(`bảng tính "${file}" không có dòng tiêu đề với cột "${coded('Mã đơn vị', UNIT_CODE)}"; hãy lập bảng bằng kehoach submit-many --template`);
  }
  if (!columns.has(PERIOD_CODE)) throw new UserError(`dòng tiêu đề (dòng ${headerRow}) của bảng tính "${file}" thiếu cột "${coded('Mã kỳ', PERIOD_CODE)}"`);
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  if (reports.length === 0) throw new UserError(`bảng tính "${file}" chưa có báo cáo nào được điền số liệu`);
  return reports;
}
