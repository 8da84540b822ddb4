/**
 * The lists of reports the office enters at once (`kehoach submit-many --file`): a JSON list, or
 * the office's filled-in entry sheet (reports/report-sheet.ts).
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../domain/user-error';
import { readReportSheet, type ListedReport } from '../reports/report-sheet';

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
  if (isSpreadsheet(file)) return readReportSheet(await readBytes(file), file);
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

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new UserError(`không đọc được tệp "${file}"${(err as NodeJS.ErrnoException).code === 'ENOENT' ? ': không có tệp này' : ''}`);
  }
}
