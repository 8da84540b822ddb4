/**
 * A plan started after all of a duty's deadlines: nothing of it is tracked, so the duty is
 * "untracked" in its status query and in its published search attribute, never "completed" with
 * zeros (new workflows take the `duty-untracked-status` branch; replay covers the old one).
 */
import { afterEach, expect, it } from 'vitest';
import { getDutyStatus, startPlan } from '../../operations/plan-client';
import { dutyWorkflowId } from '../../domain/keys/workflow-ids';
import { KEHOACH_STATUS } from '../../workflows/search-attributes';
import { clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { waitFor } from '../support/wait-for';
import { createRig, type Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it('publishes KehoachStatus=untracked for a duty whose every deadline passed before it started', async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  await rig.startWorker();
  // The plan's year began 120 days before the server's clock: every deadline of the small plan is past.
  const base = nextLocalMidnight((await rig.now()) - 120 * 86_400_000, 420);
  const clock = clockFrom(base);
  const plan = smallPlan('muon-bat-dau', base);
  const lastDue = Math.max(...plan.occurrences.map((o) => Date.parse(o.dueAt)));
  expect(lastDue).toBeLessThan(await rig.now());
  const client = rig.server.env.client;
  await startPlan(client, rig.taskQueue, plan, { closesAt: clock.at(200) });

  const dutyId = plan.duties[0]?.id ?? 'missing';
  const status = await waitFor('the duty answers', async () => getDutyStatus(client, plan, dutyId).catch(() => undefined), { timeoutMs: 60_000 });
  expect(status.occurrences.every((o) => o.status === 'before-tracking')).toBe(true);
  expect(status.status).toBe('untracked');
  // The client starts the duty with the status its first task would publish.
  const handle = client.workflow.getHandle(dutyWorkflowId(plan.planId, plan.year, dutyId));
  expect((await handle.describe()).typedSearchAttributes.get(KEHOACH_STATUS)).toBe('untracked');
});
