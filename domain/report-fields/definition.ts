/**
 * What a plan may say about a report field, beyond its shape: which settings fit which type and
 * which limits make sense. The plan loader reports these at the setting's line; the rules in
 * `rules.ts` rely on them.
 */
import { DEFAULT_DECIMALS, MAX_DECIMALS } from './rules';
import { maxMagnitude } from './numbers';
import { SUMMABLE_FIELD_TYPES, type ReportField } from './types';

export interface DefinitionProblem {
  /** The setting the problem is about: 'sum', 'min', 'max', 'decimals', 'maxLength'. */
  setting: keyof ReportField;
  message: string;
}

const NUMERIC = new Set<ReportField['type']>(['count', 'number', 'money', 'percent']);

export function fieldDefinitionProblems(field: ReportField): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (setting: keyof ReportField, message: string) => problems.push({ setting, message });
  const numeric = NUMERIC.has(field.type);

  if (field.sum === true && !SUMMABLE_FIELD_TYPES.includes(field.type)) {
    add('sum', `chỉ cộng dồn được chỉ tiêu kiểu ${SUMMABLE_FIELD_TYPES.join(', ')}; kiểu ${field.type} không cộng được`);
  }
  if (field.decimals !== undefined && field.type !== 'number' && field.type !== 'percent') {
    add('decimals', 'chữ số thập phân (decimals) chỉ dùng cho kiểu number hoặc percent; count và money luôn là số nguyên');
  }
  if (field.decimals !== undefined && (!Number.isInteger(field.decimals) || field.decimals < 0 || field.decimals > MAX_DECIMALS)) {
    add('decimals', `số chữ số thập phân phải là số nguyên từ 0 đến ${MAX_DECIMALS}`);
  }
  if (field.maxLength !== undefined && field.type !== 'text') add('maxLength', 'độ dài tối đa (maxLength) chỉ dùng cho kiểu text');
  for (const setting of ['min', 'max'] as const) {
    const value = field[setting];
    if (value === undefined) continue;
    if (!numeric) {
      add(setting, `giới hạn ${setting} chỉ dùng cho kiểu count, number, money hoặc percent`);
      continue;
    }
    const decimals = field.type === 'number' || field.type === 'percent' ? (field.decimals ?? DEFAULT_DECIMALS) : 0;
    if (Math.abs(value) > maxMagnitude(decimals)) add(setting, 'giới hạn vượt quá số lớn nhất được lưu chính xác');
    if ((field.type === 'count' || field.type === 'money') && !Number.isInteger(value)) add(setting, `kiểu ${field.type} là số nguyên, giới hạn cũng phải là số nguyên`);
    if (field.type === 'count' && value < 0) add(setting, 'kiểu count là số không âm, giới hạn không được nhỏ hơn 0');
    if (field.type === 'percent' && (value < 0 || value > 100)) add(setting, 'tỷ lệ phần trăm nằm trong khoảng 0 đến 100');
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) add('max', `giới hạn max (${field.max}) nhỏ hơn min (${field.min})`);
  return problems;
}
