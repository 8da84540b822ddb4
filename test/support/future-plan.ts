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

function writeRolled(text: string, file: string, year: number): { file: string; year: number; planId: string } {
  if (year === DEFAULT_YEAR) {
    writeFileSync(file, text);
    const id = /^ {2}id: (.+)$/m.exec(text)?.[1] ?? 'missing';
    return { file, year, planId: id };
  }
  const rolled = rollPlanForward(text, DEFAULT_PLAN, year, file);
  if (!rolled.ok) throw new Error(`rolling the default plan to ${year} failed:\n${formatProblems(rolled.problems)}`);
  writeFileSync(file, rolled.text);
  return { file, year, planId: rolled.plan.plan.id };
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
