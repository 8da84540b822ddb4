/**
 * Reads a plan file and reports every problem at once: YAML syntax, then structure (zod), then
 * references across the plan, then a trial expansion that catches dates the expander cannot place.
 * Each problem carries file, line, column and field path.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { PlacementError } from '../schedule/placement-error';
import { expandPlan } from '../schedule/expand';
import { crossCheckPlan } from './cross-check';
import { formatPath, type PlanProblem, type UnlocatedProblem } from './problems';
import { planFileSchema, type PlanFile } from './schema';
import { locatePath } from './yaml-locate';
import { vietnameseIssueMessage } from './zod-messages';
import { yamlErrorMessage } from './yaml-messages';

export type PlanLoadResult = { ok: true; plan: PlanFile } | { ok: false; problems: PlanProblem[] };

export async function loadPlanFile(path: string): Promise<PlanLoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'không tìm thấy tệp' : 'không đọc được tệp';
    return { ok: false, problems: [{ file: path, line: 0, column: 0, path: '(toàn tệp)', message: `${reason} "${path}"` }] };
  }
  return parsePlan(text, path);
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
  const parsed = planFileSchema.safeParse(doc.toJS(), { error: (issue) => vietnameseIssueMessage(issue) });
  if (!parsed.success) {
    const structural = parsed.error.issues.map((issue) => locate(structuralProblem(issue)));
    return { ok: false, problems: [...structural, ...lenientCrossCheck(doc.toJS()).map(locate)] };
  }
  const plan = parsed.data;
  const crossProblems = crossCheckPlan(plan);
  if (crossProblems.length > 0) return { ok: false, problems: crossProblems.map(locate) };

  const placement = tryExpansion(plan);
  if (placement !== undefined) return { ok: false, problems: [locate(placement)] };
  return { ok: true, plan };
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
