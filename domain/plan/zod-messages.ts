/**
 * Vietnamese wording for zod's structural issues. Schema-level messages (written in schema.ts) take
 * precedence; this covers the generic cases: a missing field, a wrong type, an unknown field.
 */
import type { z } from 'zod';
import { didYouMean } from './suggest';

type RawIssue = z.core.$ZodRawIssue;

function typeName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'một đoạn chữ';
    case 'number':
      return 'một số';
    case 'int':
      return 'một số nguyên';
    case 'boolean':
      return 'true hoặc false';
    case 'array':
      return 'một danh sách (các dòng bắt đầu bằng "- ")';
    case 'object':
      return 'một nhóm trường dạng "khóa: giá trị"';
    default:
      return expected;
  }
}

function describeInput(input: unknown): string {
  if (input === null) return 'giá trị rỗng';
  if (Array.isArray(input)) return 'một danh sách';
  if (typeof input === 'object') return 'một nhóm trường';
  if (typeof input === 'string') return `"${input}"`;
  return String(input);
}

export function vietnameseIssueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'thiếu trường bắt buộc này';
      return `phải là ${typeName(issue.expected)}, không phải ${describeInput(issue.input)}`;
    case 'unrecognized_keys':
      return `trường không có trong định dạng kế hoạch: ${issue.keys.map((key) => `"${key}"`).join(', ')} (kiểm tra chính tả hoặc xóa đi)`;
    case 'invalid_value': {
      const suggestion = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return `giá trị ${describeInput(issue.input)} không hợp lệ; chọn một trong: ${issue.values.map(String).join(', ')}.${suggestion}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'không được để trống';
      if (issue.origin === 'array') return `cần ít nhất ${String(issue.minimum)} mục`;
      return `phải từ ${String(issue.minimum)} trở lên`;
    case 'too_big':
      if (issue.origin === 'array') return `nhiều nhất ${String(issue.maximum)} mục`;
      return `phải không quá ${String(issue.maximum)}`;
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined) {
        const choices = (options ?? []).map(String);
        const typed = (issue.input as Record<string, unknown> | null | undefined)?.[discriminator];
        const suggestion = typeof typed === 'string' ? didYouMean(typed, choices) : '';
        return `giá trị của "${discriminator}" không hợp lệ; chọn một trong: ${choices.join(', ')}.${suggestion}`;
      }
      return 'giá trị không khớp với dạng nào được phép';
    }
    case 'invalid_format':
      return 'định dạng không hợp lệ';
    case 'not_multiple_of':
      return `phải là bội số của ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}
