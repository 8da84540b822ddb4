/**
 * A plan of 200 units × 100 duties started, amended and cancelled on the time-skipping server: no
 * payload grows with the whole plan. The plan workflow carries a manifest, each duty only its own
 * slice, and every history stays far below Temporal's limits.
 *
 * The duties here are yearly reports (200 occurrences each). A monthly duty of 200 units is twelve
 * times larger and still carries its occurrences whole; packing slices by period is the next step
 * (see workflows/README.md).
 */
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syntheticPlan } from '../../bench/expand';
import { amendPlan, cancelPlan, getPlanView, startPlan } from '../../operations/plan-client';
import { expandPlan } from '../../domain/schedule/expand';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { planWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import { waitFor } from '../support/wait-for';
import { createRig, type Rig } from './rig';

const KB = 1024;
let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-05T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

interface Measured {
  workflowId: string;
  runs: number;
  largestRunEvents: number;
  largestRunBytes: number;
  largestEventBytes: number;
}

async function measure(workflowId: string): Promise<Measured> {
  const client = rig.server.env.client;
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  const m: Measured = { workflowId, runs: 0, largestRunEvents: 0, largestRunBytes: 0, largestEventBytes: 0 };
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    m.runs += 1;
    m.largestRunEvents = Math.max(m.largestRunEvents, history.events?.length ?? 0);
    m.largestRunBytes = Math.max(m.largestRunBytes, proto.temporal.api.history.v1.History.encode(history).finish().length);
    for (const event of history.events ?? []) {
      m.largestEventBytes = Math.max(m.largestEventBytes, proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().length);
    }
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return m;
}

it('starts, amends and cancels a plan of 200 units × 100 duties with every payload under 256 KB', async () => {
  const client = rig.server.env.client;
  const plan = expandPlan(syntheticPlan(200, 100, { cadences: [4], planId: 'quy-mo-2026' }));
  const ref = { planId: plan.planId, year: plan.year };
  const wall = Date.now();
  await startPlan(client, rig.taskQueue, plan);
  const settled = (what: string) =>
    waitFor(what, async () => {
      const view = await getPlanView(client, ref).catch(() => undefined);
      return view?.status === 'running' && view.duties.every((d) => d.lifecycle !== 'starting');
    }, { timeoutMs: 120_000, intervalMs: 250 });
  await settled('all 100 duties run their schedule');
  const started = Date.now() - wall;

  // One duty renamed (its slice changes), one removed: only those two are touched.
  const amended: ExpandedPlan = {
    ...plan,
    duties: plan.duties
      .filter((d) => d.id !== 'nhiem-vu-100')
      .map((d) => (d.id === 'nhiem-vu-1' ? { ...d, title: 'Nhiệm vụ 1 (đã sửa tên)' } : d)),
    occurrences: plan.occurrences.filter((o) => o.dutyId !== 'nhiem-vu-100'),
  };
  const summary = await amendPlan(client, amended);
  expect(summary).toEqual({ added: [], removed: ['nhiem-vu-100'], changed: ['nhiem-vu-1'] });
  await settled('the amendment reached the duties');

  await cancelPlan(client, ref);
  const result: PlanYearResult = await client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result();
  expect(result.status).toBe('cancelled');
  expect(result.duties.filter((d) => d.lifecycle === 'cancelled')).toHaveLength(99);

  const view = await getPlanView(client, ref);
  const measured = await Promise.all([planWorkflowId(plan.planId, plan.year), view.mailroomWorkflowId, ...view.duties.map((d) => d.workflowId)].map(measure));
  const planRun = measured[0] as Measured;
  const worst = (key: keyof Omit<Measured, 'workflowId'>) => measured.reduce((a, b) => (b[key] > a[key] ? b : a));
  console.log(
    `[scale] 200 units × 100 duties, ${plan.occurrences.length} occurrences: all duties running after ${(started / 1000).toFixed(1)} s; ` +
      `plan workflow ${planRun.largestRunEvents} events / ${(planRun.largestRunBytes / KB).toFixed(0)} KB, largest event ${(planRun.largestEventBytes / KB).toFixed(0)} KB; ` +
      `largest event anywhere ${(worst('largestEventBytes').largestEventBytes / KB).toFixed(0)} KB (${worst('largestEventBytes').workflowId}); ` +
      `largest run ${(worst('largestRunBytes').largestRunBytes / KB).toFixed(0)} KB (${worst('largestRunBytes').workflowId})`,
  );
  expect(planRun.largestEventBytes).toBeLessThan(64 * KB);
  expect(planRun.largestRunBytes).toBeLessThan(256 * KB);
  for (const m of measured) {
    expect(m.largestEventBytes, m.workflowId).toBeLessThan(256 * KB);
    expect(m.largestRunBytes, m.workflowId).toBeLessThan(1024 * KB);
    expect(m.largestRunEvents, m.workflowId).toBeLessThan(2_000);
  }
}, 300_000);
