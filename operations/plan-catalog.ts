/**
 * The plans a deployment keeps running: every plan file of the configured folder (or the one file
 * KEHOACH_PLAN names), each read and validated on its own so one bad file never holds back the
 * others, sorted into those to run, those whose period has ended, and those refused.
 *
 * A plan's period has ended once its tracking has closed: after the last day of its period (31
 * December for a calendar-year plan, e.g. 31 May for a school year) and a day after its last
 * deadline or escalation (`runSettingsFor(...).closesAt`, the instant its workflows close). So in
 * December the current year's plan still runs while next year's already waits for January, and a
 * school-year plan started in September still runs in the spring of the following year.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { PlanSource } from '../config/config';
import { communeIdOf, communeNameOf } from '../domain/commune';
import { loadPlanFile } from '../domain/plan/load';
import type { PlanProblem } from '../domain/plan/problems';
import { planPeriodOf, type PlanPeriod } from '../domain/plan/period';
import { expandPlan } from '../domain/schedule/expand';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import type { ExpandedPlan } from '../domain/schedule/types';
import { UserError } from '../domain/user-error';
import { inLanes } from './in-lanes';
import { runSettingsFor, startPlan, type PlanRef, type StartResult } from './plan-client';

export interface CatalogPlan {
  file: string;
  plan: ExpandedPlan;
  communeId: string;
  /** For people: "xã Hà Đông". */
  communeName: string;
  /** When the plan's tracking closes (its workflows complete). */
  closesAt: string;
}

export interface PlanCatalog {
  /** Still within their period: kept running. */
  current: CatalogPlan[];
  /** Tracking closed: not started again. */
  ended: CatalogPlan[];
  /** Refused, with every located problem. */
  invalid: { file: string; problems: PlanProblem[] }[];
}

const PLAN_FILE = /\.ya?ml$/i;

/** The plan files of the source, in name order. */
export function planFilesOf(source: PlanSource): string[] {
  if (source.kind === 'file') return [source.file];
  let names: string[];
  try {
    names = readdirSync(source.dir);
  } catch {
    throw new UserError(`không đọc được thư mục kế hoạch "${source.dir}" (KEHOACH_PLANS_DIR); hãy kiểm tra đường dẫn`);
  }
  const files = names.filter((name) => PLAN_FILE.test(name)).sort().map((name) => path.join(source.dir, name));
  if (files.length === 0) {
    throw new UserError(`thư mục kế hoạch "${source.dir}" không có tệp kế hoạch nào (*.yaml); hãy đặt KEHOACH_PLANS_DIR hoặc KEHOACH_PLAN`);
  }
  return files;
}

/** One plan file read, validated and expanded, with the commune it belongs to. */
export async function describePlanFile(file: string): Promise<CatalogPlan | { file: string; problems: PlanProblem[] }> {
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) return { file, problems: loaded.problems };
  const plan = expandPlan(loaded.plan);
  let closesAt: string;
  try {
    closesAt = runSettingsFor(plan).closesAt;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { file, problems: [{ file, line: 0, column: 0, path: 'plan.timeZone', message: err.message }] };
  }
  return {
    file,
    plan,
    communeId: communeIdOf(plan.planId, plan.year),
    communeName: communeNameOf(loaded.plan.plan.issuingBody),
    closesAt,
  };
}

export async function readPlanCatalog(source: PlanSource, now: Date): Promise<PlanCatalog> {
  const catalog: PlanCatalog = { current: [], ended: [], invalid: [] };
  const seen = new Map<string, string>();
  for (const file of planFilesOf(source)) {
    const described = await describePlanFile(file);
    if (!('plan' in described)) {
      catalog.invalid.push(described);
      continue;
    }
    const key = `${described.plan.planId} ${described.plan.year}`;
    const first = seen.get(key);
    if (first !== undefined) {
      catalog.invalid.push({
        file,
        problems: [
          {
            file,
            line: 0,
            column: 0,
            path: 'plan.id',
            message: `trùng mã kế hoạch "${described.plan.planId}" năm ${described.plan.year} với tệp ${path.basename(first)}; mỗi kế hoạch một năm chỉ được có một tệp`,
          },
        ],
      });
      continue;
    }
    seen.set(key, file);
    (Date.parse(described.closesAt) <= now.getTime() ? catalog.ended : catalog.current).push(described);
  }
  return catalog;
}

/**
 * The period of a running plan, which its workflows do not tell: from the plan's file among those
 * known (the web app's catalog). A plan whose file is not among them covers its calendar year.
 */
export function periodOfRunningPlan(known: readonly { plan: ExpandedPlan }[], ref: PlanRef): PlanPeriod {
  const found = known.find((entry) => entry.plan.planId === ref.planId && entry.plan.year === ref.year);
  return periodOfPlan(found?.plan ?? ref);
}

/**
 * The same for a command line: the plan's file in the plans folder (KEHOACH_PLANS_DIR, or the file
 * KEHOACH_PLAN names), read but not expanded. No folder, or no valid file of that plan and year
 * there: its calendar year.
 */
export async function periodOfPlanInFiles(source: PlanSource, ref: PlanRef): Promise<PlanPeriod> {
  let files: string[];
  try {
    files = planFilesOf(source);
  } catch (err) {
    if (err instanceof UserError) return periodOfPlan(ref);
    throw err;
  }
  for (const file of files) {
    const loaded = await loadPlanFile(file);
    if (loaded.ok && loaded.plan.plan.id === ref.planId && loaded.plan.plan.year === ref.year) return planPeriodOf(loaded.plan);
  }
  return periodOfPlan(ref);
}

/**
 * Plans started at once: a city's folder of a hundred communes rolls out several times faster than
 * one plan after another, and each plan already starts its duties several at a time.
 */
export const PLANS_AT_ONCE = 4;

/** Starts every current plan that is not running yet; a plan already running is left as it is. */
export async function ensurePlansRunning(
  client: Client,
  taskQueue: string,
  plans: readonly CatalogPlan[],
): Promise<{ entry: CatalogPlan; result: StartResult }[]> {
  return inLanes(plans, PLANS_AT_ONCE, async (entry) => ({ entry, result: await startPlan(client, taskQueue, entry.plan) }));
}
