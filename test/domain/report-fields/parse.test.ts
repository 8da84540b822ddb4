/**
 * Report field values typed by a person (web form, CLI) → canonical value or refusal, and the
 * re-check the duty workflow runs on canonical values. One table per type; property tests for the
 * number formats (format → parse is the identity) and for robustness (no input throws).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFieldValue,
  checkSubmission,
  formatFieldValue,
  parseFieldInput,
  readSubmission,
  sumExactly,
  type FieldResult,
  type ReportField,
} from '../../../domain/report-fields';

const field = (type: ReportField['type'], extra: Partial<ReportField> = {}): ReportField => ({
  id: type,
  label: `Trường ${type}`,
  type,
  required: false,
  ...extra,
});

const COUNT = field('count', { label: 'Số cuộc họp' });
const NUMBER = field('number');
const MONEY = field('money', { label: 'Kinh phí' });
const PERCENT = field('percent');
const DATE = field('date');
const YESNO = field('yesno');
const TEXT = field('text', { label: 'Ý kiến', required: true });

const outcome = (result: FieldResult) => (result.ok ? result.value : result.problem.code);

describe('parseFieldInput', () => {
  it.each([
    // count: whole numbers ≥ 0, thousands grouped by dots
    [COUNT, '0', 0],
    [COUNT, '12', 12],
    [COUNT, '007', 7],
    [COUNT, '1.000', 1000],
    [COUNT, ' 1.234.567 ', 1234567],
    [COUNT, '9.007.199.254.740.991', Number.MAX_SAFE_INTEGER],
    [COUNT, '9007199254740992', 'too-large'],
    [COUNT, '99999999999999999999', 'too-large'],
    [COUNT, '9'.repeat(400), 'too-large'],
    [COUNT, '-5', 'negative'],
    [COUNT, '−3', 'negative'],
    [COUNT, '1,5', 'not-integer'],
    [COUNT, '1,000', 'not-integer'],
    [COUNT, '1.5', 'malformed'],
    [COUNT, '1.00', 'malformed'],
    [COUNT, '1.0000', 'malformed'],
    [COUNT, '12.34.567', 'malformed'],
    [COUNT, '0.500', 'malformed'],
    [COUNT, '1e5', 'malformed'],
    [COUNT, '+5', 'malformed'],
    [COUNT, 'mười hai', 'malformed'],
    [COUNT, '12a', 'malformed'],
    [COUNT, '0x10', 'malformed'],
    [COUNT, 'Infinity', 'malformed'],
    [COUNT, '1 000', 'malformed'],
    [COUNT, '', undefined],
    [COUNT, '\u200b', undefined],
    // number: decimal comma, at most 2 decimals unless the plan says
    [NUMBER, '1,5', 1.5],
    [NUMBER, '1.000,5', 1000.5],
    [NUMBER, '-3,25', -3.25],
    [NUMBER, '0,1', 0.1],
    [NUMBER, '1,000', 'too-many-decimals'],
    [field('number', { decimals: 3 }), '1,000', 1],
    [field('number', { decimals: 0 }), '1,5', 'not-integer'],
    [NUMBER, '1,', 'malformed'],
    [NUMBER, ',5', 'malformed'],
    [NUMBER, '1.5', 'malformed'],
    [NUMBER, '1,5,5', 'malformed'],
    [NUMBER, '2.5e3', 'malformed'],
    [NUMBER, '9.999.999.999.999,99', 9999999999999.99],
    [NUMBER, '10.000.000.000.000', 'too-large'],
    [field('number', { min: 0, max: 10 }), '10,5', 'too-large'],
    [field('number', { min: 0, max: 10 }), '-1', 'too-small'],
    // money: whole đồng, an optional unit
    [MONEY, '1.500.000', 1500000],
    [MONEY, '1.500.000 đồng', 1500000],
    [MONEY, '250.000đ', 250000],
    [MONEY, '250.000 VNĐ', 250000],
    [MONEY, '1.500,5', 'not-integer'],
    [MONEY, '-1.000', 'negative'],
    [field('money', { min: -1_000_000 }), '-1.000', -1000],
    // percent: 0–100, optional sign
    [PERCENT, '76,5', 76.5],
    [PERCENT, '76,5%', 76.5],
    [PERCENT, '100 %', 100],
    [PERCENT, '100,01', 'too-large'],
    [PERCENT, '-1', 'too-small'],
    // date: day/month/year or ISO, real days only
    [DATE, '20/03/2026', '2026-03-20'],
    [DATE, '5/1/2026', '2026-01-05'],
    [DATE, '20-03-2026', '2026-03-20'],
    [DATE, '2026-03-20', '2026-03-20'],
    [DATE, '29/02/2028', '2028-02-29'],
    [DATE, '29/02/2026', 'bad-date'],
    [DATE, '31/04/2026', 'bad-date'],
    [DATE, '03/20/2026', 'bad-date'],
    [DATE, '20/03/26', 'bad-date'],
    [DATE, 'hôm nay', 'bad-date'],
    // yes/no
    [YESNO, 'có', true],
    [YESNO, 'Có', true],
    [YESNO, 'co\u0301', true],
    [YESNO, 'không', false],
    [YESNO, 'khong', false],
    [YESNO, 'chưa', 'malformed'],
    // text: NFC, trimmed, invisible characters are not content
    [TEXT, '  Tốt  ', 'Tốt'],
    [TEXT, 'Tô\u0301t', 'Tốt'],
    [TEXT, 'dòng 1\r\ndòng 2', 'dòng 1\ndòng 2'],
    [TEXT, '\u200b', 'missing'],
    [TEXT, '\u200b\u200c\u200d\u2060\ufeff\u00ad \u00a0', 'missing'],
    [TEXT, '\u200bTốt\u200b', 'Tốt'],
    [TEXT, 'a'.repeat(2000), 'a'.repeat(2000)],
    [TEXT, 'a'.repeat(2001), 'too-long'],
    [field('text', { maxLength: 5 }), 'Hà Đông', 'too-long'],
  ] as const)('%o reads %j as %j', (f, typed, expected) => {
    expect(outcome(parseFieldInput(f, typed))).toEqual(expected);
  });

  it('names the field, quotes what was typed and gives the expected form', () => {
    const refusal = (f: ReportField, typed: string) => {
      const result = parseFieldInput(f, typed);
      if (result.ok) throw new Error(`accepted ${typed}`);
      return result.problem.message;
    };
    expect(refusal(COUNT, '-5')).toBe('Trường "Số cuộc họp" phải là số nguyên không âm (ví dụ 1.000), nhận được "-5".');
    expect(refusal(COUNT, '1,000')).toBe(
      'Trường "Số cuộc họp" phải là số nguyên không âm (ví dụ 1.000), nhận được "1,000": dấu phẩy là dấu thập phân; hàng nghìn viết bằng dấu chấm (ví dụ 1.000).',
    );
    expect(refusal(COUNT, '9'.repeat(400))).toBe(
      `Trường "Số cuộc họp" phải không quá 9.007.199.254.740.991, nhận được "${'9'.repeat(24)}…" (400 ký tự).`,
    );
    expect(refusal(MONEY, '9.007.199.254.740.992')).toContain('phải không quá 9.007.199.254.740.991 đồng');
    expect(refusal(DATE, '31/02/2026')).toBe('Trường "Trường date" phải là một ngày có thật, viết ngày/tháng/năm (ví dụ 20/03/2026), nhận được "31/02/2026".');
    expect(refusal(TEXT, '\u200b')).toBe('Trường "Ý kiến" là bắt buộc; nội dung gửi lên chỉ có khoảng trắng hoặc ký tự vô hình, không có chữ nào.');
    expect(refusal(field('count', { label: 'Số người', required: true }), '')).toBe('Trường "Số người" là bắt buộc, chưa được điền.');
    expect(refusal(field('count', { label: 'Số người', min: 1, max: 500 }), '600')).toBe('Trường "Số người" phải không quá 500, nhận được "600".');
  });

  it('never throws, and accepts only what the workflow accepts', () => {
    const fields = [COUNT, NUMBER, MONEY, PERCENT, DATE, YESNO, TEXT, field('number', { decimals: 4, min: -5, max: 5 })];
    const typed = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom(...'0123456789.,-−e% đ'.split('')) }),
      fc.stringMatching(/^-?\d{1,3}(\.\d{3}){0,6}(,\d{1,8})?$/),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), typed, (f, text) => {
        const result = parseFieldInput(f, text);
        if (result.ok && result.value !== undefined) expect(checkFieldValue(f, result.value)).toEqual(result);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('format → parse', () => {
  it('reads back every whole number it writes, exactly (counts and money)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (value) => {
        expect(outcome(parseFieldInput(COUNT, formatFieldValue(COUNT, value)))).toBe(value);
        expect(outcome(parseFieldInput(MONEY, formatFieldValue(MONEY, value)))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back every decimal it writes, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15 - 1), max: 10 ** 15 - 1 }), (scaled) => {
        const value = scaled / 100;
        expect(outcome(parseFieldInput(NUMBER, formatFieldValue(NUMBER, value)))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes money with dots between thousands and the unit', () => {
    expect(formatFieldValue(MONEY, 1234567)).toBe('1.234.567 đồng');
    expect(formatFieldValue(PERCENT, 76.5)).toBe('76,5%');
    expect(formatFieldValue(DATE, '2026-03-20')).toBe('20/03/2026');
    expect(formatFieldValue(YESNO, false)).toBe('không');
  });
});

describe('checkFieldValue (canonical values, as the workflow receives them)', () => {
  it.each([
    [COUNT, 5, 5],
    [COUNT, -5, 'negative'],
    [COUNT, 1.5, 'not-integer'],
    [COUNT, 1e20, 'too-large'],
    [COUNT, Number.MAX_SAFE_INTEGER + 2, 'too-large'],
    [COUNT, Number.POSITIVE_INFINITY, 'wrong-type'],
    [COUNT, Number.NaN, 'wrong-type'],
    [COUNT, null, 'wrong-type'],
    [COUNT, '12', 'wrong-type'],
    [COUNT, undefined, undefined],
    [field('count', { required: true }), undefined, 'missing'],
    [field('count', { required: true }), null, 'wrong-type'],
    [NUMBER, 0.1, 0.1],
    [NUMBER, 0.125, 'too-many-decimals'],
    [MONEY, 1500000.5, 'not-integer'],
    [PERCENT, 100.5, 'too-large'],
    [DATE, '2026-02-30', 'bad-date'],
    [DATE, '20/03/2026', 'bad-date'],
    [YESNO, 'có', 'wrong-type'],
    [YESNO, false, false],
    [TEXT, '\u200b', 'missing'],
    [TEXT, 42, 'wrong-type'],
    [field('text'), '\u200b\u2060', undefined],
  ] as const)('%o checks %j as %j', (f, value, expected) => {
    expect(outcome(checkFieldValue(f, value))).toEqual(expected);
  });
});

describe('a whole report', () => {
  const fields = [field('count', { id: 'a', label: 'A', required: true }), field('count', { id: 'b', label: 'B' }), field('text', { id: 'c', label: 'C' })];

  it('reports every problem at once and keeps the good values', () => {
    const reading = readSubmission(fields, { a: '-5', b: 'x', c: ' ghi chú ' });
    expect(reading.problems.map((p) => [p.fieldId, p.code])).toEqual([
      ['a', 'negative'],
      ['b', 'malformed'],
    ]);
    expect(reading.values).toEqual({ c: 'ghi chú' });
  });

  it('leaves an empty optional field absent and refuses unknown names', () => {
    expect(readSubmission(fields, { a: '1.000', b: '' })).toEqual({ values: { a: 1000 }, problems: [] });
    expect(checkSubmission(fields, { a: 1, z: 2 }).problems.map((p) => p.code)).toEqual(['unknown-field']);
    expect(checkSubmission(fields, { a: 1, b: null }).problems.map((p) => p.code)).toEqual(['wrong-type']);
  });
});

describe('sumExactly', () => {
  it('adds decimals without binary drift and whole đồng exactly', () => {
    expect(sumExactly([0.1, 0.2], 2)).toBe(0.3);
    expect(sumExactly([1.15, 2.35, -0.5], 2)).toBe(3);
    expect(sumExactly([4_000_000_000_000_001, 4_000_000_000_000_003], 0)).toBe(8_000_000_000_000_004);
  });
});
