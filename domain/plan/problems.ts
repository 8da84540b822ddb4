/** A problem in a plan file, located precisely enough for a clerk to find and fix it. */
export interface PlanProblem {
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  column: number;
  /** Field path, e.g. "duties[3].assignees[1]". */
  path: string;
  /** Vietnamese, for the person who edits the file. */
  message: string;
}

/** A problem before it is located: the path is still a list of keys and indexes. */
export interface UnlocatedProblem {
  path: readonly (string | number)[];
  message: string;
  /** Point at the key itself (e.g. an unknown field) rather than at its value. */
  atKey?: boolean;
}

export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(toàn tệp)' : text;
}

export function formatProblem(problem: PlanProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.path}  ${problem.message}`;
}

/** In file order, so a clerk can fix them from top to bottom. */
export function formatProblems(problems: readonly PlanProblem[]): string {
  return [...problems]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(formatProblem)
    .join('\n');
}
