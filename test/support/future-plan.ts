/**
 * The default plan, rolled forward to next year under a test's own id. Tests on the dev server run
 * on the real clock; with the plan a year ahead every occurrence lies in the future, so what they
 * check does not depend on the day the suite runs.
 *
 * `writeCommunePlan` makes the default plan another commune's (its id and the name "Hà Đông"
 * rewritten) for a given year, for tests of several communes and years on one deployment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rollPlanForward } from '../../domain/plan/roll-forward';
import { formatProblems } from '../../domain/plan/problems';

const DEFAULT_PLAN = path.resolve(import.meta.dirname, '../../plans/ha-dong-2026.yaml');
const DEFAULT_YEAR = 2026;

function renamed(planId: string, communeName?: string): string {
  const source = readFileSync(DEFAULT_PLAN, 'utf8');
  const idLine = /^ {2}id: ha-dong-2026$/m;
  if (!idLine.test(source)) throw new Error('the default plan no longer has "  id: ha-dong-2026"; update this helper');
  const withId = source.replace(idLine, `  id: ${planId}`);
  return communeName === undefined ? withId : withId.replaceAll('Hà Đông', communeName);
}

/**
 * Rolled one year at a time: each roll adds a provisional calendar for the year after its target,
 * so the plan reaches years the default plan's calendars do not cover.
 */
function writeRolled(text: string, file: string, year: number): { file: string; year: number; planId: string } {
  let current = text;
  let planId = /^ {2}id: (.+)$/m.exec(text)?.[1] ?? 'missing';
  for (let target = DEFAULT_YEAR + 1; target <= year; target += 1) {
    const rolled = rollPlanForward(current, DEFAULT_PLAN, target, file);
    if (!rolled.ok) throw new Error(`rolling the default plan to ${target} failed:\n${formatProblems(rolled.problems)}`);
    current = rolled.text;
    planId = rolled.plan.plan.id;
  }
  writeFileSync(file, current);
  return { file, year, planId };
}

/** Rolling forward renames the plan for its new year; use the returned `planId`. */
export function writeFuturePlan(dir: string, planId: string): { file: string; year: number; planId: string } {
  const year = new Date().getUTCFullYear() + 1;
  return writeRolled(renamed(planId), path.join(dir, `${planId}.yaml`), year);
}

/**
 * Commune `communeId`'s plan for `year` (2026 or later), id `<communeId>-<year>`, every "Hà Đông"
 * of the default plan replaced by `communeName` (issuing body, title, unit names).
 */
export function writeCommunePlan(dir: string, communeId: string, year: number, communeName?: string): { file: string; year: number; planId: string } {
  return writeRolled(renamed(`${communeId}-${DEFAULT_YEAR}`, communeName), path.join(dir, `${communeId}-${year}.yaml`), year);
}
