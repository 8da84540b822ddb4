/**
 * A plan started before this release (the `planYearWorkflow`, a schedule without working-day mail
 * instants, a mailroom without mail slots) sends overdue notices on Saturdays and holidays. One
 * `amend` with the same plan file, after upgrading, moves all its remaining mail onto working days.
 * Both runs cover December 2026 to mid-January 2027 on the time-skipping server.
 */
import { afterEach, expect, it } from 'vitest';
import { amendPlan, expandPlanFile, runSettingsFor } from '../../operations/plan-client';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import { deliveryLog } from './delivery-log';
import { OracleCalendar } from './year-oracle';
import { createRig, type Rig } from './rig';
import { PLAN_FILE } from './year-scenario';
import { startWorkflow } from '../../operations/start-workflow';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The plan as the previous release expanded it: no overdue or minutes-request instants, no calendar. */
function asBeforeTheUpgrade(plan: ExpandedPlan): ExpandedPlan {
  const { calendar: _calendar, ...rest } = plan;
  return {
    ...(rest as ExpandedPlan),
    duties: plan.duties.map(({ mailPolicy: _policy, ...duty }) => duty),
    occurrences: plan.occurrences.map(({ overdueAt: _o, minutesRequestAt: _m, opensAt: _s, ...occurrence }) => occurrence),
  };
}

async function decemberOf(amendAfterUpgrade: boolean): Promise<string[]> {
  rig = await createRig({ initialTime: '2026-12-01T00:00:00+07:00' });
  await rig.startWorker();
  const client = rig.server.env.client;
  const plan = await expandPlanFile(PLAN_FILE);
  const old = asBeforeTheUpgrade(plan);
  await startWorkflow(client, 'planYearWorkflow', {
    taskQueue: rig.taskQueue,
    workflowId: planWorkflowId(plan.planId, plan.year),
    args: [{ plan: old, settings: runSettingsFor(plan) }],
  });
  await rig.sleepUntil('2026-12-01T03:00:00.000Z');
  if (amendAfterUpgrade) await amendPlan(client, plan);
  await rig.sleepUntil('2027-01-15T00:00:00.000Z');
  const calendar = new OracleCalendar(PLAN_FILE);
  const log = await deliveryLog(client, mailroomWorkflowId(plan.planId, plan.year));
  expect(log.length).toBeGreaterThan(50);
  return log.filter((d) => !calendar.isWorkingDay(calendar.localDate(Date.parse(d.at)))).map((d) => `${d.localDate} ${d.recipientUnitId}`);
}

it('a plan started before the upgrade mails on days off until it is amended, and on working days only after', async () => {
  const withoutAmendment = await decemberOf(false);
  expect(withoutAmendment.length).toBeGreaterThan(0);
  await rig?.close();
  rig = undefined;
  expect(await decemberOf(true)).toEqual([]);
}, 300_000);
