/**
 * The Hà Đông 2026 year, scripted: most units submit on time, some late, some never; one unit gets
 * an extension, one occurrence is waived, the plan is amended in June (a unit added, a duty added,
 * a duty removed, a calendar changed), one unit's mailbox rejects everything and the SMTP server
 * has a transient outage in March. Returns what the system did and what it should have done.
 */
import { createHash } from 'node:crypto';
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { DutyInfo, ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import {
  amendPlan,
  decideExtension,
  expandPlanFile,
  getPlanView,
  requestExtension,
  startPlan,
  submitReport,
  waiveOccurrence,
} from '../../operations/plan-client';
import { DateTime } from 'luxon';
import { mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import type { DeliveryRecord, MailroomView, PlanYearResult } from '../../workflows/types';
import { deliveryLog } from './delivery-log';
import type { Rig } from './rig';
import { expectedYearMail, type OccurrenceScript, type YearExpectation } from './year-oracle';
import { periodOfPlan } from '../../domain/schedule/expanded-period';

const OFFSET = 420;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const WINDOW_MS = 5 * 60_000;
export const UNREACHABLE_UNIT = 'tdp-27';
export const PLAN_FILE = 'plans/ha-dong-2026.yaml';

type Outcome = 'on-time' | 'late' | 'never';

function outcomeOf(key: string): Outcome {
  const h = createHash('sha256').update(key).digest()[0] as number;
  const bucket = h % 10;
  return bucket < 6 ? 'on-time' : bucket < 8 ? 'late' : 'never';
}

function fieldsFor(duty: DutyInfo): Record<string, string | number> {
  return Object.fromEntries(duty.fields.map((f) => [f.id, f.type === 'text' ? 'Đã thực hiện theo kế hoạch' : 1]));
}

/** 10:00 local on the local day of an instant (the scripted clerk works mid-morning). */
function tenOClockOn(ms: number): number {
  const localMidnight = Math.floor((ms + OFFSET * 60_000) / DAY) * DAY - OFFSET * 60_000;
  return localMidnight + 10 * HOUR;
}

function amendedPlan(plan: ExpandedPlan, amendAt: number): ExpandedPlan {
  const removedDuty = 'bao-cao-dccs-doanh-nghiep';
  const newUnit = { id: 'tdp-29', name: 'Tổ dân phố số 29', kind: 'tdp', emails: ['tdp29@ha-dong.example'], reportsTo: 'phong-vhxh' };
  const cloneFor = (occ: Occurrence): Occurrence => ({
    ...occ,
    key: occ.key.replace(':tdp-28:', ':tdp-29:'),
    unitId: 'tdp-29',
    escalations: occ.escalations.map((e) => ({ ...e })),
  });
  // A week later: the same weekdays, and no holiday falls in the moved days.
  const shift = (instant: string) => new Date(Date.parse(instant) + 7 * DAY).toISOString();
  const occurrences: Occurrence[] = [];
  for (const occ of plan.occurrences) {
    if (occ.dutyId === removedDuty) continue;
    const movable = occ.dutyId === 'bao-cao-giam-sat-mttq' && occ.remindAt.every((r) => Date.parse(r) > amendAt + DAY);
    occurrences.push(
      movable
        ? {
            ...occ,
            dueAt: shift(occ.dueAt),
            remindAt: occ.remindAt.map(shift),
            ...(occ.overdueAt ? { overdueAt: shift(occ.overdueAt) } : {}),
            escalations: occ.escalations.map((e) => ({ ...e, at: shift(e.at) })),
          }
        : occ,
    );
    if (occ.dutyId === 'bao-cao-huong-uoc' && occ.unitId === 'tdp-28') occurrences.push(cloneFor(occ));
  }
  const extraDuty: DutyInfo = {
    id: 'bao-cao-dot-xuat',
    title: 'Báo cáo đột xuất về công tác dân vận',
    kind: 'report',
    source: 'bổ sung tháng 6',
    legalBasis: 'Chỉ đạo của UBND xã',
    unitIds: ['tdp-01', 'tdp-02', 'tdp-03'],
    fields: [{ id: 'so-ho', label: 'Số hộ được tuyên truyền', type: 'count', required: true }],
  };
  for (const unitId of extraDuty.unitIds) {
    occurrences.push({
      key: `bao-cao-dot-xuat:${unitId}:2026-07`,
      dutyId: extraDuty.id,
      unitId,
      periodKey: '2026-07',
      periodLabel: 'tháng 7/2026',
      dueAt: '2026-07-10T17:00:00.000Z',
      opensAt: '2026-06-30T17:00:00.000Z',
      remindAt: ['2026-07-06T01:00:00.000Z', '2026-07-09T01:00:00.000Z'],
      overdueAt: '2026-07-13T01:00:00.000Z',
      escalations: [{ level: 1, at: '2026-07-13T01:00:00.000Z', notifyUnitId: 'phong-vhxh' }],
    });
  }
  occurrences.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
  return {
    ...plan,
    units: [...plan.units, newUnit],
    duties: [
      ...plan.duties
        .filter((d) => d.id !== removedDuty)
        .map((d) => (d.id === 'bao-cao-huong-uoc' ? { ...d, unitIds: [...d.unitIds, 'tdp-29'] } : d)),
      extraDuty,
    ],
    occurrences,
  };
}

interface Action {
  at: number;
  label: string;
  run(): Promise<unknown>;
}

export interface YearRun {
  plan: ExpandedPlan;
  amended: ExpandedPlan;
  expectation: YearExpectation;
  result: PlanYearResult;
  mailroom: MailroomView;
  /** Every delivery of the year, from the mailroom's histories (its state keeps recent ones). */
  deliveries: DeliveryRecord[];
  wallMs: number;
  histories: { workflowId: string; runs: number; largestEvents: number; largestBytes: number }[];
  /** The scripted submissions (occurrence key and instant), in order. */
  submissions: { at: number; key: string }[];
  /** When the duties stopped tracking (the plan's run settings). */
  closesAt: string;
}

export interface YearHooks {
  beforeDay?: (ms: number) => Promise<void>;
  restartAt?: string;
  historyEventLimit?: number;
  /** Checks to run at given instants of the year, between the scripted actions. */
  checkpoints?: { at: string; label: string; run(): Promise<unknown> }[];
}

export async function runHaDongYear(rig: Rig, hooks: YearHooks = {}): Promise<YearRun> {
  const wallStart = Date.now();
  const client: Client = rig.server.env.client;
  const plan = await expandPlanFile(PLAN_FILE);
  const ref = { planId: plan.planId, year: plan.year };
  rig.smtp.rejectRecipients(plan.units.find((u) => u.id === UNREACHABLE_UNIT)?.emails ?? []);

  const startedAt = await rig.now();
  await startPlan(client, rig.taskQueue, plan, {
    mailCollectionWindowMs: WINDOW_MS,
    ...(hooks.historyEventLimit ? { historyEventLimit: hooks.historyEventLimit } : {}),
  });
  const amendAt = Date.parse('2026-06-15T03:00:00.000Z');
  const amended = amendedPlan(plan, amendAt);
  const dutyById = new Map(amended.duties.map((d) => [d.id, d]));
  for (const d of plan.duties) if (!dutyById.has(d.id)) dutyById.set(d.id, d);

  const scripts = new Map<string, OccurrenceScript>();
  const actions: Action[] = [];
  const extensionKey = plan.occurrences.find((o) => o.dutyId === 'bao-cao-tiep-cong-dan' && o.periodKey === '2026-03')?.key;
  const waiverKey = plan.occurrences.find((o) => o.dutyId === 'bao-cao-huong-uoc' && o.unitId === 'tdp-05')?.key;

  const planFor = (occ: Occurrence, trackFrom: number, activeUntil?: number) => {
    const script: OccurrenceScript = { trackFrom, ...(activeUntil ? { activeUntil } : {}) };
    scripts.set(occ.key, script);
    const duty = dutyById.get(occ.dutyId) as DutyInfo;
    const target = { dutyId: occ.dutyId, unitId: occ.unitId, periodKey: occ.periodKey };
    const due = Date.parse(occ.dueAt);
    if (occ.key === waiverKey) {
      script.waiveAt = Date.parse('2026-02-02T03:00:00.000Z');
      actions.push({ at: script.waiveAt, label: `waive ${occ.key}`, run: () => waiveOccurrence(client, ref, { ...target, reason: 'Tổ dân phố đang sáp nhập' }) });
      return;
    }
    if (occ.key === extensionKey) {
      const requestAt = tenOClockOn(due - 2 * DAY);
      const decideAt = requestAt + 5 * 60_000;
      const until = due + 7 * DAY;
      script.extension = { decideAt, until };
      script.submitAt = tenOClockOn(until - DAY);
      actions.push({
        at: requestAt,
        label: `extend ${occ.key}`,
        run: () => requestExtension(client, ref, { ...target, untilLocalDate: DateTime.fromMillis(until - 1, { zone: 'Asia/Ho_Chi_Minh' }).toISODate() as string, reason: 'Cán bộ phụ trách nghỉ ốm' }),
      });
      actions.push({ at: decideAt, label: `approve ${occ.key}`, run: () => decideExtension(client, ref, { ...target, approve: true }, periodOfPlan(plan)) });
    } else {
      const outcome = outcomeOf(occ.key);
      if (outcome === 'on-time') script.submitAt = tenOClockOn(due - 1);
      if (outcome === 'late') script.submitAt = tenOClockOn(occ.escalations[0] ? Date.parse(occ.escalations[0].at) : due + DAY);
    }
    if (script.submitAt === undefined) return;
    if (script.submitAt <= trackFrom || (activeUntil !== undefined && script.submitAt >= activeUntil)) {
      delete script.submitAt;
      return;
    }
    const submitAt = script.submitAt;
    actions.push({ at: submitAt, label: `submit ${occ.key}`, run: () => submitReport(client, ref, { ...target, fields: fieldsFor(duty) }) });
  };

  const amendedKeys = new Set(amended.occurrences.map((o) => o.key));
  const originalKeys = new Set(plan.occurrences.map((o) => o.key));
  for (const occ of plan.occurrences) {
    if (!amendedKeys.has(occ.key)) planFor(occ, startedAt, amendAt);
  }
  for (const occ of amended.occurrences) planFor(occ, originalKeys.has(occ.key) ? startedAt : amendAt);
  actions.push({ at: amendAt, label: 'amend', run: () => amendPlan(client, amended) });
  actions.push({ at: Date.parse('2026-03-01T00:30:00.000Z'), label: 'smtp outage', run: async () => rig.smtp.failNextMessages(3) });
  for (const checkpoint of hooks.checkpoints ?? []) actions.push({ at: Date.parse(checkpoint.at), label: checkpoint.label, run: checkpoint.run });
  actions.sort((a, b) => a.at - b.at);
  const submissions = actions.filter((action) => action.label.startsWith('submit ')).map((action) => ({ at: action.at, key: action.label.slice('submit '.length) }));

  let restarted = hooks.restartAt === undefined;
  for (const action of actions) {
    if (!restarted && action.at >= Date.parse(hooks.restartAt as string)) {
      await rig.sleepUntil(hooks.restartAt as string);
      await hooks.beforeDay?.(Date.parse(hooks.restartAt as string));
      restarted = true;
    }
    await rig.sleepUntil(action.at);
    await action.run();
    if (process.env.KEHOACH_TRACE_YEAR) console.log(`${new Date(action.at).toISOString()} ${action.label} (+${Date.now() - wallStart} ms)`);
  }

  const planHandle = client.workflow.getHandle(planWorkflowId(plan.planId, plan.year));
  const result: PlanYearResult = await planHandle.result();
  const mailroom: MailroomView = await client.workflow.getHandle(mailroomWorkflowId(plan.planId, plan.year)).result();
  const deliveries = await deliveryLog(client, mailroomWorkflowId(plan.planId, plan.year));
  const wallMs = Date.now() - wallStart;
  const view = await getPlanView(client, ref);
  const histories = [];
  for (const workflowId of [planHandle.workflowId, view.mailroomWorkflowId, ...view.duties.map((d) => d.workflowId)]) {
    histories.push({ workflowId, ...(await measureHistory(client, workflowId)) });
  }

  const occurrences = [
    ...plan.occurrences.filter((o) => !amendedKeys.has(o.key)),
    ...amended.occurrences,
  ].map((occ) => ({ occ, script: scripts.get(occ.key) as OccurrenceScript }));
  const expectation = expectedYearMail(occurrences, amended, { planFile: PLAN_FILE, windowMs: WINDOW_MS, unreachableUnitId: UNREACHABLE_UNIT });
  return { plan, amended, expectation, result, mailroom, deliveries, wallMs, histories, submissions, closesAt: view.settings?.closesAt ?? '' };
}

/** Walks the continue-as-new chain backwards from the latest run and measures every run. */
async function measureHistory(client: Client, workflowId: string) {
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  let runs = 0;
  let largestEvents = 0;
  let largestBytes = 0;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs += 1;
    largestEvents = Math.max(largestEvents, history.events?.length ?? 0);
    largestBytes = Math.max(largestBytes, proto.temporal.api.history.v1.History.encode(history).finish().length);
    const previous: string | null | undefined = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    runId = previous || undefined;
  }
  return { runs, largestEvents, largestBytes };
}
