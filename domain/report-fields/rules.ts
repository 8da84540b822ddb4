/**
 * The one set of rules for report field values. Two entry points share every check:
 * - `parseFieldInput` reads what a person typed (web form, command line) into a canonical value;
 * - `checkFieldValue` re-checks a canonical value (the duty workflow's validator);
 * and `readSubmission` / `checkSubmission` apply them to a whole report, every problem at once.
 */
import { formatDate, isCanonicalDate, parseTypedDate } from './dates';
import { formatVietnameseNumber, looksLikeCommaThousands, maxMagnitude, maxScaled, readVietnameseNumber } from './numbers';
import { canonicalText, isBlankText, quoteTyped, textLength } from './text';
import type { FieldProblem, FieldProblemCode, FieldValue, ReportField } from './types';

export const DEFAULT_TEXT_MAX_LENGTH = 2000;
export const DEFAULT_DECIMALS = 2;
/** More would not survive a double exactly (see maxMagnitude). */
export const MAX_DECIMALS = 6;

export interface NumberLimits {
  min: number;
  max: number;
  decimals: number;
}

/** The range and decimals a numeric field accepts, the plan's own limits applied over the type's. */
export function numberLimits(field: ReportField): NumberLimits {
  const decimals = field.type === 'number' || field.type === 'percent' ? (field.decimals ?? DEFAULT_DECIMALS) : 0;
  const magnitude = maxMagnitude(decimals);
  const [typeMin, typeMax] =
    field.type === 'count' ? [0, magnitude] : field.type === 'percent' ? [0, 100] : field.type === 'money' ? [0, magnitude] : [-magnitude, magnitude];
  // Money may go below zero (a balance) when the plan says so; a count never does.
  const floor = field.type === 'money' ? -magnitude : typeMin;
  return {
    min: field.min === undefined ? typeMin : Math.max(floor, field.min),
    max: field.max === undefined ? typeMax : Math.min(typeMax, field.max),
    decimals,
  };
}

export function textMaxLength(field: ReportField): number {
  return field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
}

function isNumeric(field: ReportField): boolean {
  return field.type === 'count' || field.type === 'number' || field.type === 'money' || field.type === 'percent';
}

/** A canonical value as a person reads it: "1.234.567 đồng", "76,5%", "20/03/2026", "có". */
export function formatFieldValue(field: Pick<ReportField, 'type' | 'decimals'>, value: FieldValue): string {
  if (typeof value === 'boolean') return value ? 'có' : 'không';
  if (typeof value === 'number') {
    const decimals = field.type === 'number' || field.type === 'percent' ? (field.decimals ?? DEFAULT_DECIMALS) : 0;
    const text = formatVietnameseNumber(value, field.type === 'count' || field.type === 'money' ? 0 : decimals);
    if (field.type === 'money') return `${text} đồng`;
    if (field.type === 'percent') return `${text}%`;
    return text;
  }
  if (field.type === 'date' && isCanonicalDate(value)) return formatDate(value);
  return value;
}

/** An example of the expected form, for hints on the form and in every refusal. */
export function fieldExample(field: ReportField): string {
  switch (field.type) {
    case 'count':
      return '1.000';
    case 'money':
      return '1.500.000';
    case 'number':
      return numberLimits(field).decimals > 0 ? '1.234,5' : '1.234';
    case 'percent':
      return numberLimits(field).decimals > 0 ? '76,5' : '76';
    case 'date':
      return '20/03/2026';
    case 'yesno':
      return 'có';
    case 'text':
      return '';
  }
}

function rangeText(field: ReportField, limits: NumberLimits): string {
  const fmt = (value: number) => formatFieldValue(field, value);
  const typeLimits = numberLimits({ ...field, min: undefined, max: undefined });
  const customMin = limits.min !== typeLimits.min;
  const customMax = limits.max !== typeLimits.max;
  if (customMin && customMax) return ` từ ${fmt(limits.min)} đến ${fmt(limits.max)}`;
  if (customMin) return ` từ ${fmt(limits.min)} trở lên`;
  if (customMax) return ` không quá ${fmt(limits.max)}`;
  return '';
}

/** What the field expects, as the end of a sentence starting with the field's name. */
export function fieldExpectation(field: ReportField): string {
  const limits = numberLimits(field);
  const range = rangeText(field, limits);
  switch (field.type) {
    case 'count':
      return `phải là số nguyên không âm${range} (ví dụ ${fieldExample(field)})`;
    case 'money':
      return `phải là số tiền bằng đồng, số nguyên${limits.min >= 0 ? ' không âm' : ''}${range} (ví dụ ${fieldExample(field)})`;
    case 'number': {
      const decimals = limits.decimals > 0 ? `, tối đa ${limits.decimals} chữ số sau dấu phẩy` : ', không có phần thập phân';
      return `phải là một số${range}${decimals} (ví dụ ${fieldExample(field)}: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân)`;
    }
    case 'percent':
      return `phải là tỷ lệ phần trăm từ ${formatVietnameseNumber(limits.min)} đến ${formatVietnameseNumber(limits.max)} (ví dụ ${fieldExample(field)} hoặc ${fieldExample(field)}%)`;
    case 'date':
      return `phải là một ngày có thật, viết ngày/tháng/năm (ví dụ ${fieldExample(field)})`;
    case 'yesno':
      return 'phải là "có" hoặc "không"';
    case 'text':
      return `phải là văn bản, tối đa ${formatVietnameseNumber(textMaxLength(field))} ký tự`;
  }
}

/** A one-line help under the field on the form, with an example; undefined for yes/no (a choice). */
export function fieldHint(field: ReportField): string | undefined {
  const limits = numberLimits(field);
  const range = rangeText(field, limits);
  switch (field.type) {
    case 'count':
      return `Số nguyên không âm${range}; hàng nghìn ngăn bằng dấu chấm, ví dụ ${fieldExample(field)}.`;
    case 'money':
      return `Số tiền bằng đồng${range}; hàng nghìn ngăn bằng dấu chấm, ví dụ ${fieldExample(field)}.`;
    case 'number': {
      const decimals = limits.decimals > 0 ? `, tối đa ${limits.decimals} chữ số sau dấu phẩy` : ', không có phần thập phân';
      return `Số${range}${decimals}; dấu chấm ngăn hàng nghìn, dấu phẩy trước phần thập phân, ví dụ ${fieldExample(field)}.`;
    }
    case 'percent':
      return `Tỷ lệ phần trăm từ ${formatVietnameseNumber(limits.min)} đến ${formatVietnameseNumber(limits.max)}, ví dụ ${fieldExample(field)}.`;
    case 'date':
      return `Ngày/tháng/năm, ví dụ ${fieldExample(field)}.`;
    case 'yesno':
      return undefined;
    case 'text':
      return `Tối đa ${formatVietnameseNumber(textMaxLength(field))} ký tự.`;
  }
}

const HINTS: Partial<Record<string, string>> = {
  'decimal-point': 'dấu chấm chỉ dùng ngăn cách hàng nghìn, phần thập phân viết sau dấu phẩy (ví dụ 1,5)',
  grouping: 'dấu chấm ngăn cách hàng nghìn phải đứng trước đúng ba chữ số (ví dụ 1.000 hoặc 1.234.567)',
  'comma-thousands': 'dấu phẩy là dấu thập phân; hàng nghìn viết bằng dấu chấm (ví dụ 1.000)',
  exponent: 'không dùng dạng lũy thừa (e); hãy viết đủ các chữ số',
};

function problem(field: ReportField, code: FieldProblemCode, shown: string, hint?: string): FieldProblem {
  const name = `Trường "${field.label}"`;
  const limits = numberLimits(field);
  const fmt = (value: number) => formatFieldValue(field, value);
  let message: string;
  switch (code) {
    case 'missing':
      message = `${name} là bắt buộc, chưa được điền.`;
      break;
    case 'too-many-decimals':
      message =
        limits.decimals === 0
          ? `${name} ${fieldExpectation(field)}, nhận được ${shown}.`
          : `${name} chỉ được có tối đa ${limits.decimals} chữ số sau dấu phẩy, nhận được ${shown}.`;
      break;
    case 'too-small':
      message = `${name} phải từ ${fmt(limits.min)} trở lên, nhận được ${shown}.`;
      break;
    case 'too-large':
      message = `${name} phải không quá ${fmt(limits.max)}, nhận được ${shown}.`;
      break;
    case 'too-long':
      message = `${name} dài tối đa ${formatVietnameseNumber(textMaxLength(field))} ký tự, nhận được ${shown}.`;
      break;
    default:
      message = `${name} ${fieldExpectation(field)}, nhận được ${shown}.`;
  }
  if (hint) message = `${message.slice(0, -1)}: ${hint}.`;
  return { fieldId: field.id, code, message };
}

function shownValue(field: ReportField, value: unknown): string {
  if (value === null) return 'giá trị rỗng (null)';
  if (typeof value === 'string') return quoteTyped(value);
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) < 1e21 ? `"${formatVietnameseNumber(value, 6)}"` : `"${String(value)}"`;
  if (typeof value === 'boolean') return value ? '"có"' : '"không"';
  return Array.isArray(value) ? 'một danh sách' : `một giá trị kiểu ${typeof value}`;
}

export type FieldResult = { ok: true; value: FieldValue | undefined } | { ok: false; problem: FieldProblem };

const ok = (value: FieldValue | undefined): FieldResult => ({ ok: true, value });
const refused = (p: FieldProblem): FieldResult => ({ ok: false, problem: p });

/** A count or an amount of money below zero "must not be negative"; anything else is below its minimum. */
function belowMinimum(field: ReportField, limits: NumberLimits): FieldProblemCode {
  return limits.min === 0 && (field.type === 'count' || field.type === 'money') ? 'negative' : 'too-small';
}

function checkNumber(field: ReportField, value: number, shown: string): FieldResult {
  const limits = numberLimits(field);
  const magnitude = maxMagnitude(limits.decimals);
  if (Math.abs(value) > magnitude) return refused(problem(field, value < 0 ? 'too-small' : 'too-large', shown));
  if (limits.decimals === 0 && !Number.isInteger(value)) return refused(problem(field, 'not-integer', shown));
  if (Number(value.toFixed(limits.decimals)) !== value) return refused(problem(field, 'too-many-decimals', shown));
  if (value < limits.min) return refused(problem(field, belowMinimum(field, limits), shown));
  if (value > limits.max) return refused(problem(field, 'too-large', shown));
  return ok(value === 0 ? 0 : value);
}

function checkText(field: ReportField, value: string): FieldResult {
  if (isBlankText(value)) return field.required ? refused(blankRequired(field, value)) : ok(undefined);
  const text = canonicalText(value);
  const length = textLength(text);
  if (length > textMaxLength(field)) return refused(problem(field, 'too-long', `${formatVietnameseNumber(length)} ký tự`));
  return ok(text);
}

function blankRequired(field: ReportField, typed: string): FieldProblem {
  if (typed === '' || typed.trim() === '') return problem(field, 'missing', '""');
  return {
    fieldId: field.id,
    code: 'missing',
    message: `Trường "${field.label}" là bắt buộc; nội dung gửi lên chỉ có khoảng trắng hoặc ký tự vô hình, không có chữ nào.`,
  };
}

/**
 * Re-checks a canonical value (what the workflow receives): its JavaScript type, range,
 * integer-ness, exactness and length. Returns the value as stored (text made canonical), or
 * `undefined` for an optional field sent empty.
 */
export function checkFieldValue(field: ReportField, value: unknown): FieldResult {
  if (value === undefined || (typeof value === 'string' && isBlankText(value) && field.type !== 'text')) {
    return field.required ? refused(problem(field, 'missing', '""')) : ok(undefined);
  }
  const shown = shownValue(field, value);
  if (isNumeric(field)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return refused(problem(field, 'wrong-type', shown));
    return checkNumber(field, value, shown);
  }
  switch (field.type) {
    case 'date':
      return typeof value === 'string' && isCanonicalDate(value) ? ok(value) : refused(problem(field, 'bad-date', shown));
    case 'yesno':
      return typeof value === 'boolean' ? ok(value) : refused(problem(field, 'wrong-type', shown));
    default:
      return typeof value === 'string' ? checkText(field, value) : refused(problem(field, 'wrong-type', shown));
  }
}

const YES = new Set(['có', 'co', 'true']);
const NO = new Set(['không', 'khong', 'false']);

/** Reads what a person typed into the canonical value, then checks it as the workflow will. */
export function parseFieldInput(field: ReportField, typed: string): FieldResult {
  if (field.type === 'text') return checkText(field, typed);
  if (isBlankText(typed)) return field.required ? refused(blankRequired(field, typed)) : ok(undefined);
  const shown = quoteTyped(typed);
  switch (field.type) {
    case 'date': {
      const iso = parseTypedDate(typed);
      return iso === undefined ? refused(problem(field, 'bad-date', shown)) : checkFieldValue(field, iso);
    }
    case 'yesno': {
      const word = typed.normalize('NFC').trim().toLowerCase();
      if (YES.has(word)) return ok(true);
      if (NO.has(word)) return ok(false);
      return refused(problem(field, 'malformed', shown));
    }
    default:
      return parseNumberInput(field, typed, shown);
  }
}

function parseNumberInput(field: ReportField, typed: string, shown: string): FieldResult {
  let text = typed.normalize('NFC').trim();
  if (field.type === 'percent') text = text.replace(/\s*%$/, '');
  if (field.type === 'money') text = text.replace(/\s*(đồng|đ|vnđ|vnd)$/i, '');
  const syntax = readVietnameseNumber(text);
  const limits = numberLimits(field);
  if (!syntax.ok) {
    // For a whole number, "1.5" or "1.00" is a misplaced thousands dot rather than a decimal point.
    const reason = syntax.reason === 'decimal-point' && limits.decimals === 0 ? 'grouping' : syntax.reason;
    return refused(problem(field, 'malformed', shown, HINTS[reason]));
  }
  if (syntax.negative && limits.min >= 0) return refused(problem(field, belowMinimum(field, limits), shown));
  if (syntax.fraction.length > limits.decimals) {
    const hint = limits.decimals === 0 && looksLikeCommaThousands(text) ? HINTS['comma-thousands'] : undefined;
    return refused(problem(field, limits.decimals === 0 ? 'not-integer' : 'too-many-decimals', shown, hint));
  }
  // Digits beyond what a double holds exactly are refused before conversion: 400 nines are not Infinity.
  const scaled = (syntax.whole + syntax.fraction.padEnd(limits.decimals, '0')).replace(/^0+(?=\d)/, '');
  if (scaled.length > 16 || BigInt(scaled) > maxScaled(limits.decimals)) {
    return refused(problem(field, syntax.negative ? 'too-small' : 'too-large', shown));
  }
  const value = Number(`${syntax.negative ? '-' : ''}${syntax.whole}${syntax.fraction ? `.${syntax.fraction}` : ''}`);
  const checked = checkFieldValue(field, value);
  return checked.ok ? checked : refused({ ...checked.problem, message: problem(field, checked.problem.code, shown).message });
}

export interface SubmissionReading {
  /** Canonical values of the fields that have one; empty optional fields are absent. */
  values: Record<string, FieldValue>;
  /** Every refused field, in the plan's order; unknown names last. */
  problems: FieldProblem[];
}

function unknownFields(fields: readonly ReportField[], names: readonly string[]): FieldProblem[] {
  const known = new Set(fields.map((field) => field.id));
  const allowed = fields.map((field) => field.id).join(', ') || '(không có trường nào)';
  return names
    .filter((name) => !known.has(name))
    .map((name) => ({
      fieldId: name,
      code: 'unknown-field' as const,
      message: `Trường "${name}" không thuộc mẫu báo cáo của nhiệm vụ này (các trường: ${allowed}).`,
    }));
}

function collect(
  fields: readonly ReportField[],
  input: Record<string, unknown>,
  each: (field: ReportField, value: unknown) => FieldResult,
): SubmissionReading {
  const values: Record<string, FieldValue> = {};
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const own = Object.prototype.hasOwnProperty.call(input, field.id) ? input[field.id] : undefined;
    const result = each(field, own);
    if (!result.ok) problems.push(result.problem);
    else if (result.value !== undefined) values[field.id] = result.value;
  }
  problems.push(...unknownFields(fields, Object.keys(input)));
  return { values, problems };
}

/**
 * What a person gave for each field: typed text (a form, `--field name=value`) is parsed; a JSON
 * number or boolean (a report file) is checked as it is; null or a missing name is left empty.
 */
export function readSubmission(fields: readonly ReportField[], given: Record<string, unknown>): SubmissionReading {
  return collect(fields, given, (field, value) => (typeof value === 'string' ? parseFieldInput(field, value) : checkFieldValue(field, value ?? undefined)));
}

/** Canonical values as the workflow receives them. */
export function checkSubmission(fields: readonly ReportField[], values: Record<string, unknown>): SubmissionReading {
  return collect(fields, values, checkFieldValue);
}
