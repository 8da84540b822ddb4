/**
 * A table (Vietnamese headers, rows of text and numbers) as the office opens it in Excel: .xlsx
 * written with exceljs, or CSV in UTF-8 with a byte-order mark (without it Excel reads the
 * diacritics as Windows-1252), comma-separated, CRLF, every field quoted when it needs to be.
 */
import ExcelJS from 'exceljs';

export type ExportCell = string | number;

export interface ExportTable {
  /** Sheet name (at most 31 characters; Excel's limit). */
  sheet: string;
  /** Lines above the table: title, as-of time, filters. */
  caption: string[];
  headers: string[];
  rows: ExportCell[][];
  /** Column widths in characters; defaults to the header's length. */
  widths?: number[];
  /** Columns (0-based) formatted as text, so Excel keeps what is typed into them as typed. */
  textColumns?: number[];
}

const BOM = '\uFEFF';

function csvField(value: ExportCell): string {
  const text = String(value);
  // A leading = + - @ would be read by Excel as a formula: quote it and prefix an apostrophe.
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n;']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Headers then rows; the caption is not written, so the file stays a plain table a program can read. */
export function toCsv(table: ExportTable): string {
  const lines = [table.headers, ...table.rows].map((row) => row.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'kehoach';
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31));
  for (const line of table.caption) sheet.addRow([line]);
  if (table.caption.length > 0) {
    sheet.getCell(1, 1).font = { bold: true, size: 13 };
    sheet.addRow([]);
  }
  const headerRow = sheet.addRow(table.headers);
  headerRow.font = { bold: true };
  headerRow.alignment = { vertical: 'top', wrapText: true };
  headerRow.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF0F3' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const row of table.rows) sheet.addRow(row);
  table.headers.forEach((header, index) => {
    sheet.getColumn(index + 1).width = table.widths?.[index] ?? Math.max(8, Math.min(40, header.length + 2));
  });
  for (const index of table.textColumns ?? []) sheet.getColumn(index + 1).numFmt = '@';
  // The header stays in view while scrolling down the units.
  sheet.views = [{ state: 'frozen', ySplit: headerRow.number, xSplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
