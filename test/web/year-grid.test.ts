/**
 * The year-at-a-glance model and the CSV writer on hand-made status views: what a cell says, that
 * rates count tracked items only, and that CSV fields Excel would misread are quoted.
 */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../reports/table-export';
import { cellText, monthLabel, yearGrid } from '../../web/year-grid';
import type { DutyStatusView, OccurrenceView } from '../../workflows/types';

const NOW = '2027-06-15T03:00:00.000Z';
const YEAR_2027 = { from: '2027-01-01', to: '2027-12-31' };

function occurrence(unitId: string, month: number, status: OccurrenceView['status'], extra: Partial<OccurrenceView> = {}): OccurrenceView {
  // 23:59 local on the 10th is 16:59 UTC the same day.
  const dueAt = `2027-${String(month).padStart(2, '0')}-10T16:59:59.000Z`;
  return {
    key: `bc:${unitId}:2027-${month}`,
    unitId,
    unitName: unitId === 'a' ? 'Trường A' : 'Trường B',
    periodKey: `2027-${month}`,
    periodLabel: `tháng ${month}/2027`,
    scheduledDueAt: dueAt,
    dueAt,
    status,
    extensions: [],
    escalatedLevels: [],
    ...extra,
  };
}

function duty(occurrences: OccurrenceView[]): DutyStatusView {
  return {
    planId: 'p-2027', year: 2027, timeZone: 'Asia/Ho_Chi_Minh', dutyId: 'bc', dutyTitle: 'Báo cáo tháng', dutyKind: 'report',
    fields: [], status: 'on-track', occurrences, runs: 1,
  };
}

describe('year grid', () => {
  it('shows each state with its symbol and word, and the escalation level of an overdue item', () => {
    const grid = yearGrid(
      [
        duty([
          occurrence('a', 1, 'before-tracking'),
          occurrence('a', 2, 'submitted', { submission: { reference: '1/2027', receivedAt: '2027-02-09T01:00:00Z', late: false, fields: {} } }),
          occurrence('a', 3, 'late', { submission: { reference: '2/2027', receivedAt: '2027-03-12T01:00:00Z', late: true, fields: {} } }),
          occurrence('a', 4, 'overdue', { escalatedLevels: [1, 2] }),
          occurrence('a', 7, 'pending'),
          occurrence('a', 8, 'pending', { opensAt: '2027-08-01T00:00:00Z' }),
        ]),
      ],
      YEAR_2027,
      NOW,
    );
    const texts = grid.rows[0]?.cells.map(cellText);
    expect(texts?.slice(0, 8)).toEqual(['⌀ Trước theo dõi', '✓ Đúng hạn', '◑ Muộn', '✕ Quá hạn · cấp 2', '', '', '○ Chờ nộp', '· Chưa đến kỳ']);
    // Owed by now: February, March, April; January fell before tracking, July and August are ahead.
    expect(grid.rates.owed).toBe(3);
    expect(grid.rates.onTime).toBeCloseTo(1 / 3);
  });

  it('never counts a grid of items before tracking as done', () => {
    const grid = yearGrid([duty([occurrence('a', 1, 'before-tracking'), occurrence('b', 2, 'before-tracking')])], YEAR_2027, NOW);
    expect(grid.rates).toEqual({ owed: 0, completion: null, onTime: null });
    expect(grid.counts['before-tracking']).toBe(2);
  });

  it("has a column per month of a plan's own period, plus the month after it where a deadline falls", () => {
    // A school year from September 2026 to May 2027, its May report due on 10 June.
    const grid = yearGrid([duty([occurrence('a', 2, 'submitted'), occurrence('a', 6, 'pending')])], { from: '2026-09-01', to: '2027-05-31' }, NOW);
    expect(grid.months).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    expect(grid.months.map((month) => monthLabel(month, 2026))).toEqual(['T9', 'T10', 'T11', 'T12', 'T1/2027', 'T2/2027', 'T3/2027', 'T4/2027', 'T5/2027', 'T6/2027']);
  });

  it('keeps only the rows with an item in the chosen state', () => {
    const grid = yearGrid([duty([occurrence('a', 4, 'overdue'), occurrence('b', 4, 'waived', { waiver: { reason: 'x', waivedAt: NOW } })])], YEAR_2027, NOW, { state: 'waived' });
    expect(grid.rows.map((row) => row.unitName)).toEqual(['Trường B']);
  });
});

describe('CSV', () => {
  it('starts with a byte-order mark, ends lines with CRLF and quotes commas, quotes and formulas', () => {
    const csv = toCsv({ sheet: 's', caption: [], headers: ['Đơn vị', 'Ghi chú'], rows: [['Trường "A", cơ sở 2', '=1+1']] });
    expect(csv).toBe('\uFEFFĐơn vị,Ghi chú\r\n"Trường ""A"", cơ sở 2","\'=1+1"\r\n');
  });
});
