/**
 * The office's entry spreadsheet without a server: which reports a template lists, and how a sheet
 * written by another program (openpyxl, not the exceljs that reads it) comes back as reports, or as
 * a Vietnamese error naming the row or the file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReportSheet, reportSheetTemplate } from '../../reports/report-sheet';
import { readReportList } from '../../client/report-lists';
import type { DutyStatusView, OccurrenceView } from '../../workflows/types';
import { toXlsx } from '../../reports/table-export';
import { columnFormat, writeXlsx } from '../support/openpyxl';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-sheet-'));
const NOW = Date.parse('2026-12-01T03:00:00.000Z');

function occurrence(unitId: string, periodKey: string, status: OccurrenceView['status'], opensAt?: string): OccurrenceView {
  return {
    key: `d:${unitId}:${periodKey}`, unitId, unitName: `Tổ ${unitId}`, periodKey, periodLabel: `kỳ ${periodKey}`,
    scheduledDueAt: '2026-12-10T17:00:00.000Z', dueAt: '2026-12-10T17:00:00.000Z', status, extensions: [], escalatedLevels: [],
    ...(opensAt ? { opensAt } : {}),
  };
}

const view = {
  dutyId: 'bc', dutyTitle: 'Báo cáo tháng',
  fields: [{ id: 'so-vu', label: 'Số vụ', type: 'count', required: true }, { id: 'ngay-hop', label: 'Ngày họp', type: 'date', required: false }],
  occurrences: [
    occurrence('tdp-01', '2026-11', 'overdue'),
    occurrence('tdp-02', '2026-11', 'submitted'),
    occurrence('tdp-03', '2026-11', 'waived'),
    occurrence('tdp-01', '2026-12', 'pending', '2026-12-01T00:00:00.000Z'),
    occurrence('tdp-02', '2026-12', 'extended'),
    occurrence('tdp-01', '2027-01', 'pending', '2027-01-01T00:00:00.000Z'),
  ],
} as unknown as DutyStatusView;

describe('entry spreadsheet', () => {
  it('lists the reports still awaited and open, of one period or all, with a column per field', () => {
    const all = reportSheetTemplate(view, NOW);
    expect(all.headers).toEqual(['Mã đơn vị [unit]', 'Đơn vị', 'Mã kỳ [period]', 'Kỳ', 'Số vụ [so-vu]', 'Ngày họp [ngay-hop]']);
    expect(all.rows.map((row) => `${row[0]} ${row[2]}`)).toEqual(['tdp-01 2026-11', 'tdp-01 2026-12', 'tdp-02 2026-12']);
    expect(reportSheetTemplate(view, NOW, '2026-12').rows.map((row) => row[0])).toEqual(['tdp-01', 'tdp-02']);
  });

  it('formats the field columns as text, so Excel keeps "1.300" or "45%" as typed', async () => {
    const file = path.join(dir, 'template.xlsx');
    writeFileSync(file, await toXlsx(reportSheetTemplate(view, NOW)));
    expect(columnFormat(file, 'Số vụ [so-vu]')).toBe('@');
    expect(columnFormat(file, 'Mã đơn vị [unit]')).toBe('General');
  });

  it('reads filled rows by their codes, leaves out rows not filled in, and keeps numbers, text and percentages', async () => {
    const file = path.join(dir, 'filled.xlsx');
    writeXlsx(
      file,
      [
        ['Nhập báo cáo: Báo cáo tháng'],
        ['Ghi chú', 'Mã kỳ [period]', 'Số vụ [so-vu]', 'Mã đơn vị [unit]', 'Ngày họp [ngay-hop]', 'Tỉ lệ [ti-le]'],
        ['', '2026-11', 3, 'tdp-01', '', ''],
        ['chưa nộp', '2026-12', '', 'tdp-02', '', ''],
        ['', '2026-12', '1.200', 'tdp-01', '05/12/2026', 0.455],
      ],
      { F5: '0.0%' },
    );
    expect(await readReportSheet(readFileSync(file), file)).toEqual([
      { unit: 'tdp-01', period: '2026-11', fields: { 'so-vu': 3 }, row: 3 },
      { unit: 'tdp-01', period: '2026-12', fields: { 'so-vu': '1.200', 'ngay-hop': '05/12/2026', 'ti-le': 45.5 }, row: 5 },
    ]);
  });

  it('names the row of a filled report without its codes, and refuses files that are not its sheet', async () => {
    const noPeriod = path.join(dir, 'no-period.xlsx');
    writeXlsx(noPeriod, [['Mã đơn vị [unit]', 'Mã kỳ [period]', 'Số vụ [so-vu]'], ['tdp-01', '', 4]]);
    await expect(readReportList(noPeriod)).rejects.toThrow(`dòng 2 của bảng tính "${noPeriod}" có số liệu nhưng thiếu mã kỳ`);
    const empty = path.join(dir, 'empty.xlsx');
    writeXlsx(empty, [['Mã đơn vị [unit]', 'Mã kỳ [period]', 'Số vụ [so-vu]'], ['tdp-01', '2026-11', '']]);
    await expect(readReportList(empty)).rejects.toThrow(`bảng tính "${empty}" chưa có báo cáo nào được điền số liệu`);
    const notXlsx = path.join(dir, 'list.xlsx');
    writeFileSync(notXlsx, '[{"unit": "tdp-01"}]');
    await expect(readReportList(notXlsx)).rejects.toThrow(`không đọc được bảng tính "${notXlsx}": tệp không phải bảng tính .xlsx của Excel, hoặc đã hỏng`);
    await expect(readReportList(path.join(dir, 'missing.xlsx'))).rejects.toThrow('không có tệp này');
  });
});
