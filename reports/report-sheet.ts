/**
 * The office's spreadsheet for entering a morning's paper reports of one duty, on the CLI
 * (`kehoach submit-many --template/--file`) and on the office pages (`/theo-doi/nhap-bao-cao`): the
 * template has one row per report still awaited (unit, period, then one column per report field),
 * the office fills in what arrived in Excel, and the filled rows are read back. Columns are found by
 * the code in square brackets at the end of their header ("Số hộ ký cam kết [so-ho-cam-ket]"), so
 * columns may be moved, narrowed or added for notes; a row whose field cells are all empty is a
 * report that has not arrived and is left out.
 */
import ExcelJS from 'exceljs';
import type { DutyStatusView, OccurrenceView } from '../workflows/types';
import { UserError } from '../domain/user-error';
import type { ExportTable } from './table-export';

/** One report read from a list: who, which period, the fields as written. */
export interface ListedReport {
  unit: string;
  period: string;
  fields: Record<string, unknown>;
}

/** A report read from the sheet, with the sheet's row it was written on. */
export type SheetReport = ListedReport & { row: number };

const UNIT_CODE = 'unit';
const PERIOD_CODE = 'period';
const AWAITED = new Set<OccurrenceView['status']>(['pending', 'extended', 'overdue']);

const coded = (label: string, code: string) => `${label} [${code}]`;
const codeOf = (header: string): string | undefined => /\[([^\][]+)\]\s*$/.exec(header)?.[1]?.trim();

/** The reports of `view` still awaited at `nowMs` (those open for submission), of one period or all. */
export function awaitedReports(view: DutyStatusView, nowMs: number, periodKey?: string): OccurrenceView[] {
  return view.occurrences.filter(
    (o) => AWAITED.has(o.status) && (o.opensAt === undefined || Date.parse(o.opensAt) <= nowMs) && (periodKey === undefined || o.periodKey === periodKey),
  );
}

/** The entry sheet of the reports `awaitedReports` lists. */
export function reportSheetTemplate(view: DutyStatusView, nowMs: number, periodKey?: string): ExportTable {
  const rows = awaitedReports(view, nowMs, periodKey);
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

/**
 * The reports filled in on the first sheet of the .xlsx workbook `bytes`, with the sheet's row of
 * each; `file` names the workbook in errors.
 */
export async function readReportSheet(bytes: Uint8Array, file: string): Promise<SheetReport[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new UserError(`không đọc được bảng tính "${file}": tệp không phải bảng tính .xlsx của Excel, hoặc đã hỏng`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UserError(`bảng tính "${file}" không có trang nào`);
  let columns: Map<string, number> | undefined;
  let headerRow = 0;
  const reports: SheetReport[] = [];
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
    throw new UserError(`bảng tính "${file}" không có dòng tiêu đề với cột "${coded('Mã đơn vị', UNIT_CODE)}"; hãy dùng bảng nhập tải từ trang theo dõi hoặc lập bằng kehoach submit-many --template`);
  }
  if (!columns.has(PERIOD_CODE)) throw new UserError(`dòng tiêu đề (dòng ${headerRow}) của bảng tính "${file}" thiếu cột "${coded('Mã kỳ', PERIOD_CODE)}"`);
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  if (reports.length === 0) throw new UserError(`bảng tính "${file}" chưa có báo cáo nào được điền số liệu`);
  return reports;
}
