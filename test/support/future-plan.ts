/**
 * The default plan, rolled forward to next year under a test's own id. Tests on the dev server run
 * on the real clock; with the plan a year ahead every occurrence lies in the future, so what they
 * check does not depend on the day the suite runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rollPlanForward } from '../../domain/plan/roll-forward';
import { formatProblems } from '../../domain/plan/problems';

const DEFAULT_PLAN = path.resolve(import.meta.dirname, '../../plans/ha-dong-2026.yaml');

/** Rolling forward renames the plan for its new year; use the returned `planId`. */
export function writeFuturePlan(dir: string, planId: string): { file: string; year: number; planId: string } {
  const year = new Date().getUTCFullYear() + 1;
  const file = path.join(dir, `${planId}.yaml`);
  const source = readFileSync(DEFAULT_PLAN, 'utf8');
  const renamed = source.replace(/^ {2}id: ha-dong-2026$/m, `  id: ${planId}`);
  if (renamed === source) throw new Error('the default plan no longer has "  id: ha-dong-2026"; update this helper');
  const rolled = rollPlanForward(renamed, DEFAULT_PLAN, year, file);
  if (!rolled.ok) throw new Error(`rolling the default plan to ${year} failed:\n${formatProblems(rolled.problems)}`);
  writeFileSync(file, rolled.text);
  return { file, year, planId: rolled.plan.plan.id };
}
