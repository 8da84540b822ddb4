/**
 * The year-end report from the duty workflows' final (or current) status and the plan's metadata:
 * aggregate, then render. Shared by `kehoach summary` and the office's status page.
 */
import { groupUnitIds } from '../domain/plan/resolve';
import type { PlanFile } from '../domain/plan/schema';
import { summarise } from '../domain/summary/aggregate';
import type { SummaryPlanInfo, UnitGroupInfo, YearSummary } from '../domain/summary/types';
import type { DutyStatusView } from '../workflows/types';
import { documentInfoFromPlan } from './document-info';
import { renderYearEndReport } from './year-end-docx';

export interface YearEndReportInput {
  plan: PlanFile['plan'];
  views: DutyStatusView[];
  /** Cut-off instant; submissions after it are not counted. */
  asOf: string;
  /** Local date the report is signed. */
  date: string;
  number?: number;
  /** The plan's unit groups, for the on-time chart by group. */
  groups?: UnitGroupInfo[];
  /** A simulated year: the document says so on every page. */
  simulation?: boolean;
}

export async function buildYearEndReport(input: YearEndReportInput): Promise<{ summary: YearSummary; docx: Buffer }> {
  const { plan } = input;
  const summary = summarise(summaryPlanInfo(plan), input.views, {
    asOf: input.asOf,
    ...(input.groups ? { groups: input.groups } : {}),
  });
  const info = documentInfoFromPlan(plan, { date: input.date, ...(input.number !== undefined ? { number: input.number } : {}) });
  return { summary, docx: await renderYearEndReport(summary, info, { simulation: input.simulation ?? false }) };
}

/** What the summary needs to know of the plan file's metadata. */
export function summaryPlanInfo(plan: PlanFile['plan']): SummaryPlanInfo {
  return { planId: plan.id, year: plan.year, ...(plan.period ? { period: plan.period } : {}), title: plan.title, timeZone: plan.timeZone };
}

/** The plan's unit groups with their members resolved (listed ids and unit kinds). */
export function reportGroups(planFile: PlanFile): UnitGroupInfo[] {
  return planFile.groups.map((group) => ({ name: group.name, unitIds: groupUnitIds(planFile, group) }));
}
