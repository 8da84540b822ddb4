/**
 * A plan started after some deadlines have passed: those occurrences are "before tracking" and never
 * reminded nor escalated, reminders already in the past are not replayed, and a unit may still file
 * the old report (recorded as late). Cancelling the plan stops every duty and all further mail,
the year-end report due after it included.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parsePlan } from '../../domain/plan/load';
import { localDateOf } from '../../workflows/instants';
import { planWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import { cancelPlan, getDutyStatus, getMailroomView, getPlanView, startPlan, submitReport } from '../../operations/plan-client';
import { clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { waitFor } from '../support/wait-for';
import { deliveryLog } from './delivery-log';
import { createRig, type Rig } from './rig';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines, type ExpectedDigest } from './mail-expectations';

let rig: Rig;

/** Who issues and signs the report: the smallest valid plan's document. */
function reportDocument() {
  const loaded = parsePlan(readFileSync('test/fixtures/plans/base.yaml', 'utf8'), 'base.yaml');
  if (!loaded.ok) throw new Error('the base plan is invalid');
  return loaded.plan.plan;
}

beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-04-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

it('marks passed deadlines as before tracking, sends only future mail, and stops everything on cancel', async () => {
  // Lay the plan out so that "now" is day 12 of it: K1 (due end of day 10) has already passed.
  const base = nextLocalMidnight(await rig.now()) - 13 * 86_400_000;
  const clock = clockFrom(base);
  // The plan would mail its year-end report on day 40, after it is cancelled on day 36: it must not.
  const plan = {
    ...smallPlan('giua-nam', base),
    yearEndReport: { at: clock.at(40, 8), document: reportDocument(), groups: [] },
  };
  const ref = { planId: plan.planId, year: plan.year };
  const client = rig.server.env.client;
  await startPlan(client, rig.taskQueue, plan, { closesAt: clock.at(75) });

  await rig.sleepUntil(clock.at(13, 10));
  const before = await getDutyStatus(client, ref, 'bc-thang');
  expect(before.occurrences.filter((o) => o.periodKey === 'K1').map((o) => o.status)).toEqual(['before-tracking', 'before-tracking']);
  expect(before.status).toBe('on-track');
  expect(before.nextDeadline).toBe(clock.endOfDay(40));
  const old = await submitReport(client, ref, { dutyId: 'bc-thang', unitId: 'thon-a', periodKey: 'K1', fields: { so_vu: 1 } });
  expect(old.late).toBe(true);

  await rig.sleepUntil(clock.at(36, 12));
  await cancelPlan(client, ref);
  // Awaiting a result lets the test server skip time. In real time a cancellation reaches every duty
  // long before its next timer; here, wait (queries do not move the clock) until it has, or the
  // server may jump to a duty's next reminder first.
  await waitFor(
    'every duty cancelled',
    async () => (await getPlanView(client, ref)).duties.every((d) => d.lifecycle === 'cancelled'),
    { intervalMs: 50 },
  );
  const result: PlanYearResult = await client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result();
  expect(result.status).toBe('cancelled');
  expect(result.duties.map((d) => d.lifecycle)).toEqual(['cancelled', 'cancelled']);
  const after = await getDutyStatus(client, ref, 'bc-thang');
  expect(after.status).toBe('cancelled');

  await rig.sleepUntil(clock.at(80));
  const day = (n: number) => localDateOf(Date.parse(clock.at(n)), 420);
  const expected: ExpectedDigest[] = [
    { unitId: 'thon-a', localDate: day(17), batch: 1, itemIds: [`hop-dan:thon-a:H1:invitation:${clock.at(17)}`] },
    { unitId: 'thon-a', localDate: day(21), batch: 1, itemIds: [`hop-dan:thon-a:H1:minutes-request:${clock.at(21)}`] },
    { unitId: 'thon-a', localDate: day(26), batch: 1, itemIds: ['hop-dan:thon-a:H1:overdue'] },
    { unitId: 'ubmttq', localDate: day(27), batch: 1, itemIds: ['hop-dan:thon-a:H1:escalation:1'] },
    { unitId: 'thon-a', localDate: day(35), batch: 1, itemIds: [`bc-thang:thon-a:K2:reminder:${clock.at(35)}`] },
    { unitId: 'thon-b', localDate: day(35), batch: 1, itemIds: [`bc-thang:thon-b:K2:reminder:${clock.at(35)}`] },
  ];
  const mailroom = await client.workflow.getHandle(`${planWorkflowId(plan.planId, plan.year)}:mail`).result();
  expect(mailroom.failedDeliveries).toEqual([]);
  expect(deliveredLines(await deliveryLog(client, `${planWorkflowId(plan.planId, plan.year)}:mail`))).toEqual(expectedLines(expected));
  expect(receivedMailLines(rig.smtp)).toEqual(expectedMailLines(plan, expected));
  await expect(getMailroomView(client, ref)).resolves.toMatchObject({ pending: [] });
});
