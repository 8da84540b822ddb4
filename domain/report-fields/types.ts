/**
 * Report fields: what a duty asks a unit to report, and the values a submission carries.
 *
 * This folder has no dependencies (no zod, no luxon, no Node built-ins) because the same rules run
 * in three places that must never disagree: the web form and the CLI (parsing what a person typed)
 * and the duty workflow's validator (re-checking the canonical values it receives).
 */

export const REPORT_FIELD_TYPES = ['count', 'number', 'money', 'percent', 'date', 'yesno', 'text'] as const;

/**
 * - `count`: a whole number ≥ 0 (people, meetings, documents);
 * - `number`: a decimal number, at most `decimals` digits after the comma (2 unless the plan says);
 * - `money`: whole đồng;
 * - `percent`: 0–100, percentage points (76,5 means 76,5 %);
 * - `date`: a calendar day, stored as 'YYYY-MM-DD';
 * - `yesno`: có / không, stored as a boolean;
 * - `text`: free text, NFC, trimmed, at most `maxLength` characters (2000 unless the plan says).
 */
export type ReportFieldType = (typeof REPORT_FIELD_TYPES)[number];

/** Types whose values the year-end summary may add up (`sum: true`). */
export const SUMMABLE_FIELD_TYPES: readonly ReportFieldType[] = ['count', 'number', 'money'];

export interface ReportField {
  id: string;
  /** Vietnamese label shown on the submission form and in the year-end summary. */
  label: string;
  type: ReportFieldType;
  required: boolean;
  /** For count, number and money: whether the year-end summary adds this field up across units and periods. */
  sum?: boolean;
  /** Smallest and largest accepted value (count, number, money, percent). */
  min?: number;
  max?: number;
  /** Digits allowed after the decimal comma (number, percent). */
  decimals?: number;
  /** Longest accepted text, in characters (text). */
  maxLength?: number;
}

/**
 * A canonical field value: numbers as JS numbers (exact: integers are safe integers, decimals
 * within the field's digits), dates as 'YYYY-MM-DD', yes/no as booleans, text NFC and trimmed.
 * An optional field left empty is absent, never null.
 */
export type FieldValue = string | number | boolean;

export type FieldProblemCode =
  | 'unknown-field'
  | 'missing'
  | 'wrong-type'
  | 'malformed'
  | 'negative'
  | 'not-integer'
  | 'too-many-decimals'
  | 'too-small'
  | 'too-large'
  | 'bad-date'
  | 'too-long';

/** One refused field, with a Vietnamese message naming the field, what was typed and what is expected. */
export interface FieldProblem {
  fieldId: string;
  code: FieldProblemCode;
  message: string;
}
