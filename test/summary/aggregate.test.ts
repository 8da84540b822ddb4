import { describe, expect, it } from 'vitest';
import { outcomeAt, summarise } from '../../domain/summary/aggregate';
import { AS_OF, PLAN_INFO, dutyView, occurrence, sampleViews } from './fixtures';

describe('summarise', () => {
  const summary = summarise(PLAN_INFO, sampleViews(), { asOf: AS_OF });
  const [quarterly, conference] = summary.duties;

  it('counts every outcome of a duty at the cut-off', () => {
    expect(quarterly?.counts).toEqual({ 'on-time': 2, late: 1, missing: 2, waived: 1, 'before-tracking': 1, 'not-due': 1, total: 8 });
    expect(quarterly?.rates).toEqual({ owed: 5, completion: 3 / 5, onTime: 2 / 5 });
  });

  it('ignores a submission received after the cut-off: the occurrence was still missing', () => {
    expect(conference?.counts).toMatchObject({ 'on-time': 1, late: 0, missing: 2, total: 3 });
    expect(conference?.fieldTotals[0]).toMatchObject({ fieldId: 'so-nguoi-du', total: 25, submissions: 1 });
    const later = summarise(PLAN_INFO, sampleViews(), { asOf: '2026-12-31T17:00:00.000Z' });
    expect(later.duties[1]?.counts).toMatchObject({ late: 1, missing: 1 });
    expect(later.duties[1]?.fieldTotals[0]?.total).toBe(65);
  });

  it('adds up only the numeric fields the plan marks sum, per unit and overall', () => {
    expect(quarterly?.fieldTotals).toEqual([
      {
        fieldId: 'so-hoi-nghi',
        label: 'Số cuộc họp, hội nghị',
        type: 'number',
        total: 1239.5,
        totalText: '1.239,5',
        submissions: 3,
        byUnit: [
          { unitId: 'thon-1', unitName: 'Tổ dân phố số 1', total: 5, totalText: '5', submissions: 2 },
          { unitId: 'thon-10', unitName: 'Tổ dân phố số 10', total: 1234.5, totalText: '1.234,5', submissions: 1 },
        ],
      },
    ]);
  });

  it('adds counts, money and decimals exactly, and prints money in đồng', () => {
    const view = dutyView(
      'd',
      'Nhiệm vụ',
      [
        { id: 'nguoi', label: 'Số người', type: 'count', required: true, sum: true },
        { id: 'tien', label: 'Kinh phí', type: 'money', required: false, sum: true },
        { id: 'ty-le', label: 'Tỷ lệ', type: 'number', required: false, sum: true },
        { id: 'co', label: 'Đã niêm yết', type: 'yesno', required: false },
        { id: 'ngay', label: 'Ngày niêm yết', type: 'date', required: false },
      ],
      [
        { unit: 'thon-1', period: '2026-Q1', status: 'submitted', fields: { nguoi: 1000, tien: 4_000_000_000_000_001, 'ty-le': 0.1, co: true, ngay: '2026-03-20' } },
        { unit: 'thon-2', period: '2026-Q1', status: 'submitted', fields: { nguoi: 234, tien: 4_000_000_000_000_003, 'ty-le': 0.2 } },
      ],
    );
    const [duty] = summarise(PLAN_INFO, [view], { asOf: AS_OF }).duties;
    expect(duty?.fieldTotals.map((field) => [field.fieldId, field.total, field.totalText])).toEqual([
      ['nguoi', 1234, '1.234'],
      ['tien', 8_000_000_000_000_004, '8.000.000.000.000.004 đồng'],
      ['ty-le', 0.3, '0,3'],
    ]);
    const thon1 = summarise(PLAN_INFO, [view], { asOf: AS_OF }).units.find((unit) => unit.unitId === 'thon-1');
    expect(thon1?.values.map((v) => [v.fieldId, v.text])).toEqual([
      ['co', 'có'],
      ['ngay', '20/03/2026'],
    ]);
  });

  it('collects text fields and unsummed numbers per unit, skipping blank answers', () => {
    const thon1 = summary.units.find((unit) => unit.unitId === 'thon-1');
    expect(thon1?.values.map((v) => [v.fieldId, v.periodKey, v.value])).toEqual([
      ['so-don-vi', '2026-Q1', 7],
      ['kho-khan', '2026-Q1', 'Thiếu loa truyền thanh'],
    ]);
  });

  it('totals the plan and orders units by Vietnamese name, numbers in numeric order', () => {
    expect(summary.totals.duties).toBe(2);
    expect(summary.totals.counts).toEqual({ 'on-time': 3, late: 1, missing: 4, waived: 1, 'before-tracking': 1, 'not-due': 1, total: 11 });
    expect(summary.totals.rates).toEqual({ owed: 8, completion: 0.5, onTime: 0.375 });
    expect(summary.units.map((unit) => unit.unitId)).toEqual(['thon-1', 'thon-2', 'thon-10', 'tram-y-te', 'truong-mn']);
    expect(summary.units.find((unit) => unit.unitId === 'tram-y-te')?.counts).toMatchObject({ 'on-time': 1, 'before-tracking': 1, 'not-due': 1, total: 3 });
  });

  it('lists the units with missing items, most missing first', () => {
    expect(summary.unitsMostOverdue.map((unit) => [unit.unitId, unit.counts.missing])).toEqual([
      ['thon-2', 3],
      ['truong-mn', 1],
    ]);
  });

  it('keeps the duties in the order given and is deterministic', () => {
    expect(summary.duties.map((duty) => duty.dutyId)).toEqual(['bao-cao-quy', 'hoi-nghi']);
    const reversed = summarise(PLAN_INFO, [...sampleViews()].reverse(), { asOf: AS_OF });
    expect(reversed.duties.map((duty) => duty.dutyId)).toEqual(['hoi-nghi', 'bao-cao-quy']);
    expect(reversed.units).toEqual(summary.units);
    expect(JSON.stringify(summarise(PLAN_INFO, sampleViews(), { asOf: AS_OF }))).toBe(JSON.stringify(summary));
  });

  it('gives null rates, not 0 %, when nothing was owed, and handles an empty plan', () => {
    const empty = summarise(PLAN_INFO, [], { asOf: AS_OF });
    expect(empty.totals).toEqual({
      duties: 0,
      counts: { 'on-time': 0, late: 0, missing: 0, waived: 0, 'before-tracking': 0, 'not-due': 0, total: 0 },
      rates: { owed: 0, completion: null, onTime: null },
    });
    expect(empty.units).toEqual([]);
    expect(empty.unitsMostOverdue).toEqual([]);
    const noOccurrences = summarise(PLAN_INFO, [dutyView('d', 'Nhiệm vụ', [], [])], { asOf: AS_OF });
    expect(noOccurrences.duties[0]?.rates).toEqual({ owed: 0, completion: null, onTime: null });
  });

  it('counts a removed occurrence only for the submission it carries', () => {
    const view = dutyView('d', 'Nhiệm vụ', [{ id: 'n', label: 'Số', type: 'number', required: true, sum: true }], [
      { unit: 'thon-1', period: '2026-Q1', status: 'removed', receivedAt: '2026-03-01T03:00:00.000Z', fields: { n: 4 } },
      { unit: 'thon-2', period: '2026-Q1', status: 'removed', receivedAt: '2026-12-20T03:00:00.000Z', fields: { n: 9 } },
    ]);
    const result = summarise(PLAN_INFO, [view], { asOf: AS_OF });
    expect(result.duties[0]?.counts.total).toBe(1);
    expect(result.duties[0]?.fieldTotals[0]?.total).toBe(4);
  });

  it('rejects a cut-off that is not an instant', () => {
    expect(() => summarise(PLAN_INFO, [], { asOf: 'cuối năm' })).toThrow(RangeError);
  });
});

describe('outcomeAt', () => {
  const asOfMs = Date.parse(AS_OF);
  it('a waiver after the cut-off does not excuse an occurrence already due', () => {
    const occ = occurrence('d', { unit: 'thon-1', period: '2026-Q1', status: 'waived', waivedAt: '2026-12-15T03:00:00.000Z' });
    expect(outcomeAt(occ, asOfMs)).toBe('missing');
  });
  it('an occurrence due exactly at the cut-off is not yet missing', () => {
    const occ = occurrence('d', { unit: 'thon-1', period: '2026-Q4', status: 'pending', dueAt: AS_OF });
    expect(outcomeAt(occ, asOfMs)).toBe('not-due');
  });
});
