/**
 * zod's structural issues as located problems, with what a clerk needs beyond zod's own words: the
 * nearest known key for a misspelt one, a comma that split an unquoted value inside "{ }", and
 * quotes for a value YAML read as a number ("04" → 4).
 */
import { isMap, isScalar, Scalar, type Document, type Pair } from 'yaml';
import type { z } from 'zod';
import { formatPath, type UnlocatedProblem } from './problems';
import { didYouMean } from './suggest';
import { nodeAtPath } from './yaml-locate';
import { vietnameseIssueMessage } from './zod-messages';

type Path = (string | number)[];

/** The error map for parsing, remembering the keys each object schema allows for "did you mean". */
export function createIssueMapper(): {
  errorMap: (issue: z.core.$ZodRawIssue) => string | undefined;
  knownKeys: WeakMap<object, string[]>;
} {
  const knownKeys = new WeakMap<object, string[]>();
  const errorMap = (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code === 'unrecognized_keys') {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      if (shape !== undefined && issue.input !== null && typeof issue.input === 'object') {
        knownKeys.set(issue.input, Object.keys(shape));
      }
    }
    return vietnameseIssueMessage(issue);
  };
  return { errorMap, knownKeys };
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let value = raw;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

interface FinalIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/**
 * `{ name: Hội nghị A, B }` reads as the field "name" and a second field "B": in a flow map a comma
 * separates fields. The problem is the unquoted value before it, so it is reported there, once.
 */
function commaSplitProblem(doc: Document, objectPath: Path, key: string): UnlocatedProblem | 'same-value' | undefined {
  const found = nodeAtPath(doc, objectPath);
  if (found === undefined || !isMap(found.node) || !found.node.flow) return undefined;
  const items = found.node.items as Pair[];
  const index = items.findIndex((pair) => keyOf(pair) === key);
  const pair = items[index];
  if (pair === undefined || pair.value !== null) return undefined;
  let start = index;
  while (start > 0 && (items[start - 1] as Pair).value === null) start -= 1;
  const owner = items[start - 1];
  if (owner === undefined || !isScalar(owner.value) || owner.value.type !== Scalar.PLAIN) return undefined;
  if (start !== index) return 'same-value';
  let end = index;
  while (end + 1 < items.length && (items[end + 1] as Pair).value === null) end += 1;
  const ownerKey = keyOf(owner);
  const whole = [String(owner.value.source ?? owner.value.value), ...items.slice(start, end + 1).map(keyOf)].join(', ');
  return {
    path: [...objectPath, ownerKey],
    message:
      `giá trị có dấu phẩy nhưng không đặt trong dấu nháy: trong "{ }" dấu phẩy ngăn cách các trường, nên ` +
      `${items.slice(start, end + 1).map((item) => `"${keyOf(item)}"`).join(', ')} bị đọc thành trường riêng; ` +
      `hãy đặt cả giá trị trong dấu nháy kép: ${ownerKey}: "${whole}"`,
  };
}

/** `only: [04]`: YAML reads 04 as the number 4; the clerk meant the text "04". */
function quoteNumberProblem(doc: Document, path: Path): string | undefined {
  const found = nodeAtPath(doc, path);
  if (found === undefined || !isScalar(found.node) || typeof found.node.value !== 'number') return undefined;
  const source = String(found.node.source ?? found.node.value);
  const inList = typeof path[path.length - 1] === 'number';
  const key = [...path].reverse().find((segment) => typeof segment === 'string') ?? '';
  const example = inList ? `${key}: ["${source}"]` : `${key}: "${source}"`;
  const lost = source !== String(found.node.value) ? ` (đọc "${source}" thành số ${String(found.node.value)})` : '';
  return `phải là chữ, không phải số${lost}: YAML hiểu giá trị không có dấu nháy là số; hãy đặt trong dấu nháy kép, ví dụ ${example}`;
}

/** Every structural issue once, located by path, in the clerk's words. */
export function structuralProblems(
  issues: readonly FinalIssue[],
  raw: unknown,
  doc: Document,
  knownKeys: WeakMap<object, string[]>,
): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = [];
  const explainedMissing = new Set<string>();
  const handled = new Set<string>();
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
      const object = valueAt(raw, path);
      const known = object !== null && typeof object === 'object' ? (knownKeys.get(object) ?? []) : [];
      const present = object !== null && typeof object === 'object' ? Object.keys(object) : [];
      for (const key of issue.keys) {
        const comma = commaSplitProblem(doc, path, key);
        if (comma === 'same-value') continue;
        if (comma !== undefined) {
          const id = formatPath(comma.path);
          if (!handled.has(id)) problems.push(comma);
          handled.add(id);
          continue;
        }
        const suggestion = didYouMean(key, known.filter((candidate) => !present.includes(candidate)));
        const match = /"([^"]+)"/.exec(suggestion)?.[1];
        if (match !== undefined) explainedMissing.add(formatPath([...path, match]));
        problems.push({
          path: [...path, key],
          atKey: true,
          message: `trường không có trong định dạng kế hoạch: "${key}".${suggestion} Nếu không, hãy xóa trường này.`,
        });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && issue.expected === 'string') message = quoteNumberProblem(doc, path) ?? message;
    if (issue.code === 'invalid_value' && issue.values !== undefined) {
      const value = valueAt(raw, path);
      const suggestion = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      if (suggestion !== '') message = `${message.replace(/[.;:]?$/, '.')}${suggestion}`;
    }
    problems.push({ path, message });
  }
  return problems.filter((problem) => {
    const id = formatPath(problem.path);
    const value = problem.atKey === true ? undefined : valueAt(raw, problem.path);
    return !(explainedMissing.has(id) && value === undefined);
  });
}
