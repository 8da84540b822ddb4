/**
 * Reads a plan file and reports every problem at once, each once: every YAML syntax error (the
 * document is error-tolerant, so what parsed is still checked), structure (zod), references across
 * the plan, then a trial expansion that catches every date the expander cannot place. Each problem
 * carries file, line, column and field path. Text is NFC from here on.
 */
import { open } from 'node:fs/promises';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { crossCheckPlan } from './cross-check';
import { placementProblems } from './placement';
import { formatPath, type PlanProblem, type UnlocatedProblem } from './problems';
import { planFileSchema, type PlanFile } from './schema';
import { createIssueMapper, structuralProblems } from './structural';
import { locatePath } from './yaml-locate';
import { locateYamlError } from './yaml-messages';

type Refused = { ok: false; problems: PlanProblem[] };
export type PlanLoadResult = { ok: true; plan: PlanFile } | Refused;

/**
 * A whole commune's plan is small (Hà Đông 2026, 50 units and 32 duties, is about 40 KB), so 2 MiB
 * is ample; a larger file is refused before it is read, since parsing needs tens of times its size in
 * memory.
 */
export const MAX_PLAN_FILE_BYTES = 2 * 1024 * 1024;

/**
 * How far YAML aliases may multiply what they point to (the `yaml` library's measure: uses of an
 * anchor times the aliases nested inside it). Hà Đông reuses one field list twice; an "alias bomb"
 * nests aliases to expand a few lines into billions of values.
 */
export const MAX_YAML_ALIAS_COUNT = 50;

function wholeFileProblem(file: string, message: string): Refused {
  return { ok: false, problems: [{ file, line: 0, column: 0, path: '(toàn tệp)', message }] };
}

/** The text of a plan file, or a problem saying why it was not read. */
export async function readPlanText(path: string): Promise<{ ok: true; text: string } | Refused> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'không tìm thấy tệp' : 'không đọc được tệp';
    return wholeFileProblem(path, `${reason} "${path}"`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      return wholeFileProblem(path, `"${path}" không phải là một tệp kế hoạch (không phải tệp thông thường)`);
    }
    if (info.size > MAX_PLAN_FILE_BYTES) {
      const megabytes = (info.size / (1024 * 1024)).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
      return wholeFileProblem(
        path,
        `tệp quá lớn (${megabytes} MB): một tệp kế hoạch không được vượt quá ${MAX_PLAN_FILE_BYTES / (1024 * 1024)} MB ` +
          '(kế hoạch của cả một xã chỉ khoảng 40 KB); hãy kiểm tra lại đã chọn đúng tệp chưa',
      );
    }
    return { ok: true, text: await handle.readFile('utf8') };
  } catch {
    return wholeFileProblem(path, `không đọc được tệp "${path}"`);
  } finally {
    await handle.close();
  }
}

export async function loadPlanFile(path: string): Promise<PlanLoadResult> {
  const read = await readPlanText(path);
  return read.ok ? parsePlan(read.text, path) : read;
}

/** Every text of the plan in NFC, so a name typed with combining accents (NFD) equals its usual spelling. */
function normaliseText(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(normaliseText);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.normalize('NFC'), normaliseText(item)]));
  }
  return value;
}

/** One report per place and message, in file order, and none of what a syntax error on the same line already explains. */
function finalProblems(syntax: PlanProblem[], others: PlanProblem[]): PlanProblem[] {
  const syntaxLines = new Set(syntax.map((problem) => problem.line));
  const seen = new Set<string>();
  const result: PlanProblem[] = [];
  for (const problem of [...syntax, ...others]) {
    const isSyntax = problem.path === SYNTAX_PATH;
    if (!isSyntax && syntaxLines.has(problem.line)) continue;
    const id = `${problem.line}:${problem.column}:${problem.path}:${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(problem);
  }
  // In file order, so a clerk can fix them from top to bottom (the sort is stable within a line).
  return result.sort((a, b) => a.line - b.line || a.column - b.column);
}

const SYNTAX_PATH = '(cú pháp YAML)';

/**
 * A Tab used for indentation makes the parser lose the structure of everything after it. The Tab
 * is reported; the rest of the file is checked as if that line were indented like its neighbours
 * (one level deeper after a line ending in ":"), so one Tab does not turn into a dozen errors.
 */
function withTabsReplaced(text: string): string {
  const lines = text.split('\n');
  let previousIndent = 0;
  let previousOpens = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const leading = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (leading.includes('\t')) {
      const indent = previousIndent + (previousOpens ? 2 : 0);
      lines[index] = ' '.repeat(indent) + line.slice(leading.length);
    }
    const content = (lines[index] as string).trimEnd();
    if (content.trim() !== '' && !content.trim().startsWith('#')) {
      previousIndent = content.length - content.trimStart().length;
      previousOpens = content.endsWith(':');
    }
  }
  return lines.join('\n');
}

function parseYaml(text: string, fileName: string): { doc: Document; lineCounter: LineCounter; syntax: PlanProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true }) as Document;
  const syntax = doc.errors.map((error) => {
    const located = locateYamlError(error, text, lineCounter);
    return { file: fileName, line: located.line, column: located.column, path: SYNTAX_PATH, message: located.message };
  });
  return { doc, lineCounter, syntax };
}

export function parsePlan(text: string, fileName: string): PlanLoadResult {
  // The document is error-tolerant: every syntax error is reported and what did parse is still checked.
  const original = parseYaml(text, fileName);
  const tabs = original.syntax.filter((_, index) => original.doc.errors[index]?.code === 'TAB_AS_INDENT');
  const { doc, lineCounter, syntax: otherSyntax } = tabs.length === 0 ? original : parseYaml(withTabsReplaced(text), fileName);
  const syntax = tabs.length === 0 ? otherSyntax : [...tabs, ...otherSyntax];
  const refuse = (others: PlanProblem[]): Refused => ({ ok: false, problems: finalProblems(syntax, others) });
  const locate = (problem: UnlocatedProblem): PlanProblem => {
    const position = locatePath(doc, lineCounter, problem.path, problem.atKey);
    return { file: fileName, ...position, path: formatPath(problem.path), message: problem.message };
  };

  if (doc.contents === null) {
    return refuse(syntax.length > 0 ? [] : [locate({ path: [], message: 'tệp kế hoạch trống' })]);
  }
  let raw: unknown;
  try {
    raw = normaliseText(doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }));
  } catch (error) {
    // The library's only refusal here is alias expansion beyond the limit (or an alias it cannot resolve).
    if (!(error instanceof ReferenceError)) throw error;
    const position = lineCounter.linePos(firstAliasOffset(doc));
    return refuse([
      {
        file: fileName,
        line: position.line,
        column: position.col,
        path: SYNTAX_PATH,
        message:
          `bí danh YAML (dấu "*") được lồng và lặp lại quá nhiều (giới hạn ${MAX_YAML_ALIAS_COUNT} lần nhân bản): ` +
          'tệp có thể bị lỗi hoặc cố ý gây quá tải; hãy viết trực tiếp nội dung thay cho bí danh',
      },
    ]);
  }
  const { errorMap, knownKeys } = createIssueMapper();
  const parsed = planFileSchema.safeParse(raw, { error: errorMap });
  if (!parsed.success) {
    const structural = structuralProblems(parsed.error.issues, raw, doc, knownKeys);
    const yearIsValid = !parsed.error.issues.some((issue) => formatPath(issue.path as (string | number)[]) === 'plan.year');
    return refuse([...structural, ...lenientCrossCheck(raw, yearIsValid)].map(locate));
  }
  const plan = parsed.data;
  const crossProblems = crossCheckPlan(plan);
  if (crossProblems.length > 0 || syntax.length > 0) return refuse(crossProblems.map(locate));

  const placement = placementProblems(plan);
  if (placement.length > 0) return refuse(placement.map(locate));
  return { ok: true, plan };
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * With structural errors the plan has no trustworthy shape, but most references can still be
 * checked so the clerk sees an unknown assignee in the same run as a misspelt field. Anything the
 * broken shape makes uncheckable is skipped, never reported as a crash.
 */
function lenientCrossCheck(raw: unknown, yearIsValid: boolean): UnlocatedProblem[] {
  try {
    const data = raw as Record<string, unknown>;
    const list = (value: unknown): Record<string, unknown>[] =>
      Array.isArray(value) ? value.filter((item) => item !== null && typeof item === 'object') : [];
    const plan = {
      ...data,
      plan: { timeZone: 'Asia/Ho_Chi_Minh', signer: {}, ...(data.plan as object) },
      settings: planFileSchema.shape.settings.parse(undefined),
      calendars: list(data.calendars).map((calendar) => ({ daysOff: [], makeUpWorkingDays: [], ...calendar })),
      units: list(data.units),
      groups: list(data.groups).map((group) => ({ members: [], unitKinds: [], ...group })),
      events: list(data.events).map((event) => ({ dates: [], ...event })),
      duties: list(data.duties).map((duty) => ({ assignees: [], fields: [], perUnit: [], ...duty })),
    } as unknown as PlanFile;
    return crossCheckPlan(plan, { yearIsValid, lenient: true }).filter((problem) => !problem.message.startsWith('lịch'));
  } catch {
    return [];
  }
}
