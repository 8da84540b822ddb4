/**
 * A trial expansion of the plan, so that dates the expander cannot place are found by the
 * validator rather than by a running workflow. The expander stops at its first failure; when it
 * fails, each duty is expanded on its own (with the duties it hangs on) so every duty that cannot
 * be placed is reported in the same run.
 */
import { expandPlan } from '../schedule/expand';
import { PlacementError } from '../schedule/placement-error';
import type { UnlocatedProblem } from './problems';
import type { PlanFile } from './schema';

function tryExpansion(plan: PlanFile): UnlocatedProblem | undefined {
  try {
    expandPlan(plan);
    return undefined;
  } catch (error) {
    if (error instanceof PlacementError) return { path: [...error.path], message: error.message };
    throw error;
  }
}

/** Indexes of the duties `index` hangs on (transitively), anchors first, then `index` itself. */
function withAnchors(plan: PlanFile, index: number): number[] {
  const indexById = new Map(plan.duties.map((duty, position) => [duty.id, position]));
  const chain = [index];
  let duty = plan.duties[index];
  while (duty !== undefined && duty.cadence.every === 'relative' && 'duty' in duty.cadence.to) {
    const anchor = indexById.get(duty.cadence.to.duty);
    if (anchor === undefined || chain.includes(anchor)) break;
    chain.unshift(anchor);
    duty = plan.duties[anchor];
  }
  return chain;
}

export function placementProblems(plan: PlanFile): UnlocatedProblem[] {
  const whole = tryExpansion(plan);
  if (whole === undefined) return [];
  const problems: UnlocatedProblem[] = [];
  plan.duties.forEach((_, index) => {
    const chain = withAnchors(plan, index);
    const problem = tryExpansion({ ...plan, duties: chain.map((position) => plan.duties[position] as PlanFile['duties'][number]) });
    if (problem === undefined) return;
    const [head, position, ...rest] = problem.path;
    if (head === 'duties' && typeof position === 'number') {
      // A failing anchor is reported by its own run.
      if (chain[position] !== index) return;
      problems.push({ ...problem, path: ['duties', index, ...rest] });
    } else {
      problems.push(problem);
    }
  });
  if (problems.length === 0) return [whole];
  // A shared setting (the plan's reminders, its calendar) fails for every duty using it: once is enough.
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const place = problem.path.join('.');
    if (seen.has(place)) return false;
    seen.add(place);
    return true;
  });
}
