/**
 * Reads a plan file and reports every problem at once: YAML syntax, then structure (zod), then
 * references across the plan, then a trial expansion that catches dates the expander cannot place.
 * Each problem carries file, line, column and field path.
 */
import { open } from 'node:fs/promises';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { PlacementError } from '../schedule/placement-error';
import { expandPlan } from '../schedule/expand';
import { crossCheckPlan } from './cross-check';
import { formatPath, type PlanProblem, type UnlocatedProblem } from './problems';
import { planFileSchema, type PlanFile } from './schema';
import { locatePath } from './yaml-locate';
import { vietnameseIssueMessage } from './zod-messages';
import { yamlErrorMessage } from './yaml-messages';

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

export function parsePlan(text: string, fileName: string): PlanLoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { file: fileName, line: position.line, column: position.col, path: '(cú pháp YAML)', message: yamlErrorMessage(error) };
      }),
    };
  }
  const locate = (problem: UnlocatedProblem): PlanProblem => {
    const position = locatePath(doc as Document, lineCounter, problem.path, problem.atKey);
    return { file: fileName, ...position, path: formatPath(problem.path), message: problem.message };
  };

  if (doc.contents === null) {
    return { ok: false, problems: [locate({ path: [], message: 'tệp kế hoạch trống' })] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    // The library's only refusal here is alias expansion beyond the limit (or an alias it cannot resolve).
    if (!(error instanceof ReferenceError)) throw error;
    const position = lineCounter.linePos(firstAliasOffset(doc));
    return {
      ok: false,
      problems: [
        {
          file: fileName,
          line: position.line,
          column: position.col,
          path: '(cú pháp YAML)',
          message:
            `bí danh YAML (dấu "*") được lồng và lặp lại quá nhiều (giới hạn ${MAX_YAML_ALIAS_COUNT} lần nhân bản): ` +
            'tệp có thể bị lỗi hoặc cố ý gây quá tải; hãy viết trực tiếp nội dung thay cho bí danh',
        },
      ],
    };
  }
  const parsed = planFileSchema.safeParse(raw, { error: (issue) => vietnameseIssueMessage(issue) });
  if (!parsed.success) {
    const structural = parsed.error.issues.map((issue) => locate(structuralProblem(issue)));
    return { ok: false, problems: [...structural, ...lenientCrossCheck(raw).map(locate)] };
  }
  const plan = parsed.data;
  const crossProblems = crossCheckPlan(plan);
  if (crossProblems.length > 0) return { ok: false, problems: crossProblems.map(locate) };

  const placement = tryExpansion(plan);
  if (placement !== undefined) return { ok: false, problems: [locate(placement)] };
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

function structuralProblem(issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] }): UnlocatedProblem {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length === 1) {
    return { path: [...path, issue.keys[0] as string], message: issue.message, atKey: true };
  }
  return { path, message: issue.message };
}

/**
 * With structural errors the plan has no trustworthy shape, but most references can still be
 * checked so the clerk sees an unknown assignee in the same run as a misspelt field. Anything the
 * broken shape makes uncheckable is skipped, never reported as a crash.
 */
function lenientCrossCheck(raw: unknown): UnlocatedProblem[] {
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
    return crossCheckPlan(plan).filter((problem) => !problem.message.startsWith('lịch'));
  } catch {
    return [];
  }
}

/** The expander stops at the first duty it cannot place; the validator shows that one. */
function tryExpansion(plan: PlanFile): UnlocatedProblem | undefined {
  try {
    expandPlan(plan);
    return undefined;
  } catch (error) {
    if (error instanceof PlacementError) return { path: [...error.path], message: error.message };
    throw error;
  }
}
