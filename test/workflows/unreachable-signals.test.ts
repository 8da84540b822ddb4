/**
 * Signals between the workflows of a plan, when their target cannot be reached at the moment they
 * are sent: each duty's last report to its plan, the plan's close signal to its mailroom, and the
 * plan's retire signal to a duty an amendment removes. Signalled by id,
 * a workflow in the middle of continuing as new can be found closed for a moment (Temporal's Java
 * time-skipping server resolves the run and delivers in two steps); here the target is made
 * unreachable on purpose (terminated) and comes back a few seconds later (started again), so the
 * moment is not left to chance. Real time-skipping server, real worker, real SMTP server.
 */
import { afterEach, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { dutyWorkflowId, mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import { amendPlan, getDutyStatus, getPlanView, mailSlotsFor, runSettingsFor, startPlan } from '../../operations/plan-client';
import { dutySlice, ensureDutySchedules, manifestOf, startMailroom } from '../../operations/plan-rollout';
import { startWorkflow } from '../../operations/start-workflow';
import type { PlanYearResult } from '../../workflows/types';
import { clockFrom, MEETING_DUTY, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { waitFor } from '../support/wait-for';
import { createRig, type Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function failedSignals(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((event) => event.signalExternalWorkflowExecutionFailedEventAttributes).length;
}

/** Rejects after `ms` of real time: a mailroom never told to close would wait for ever. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

it('delivers the last reports and the close signal once their target is back, so the year closes completed', async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  const r = rig;
  await r.startWorker();
  const client = r.server.env.client;
  const base = nextLocalMidnight(await r.now(), 420);
  const closesAt = clockFrom(base).at(75);
  const closesMs = Date.parse(closesAt);
  const plan = smallPlan('dong-nam', base);
  await startPlan(client, r.taskQueue, plan, { closesAt });
  const planId = planWorkflowId(plan.planId, plan.year);
  const mailroomId = mailroomWorkflowId(plan.planId, plan.year);

  // An hour before the duties close, the plan is gone: their last reports fail when they close.
  await r.sleepUntil(closesMs - 3_600_000);
  await client.workflow.getHandle(planId).terminate('the plan is unreachable while its duties close');
  await r.sleepUntil(closesMs + 30_000);
  for (const duty of plan.duties) {
    expect(await failedSignals(client, dutyWorkflowId(plan.planId, plan.year, duty.id))).toBe(1);
  }

  // The plan is back before the duties try again, and now the mailroom is gone: the plan's close
  // signal fails once its duties have reported.
  await client.workflow.getHandle(mailroomId).terminate('the mailroom is unreachable when the plan closes');
  const settings = runSettingsFor(plan, { closesAt });
  const slices = plan.duties.map((duty) => dutySlice(plan, duty));
  await startWorkflow(client, 'planWorkflow', { taskQueue: r.taskQueue, workflowId: planId, args: [{ start: manifestOf(plan, settings, slices) }] });
  await r.sleepUntil(closesMs + 90_000);
  expect(await failedSignals(client, planId)).toBe(1);

  // The mailroom is back before the plan tries again.
  await startMailroom(client, r.taskQueue, plan, settings, mailSlotsFor(plan, settings));
  const result: PlanYearResult = await within(120_000, 'the plan', client.workflow.getHandle(planId).result());
  expect(result.status).toBe('completed');
  expect(result.duties.map((duty) => [duty.dutyId, duty.lifecycle])).toEqual(plan.duties.map((duty) => [duty.id, 'completed']));
  await within(120_000, 'the mailroom closing', client.workflow.getHandle(mailroomId).result());
  for (const duty of plan.duties) {
    expect(await failedSignals(client, dutyWorkflowId(plan.planId, plan.year, duty.id))).toBe(1);
  }
}, 300_000);

/** A small plan running on a fresh server, the meeting duty terminated on day 20 and an amendment removing it under way. */
async function amendingWhileTheMeetingDutyIsGone(planName: string) {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  const r = rig;
  await r.startWorker();
  const client = r.server.env.client;
  const base = nextLocalMidnight(await r.now(), 420);
  const clock = clockFrom(base);
  const closesAt = clock.at(75);
  const plan = smallPlan(planName, base);
  await startPlan(client, r.taskQueue, plan, { closesAt });
  await r.sleepUntil(clock.at(20, 12));
  await client.workflow.getHandle(dutyWorkflowId(plan.planId, plan.year, MEETING_DUTY.id)).terminate('the duty is unreachable when the amendment removes it');
  const amending = amendPlan(client, {
    ...plan,
    duties: plan.duties.filter((duty) => duty.id !== MEETING_DUTY.id),
    occurrences: plan.occurrences.filter((occurrence) => occurrence.dutyId !== MEETING_DUTY.id),
  });
  amending.catch(() => {}); // awaited by the test
  const planId = planWorkflowId(plan.planId, plan.year);
  await waitFor('the retire signal failed', async () => (await failedSignals(client, planId)) >= 1);
  return { r, client, clock, plan, planId, closesAt, amending };
}

it('retires a duty an amendment removes once the duty is back, and the amendment then answers', async () => {
  const { r, client, clock, plan, planId, closesAt, amending } = await amendingWhileTheMeetingDutyIsGone('bo-nhiem-vu');
  // The duty is back (started again as the plan's client would) before the plan's last try.
  await ensureDutySchedules(client, r.taskQueue, plan, runSettingsFor(plan, { closesAt }), [dutySlice(plan, MEETING_DUTY)]);
  await r.sleepUntil(clock.at(20, 13));
  const summary = await within(60_000, 'the amendment', amending);
  expect(summary.removed).toEqual([MEETING_DUTY.id]);
  expect((await getDutyStatus(client, plan, MEETING_DUTY.id)).status).toBe('removed');
  // Tried again after 1 s and then 10 s; the duty was back for the first or the second of them.
  expect(await failedSignals(client, planId)).toBeGreaterThanOrEqual(1);
  expect(await failedSignals(client, planId)).toBeLessThanOrEqual(2);
}, 300_000);

it('applies an amendment whose removed duty never comes back, once every try has failed', async () => {
  const { r, client, clock, plan, planId, amending } = await amendingWhileTheMeetingDutyIsGone('bo-nhiem-vu-mat');
  await r.sleepUntil(clock.at(20, 13));
  const summary = await within(60_000, 'the amendment', amending);
  expect(summary.removed).toEqual([MEETING_DUTY.id]);
  expect(await failedSignals(client, planId)).toBe(3);
  const view = await getPlanView(client, plan);
  expect(view.duties.find((duty) => duty.dutyId === MEETING_DUTY.id)?.lifecycle).toBe('removed');
}, 300_000);
