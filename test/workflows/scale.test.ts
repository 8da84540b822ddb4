/**
 * A plan of 200 units × 100 duties (monthly, quarterly and yearly reports, every unit: 87 120
 * occurrences, the monthly duties 2 376 each) started, amended in 50 duties and cancelled on the
 * time-skipping server: no payload grows with the plan. The plan workflow carries a manifest, each
 * duty its own slice packed by period, and every run of every workflow stays under 2 000 events
 * and 1 MB with no payload over 256 KB, read from the real histories.
 *
 * By default the clock runs to 22 January: the first reminder morning of the 20 monthly duties
 * (9 January, 3 960 items to the one mailroom of the plan, which then continues as new several
 * times with its state packed), their deadline, overdue notices and escalations to the cluster
 * heads. `KEHOACH_SCALE_UNTIL` runs further (`npm run bench:scale-year` runs the year up to its year-end report); the
 * oracle below checks every digest and item that went out.
 */
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syntheticPlan } from '../../bench/expand';
import { amendPlan, cancelPlan, getPlanView, startPlan } from '../../operations/plan-client';
import type { PlanFile } from '../../domain/plan/schema';
import { expandPlan } from '../../domain/schedule/expand';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { planWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import { waitFor } from '../support/wait-for';
import { deliveryLog } from './delivery-log';
import { createRig, type Rig } from './rig';

const KB = 1024;
const START = '2026-01-05T00:00:00+07:00';
const RUN_UNTIL = process.env.KEHOACH_SCALE_UNTIL ?? '2026-01-22T20:00:00+07:00';
const AMEND_AT = process.env.KEHOACH_SCALE_AMEND_AT ?? '2026-01-06T12:00:00+07:00';

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: START });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

/**
 * 200 units (197 residential groups and schools under 20 cluster heads, and the commune's leaders)
 * and 100 reports: 20 monthly, 40 quarterly (every other one with its own deadline for 20 units),
 * 40 yearly. An overdue report is escalated once, to the unit's cluster head.
 */
function communePlan(): PlanFile {
  const plan = syntheticPlan(200, 100, { cadences: [0, 1, 4, 4, 1], planId: 'quy-mo-2026' });
  const heads = Array.from({ length: 20 }, (_, i) => ({
    id: `cum-${i + 1}`, name: `Cụm ${i + 1}`, kind: 'cluster', emails: [`cum${i + 1}@bench.example`], reportsTo: 'phong',
  }));
  const units = plan.units.map((unit) => {
    const n = /^don-vi-(\d+)$/.exec(unit.id)?.[1];
    return n === undefined ? unit : { ...unit, reportsTo: `cum-${(Number(n) % 20) + 1}` };
  });
  return { ...plan, settings: { ...plan.settings, escalation: [{ level: 1, afterWorkingDays: 2 }] }, units: [...units, ...heads] } as PlanFile;
}

interface Measured {
  workflowId: string;
  runs: number;
  largestRunEvents: number;
  largestRunBytes: number;
  largestEventBytes: number;
  largestEventType: string;
}

async function measure(workflowId: string): Promise<Measured> {
  const client = rig.server.env.client;
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  const m: Measured = { workflowId, runs: 0, largestRunEvents: 0, largestRunBytes: 0, largestEventBytes: 0, largestEventType: '' };
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    m.runs += 1;
    m.largestRunEvents = Math.max(m.largestRunEvents, history.events?.length ?? 0);
    m.largestRunBytes = Math.max(m.largestRunBytes, proto.temporal.api.history.v1.History.encode(history).finish().length);
    for (const event of history.events ?? []) {
      const bytes = proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
      if (bytes <= m.largestEventBytes) continue;
      m.largestEventBytes = bytes;
      m.largestEventType = proto.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? '';
    }
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return m;
}

/**
 * The oracle: every notification the expanded plan calls for between `fromMs` and `toMs` (duties
 * in `until` only before their instant), as (recipient, local day) → item count. Written from the
 * rules of workflows/README.md, not from the workflow code: an occurrence already due at the start
 * is never mailed; reminders strictly before the deadline; the overdue notice; each escalation to
 * the unit's cluster head. Nobody files, so everything goes out.
 */
function expectedDigests(plan: ExpandedPlan, fromMs: number, toMs: number, until: Record<string, number>): Map<string, number> {
  const digests = new Map<string, number>();
  const add = (recipient: string, at: string, dutyId: string) => {
    const ms = Date.parse(at);
    if (ms < fromMs || ms > toMs || ms > (until[dutyId] ?? Infinity)) return;
    const localDay = new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
    const key = `${recipient}|${localDay}`;
    digests.set(key, (digests.get(key) ?? 0) + 1);
  };
  for (const occ of plan.occurrences) {
    if (Date.parse(occ.dueAt) <= fromMs) continue;
    for (const at of occ.remindAt) if (at < occ.dueAt) add(occ.unitId, at, occ.dutyId);
    if (occ.overdueAt) add(occ.unitId, occ.overdueAt, occ.dutyId);
    for (const step of occ.escalations) add(step.notifyUnitId, step.at, occ.dutyId);
  }
  return digests;
}

it('starts, amends and cancels a plan of 200 units × 100 duties with every payload under 256 KB and every run under 2 000 events and 1 MB', async () => {
  const client = rig.server.env.client;
  const plan = expandPlan(communePlan());
  const ref = { planId: plan.planId, year: plan.year };
  const wall = Date.now();
  const startMs = await rig.now();
  await startPlan(client, rig.taskQueue, plan);
  const settled = (what: string) =>
    waitFor(what, async () => {
      const view = await getPlanView(client, ref).catch(() => undefined);
      return view?.status === 'running' && view.duties.every((d) => d.lifecycle !== 'starting');
    }, { timeoutMs: 180_000, intervalMs: 250 });
  await settled('all 100 duties run their schedule');
  const started = Date.now() - wall;

  // Every duty of the first half renamed (their slices change), the last one removed.
  await rig.sleepUntil(AMEND_AT);
  const amendedAtMs = await rig.now();
  const amended: ExpandedPlan = {
    ...plan,
    duties: plan.duties
      .filter((d) => d.id !== 'nhiem-vu-100')
      .map((d, i) => (i < 50 ? { ...d, title: `${d.title} (đã sửa tên)` } : d)),
    occurrences: plan.occurrences.filter((o) => o.dutyId !== 'nhiem-vu-100'),
  };
  const summary = await amendPlan(client, amended);
  expect(summary.removed).toEqual(['nhiem-vu-100']);
  expect(summary.changed).toHaveLength(50);
  await settled('the amendment reached the duties');
  console.log(`[scale] amended after ${((Date.now() - wall) / 1000).toFixed(0)} s`);

  for (let day = Date.parse(AMEND_AT) + 86_400_000; day < Date.parse(RUN_UNTIL); day += 7 * 86_400_000) {
    await rig.sleepUntil(day);
    console.log(`[scale] ${new Date(day).toISOString().slice(0, 10)} after ${((Date.now() - wall) / 1000).toFixed(0)} s, ${rig.smtp.transactions} mails`);
  }
  await rig.sleepUntil(RUN_UNTIL);
  const endMs = await rig.now();
  const view = await getPlanView(client, ref);
  const log = await deliveryLog(client, view.mailroomWorkflowId);
  await cancelPlan(client, ref);
  // Waiting on result() lets the time-skipping server run the clock on while the 99 duties are
  // being cancelled, into the first reminder day (9 January), which is not what this test measures:
  // poll until the plan has closed, then read its result.
  const planHandle = client.workflow.getHandle(planWorkflowId(plan.planId, plan.year));
  await waitFor('the plan closed after its cancellation', async () => (await planHandle.describe()).status.name !== 'RUNNING', {
    timeoutMs: 180_000,
    intervalMs: 250,
  });
  expect(await rig.now()).toBeLessThan(Date.parse(RUN_UNTIL) + 12 * 3_600_000);
  const result: PlanYearResult = await planHandle.result();
  expect(result.status).toBe('cancelled');
  expect(result.duties.filter((d) => d.lifecycle === 'cancelled')).toHaveLength(99);
  const wallMs = Date.now() - wall;

  const expected = expectedDigests(plan, startMs, endMs, { 'nhiem-vu-100': amendedAtMs });
  const delivered = new Map<string, number>();
  for (const record of log.filter((r) => r.outcome === 'sent')) {
    const key = `${record.recipientUnitId}|${record.localDate}`;
    delivered.set(key, (delivered.get(key) ?? 0) + record.itemIds.length);
  }
  const expectedItems = [...expected.values()].reduce((a, b) => a + b, 0);
  const deliveredItems = [...delivered.values()].reduce((a, b) => a + b, 0);
  expect(log.filter((r) => r.outcome !== 'sent')).toEqual([]);
  expect(deliveredItems).toBe(expectedItems);
  expect(new Map([...delivered].sort())).toEqual(new Map([...expected].sort()));
  expect(rig.smtp.transactions).toBe(log.length);

  const measured = await Promise.all([planWorkflowId(plan.planId, plan.year), view.mailroomWorkflowId, ...view.duties.map((d) => d.workflowId)].map(measure));
  const planRun = measured[0] as Measured;
  const worst = (key: keyof Omit<Measured, 'workflowId' | 'largestEventType'>) => measured.reduce((a, b) => (b[key] > a[key] ? b : a));
  const mailroom = measured[1] as Measured;
  console.log(
    `[scale] 200 units × 100 duties, ${plan.occurrences.length} occurrences: all duties running after ${(started / 1000).toFixed(1)} s; ` +
      `${log.length} digests / ${deliveredItems} items until ${RUN_UNTIL}; wall ${(wallMs / 1000).toFixed(0)} s; ` +
      `plan workflow ${planRun.largestRunEvents} events / ${(planRun.largestRunBytes / KB).toFixed(0)} KB; ` +
      `mailroom ${mailroom.runs} runs, largest ${mailroom.largestRunEvents} events / ${(mailroom.largestRunBytes / KB).toFixed(0)} KB; ` +
      `largest event anywhere ${(worst('largestEventBytes').largestEventBytes / KB).toFixed(0)} KB (${worst('largestEventBytes').workflowId}, ${worst('largestEventBytes').largestEventType}); ` +
      `largest run ${(worst('largestRunBytes').largestRunBytes / KB).toFixed(0)} KB (${worst('largestRunBytes').workflowId}); ` +
      `most events ${worst('largestRunEvents').largestRunEvents} (${worst('largestRunEvents').workflowId})`,
  );
  expect(planRun.largestEventBytes).toBeLessThan(64 * KB);
  // The monthly duties' slices, whole, were about 1.4 MB each.
  const monthly = measured.find((m) => m.workflowId.endsWith(':duty:nhiem-vu-1')) as Measured;
  expect(monthly.largestEventBytes).toBeLessThan(64 * KB);
  for (const m of measured) {
    expect(m.largestEventBytes, m.workflowId).toBeLessThan(256 * KB);
    expect(m.largestRunBytes, m.workflowId).toBeLessThan(1_000_000);
    expect(m.largestRunEvents, m.workflowId).toBeLessThanOrEqual(2_000);
  }
}, process.env.KEHOACH_SCALE_UNTIL ? 4 * 3_600_000 : 600_000);
