/**
 * The plan for one year: one mailroom child and one child per duty, each given only its own slice
 * of the expanded schedule. Amendments start new duties, cancel removed ones and send the changed
 * schedule to the others; cancelling the plan cancels every duty, then closes the mailroom.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { DutyInfo, ExpandedPlan } from '../domain/schedule/types';
import { unitsForDuty } from './duty-state';
import { dutyWorkflow } from './duty-workflow';
import { dutyWorkflowId, mailroomWorkflowId } from '../domain/keys/workflow-ids';
import { mailroomWorkflow } from './mailroom-workflow';
import { amendUpdate, closeMailroomSignal, planQuery, replaceScheduleSignal, retireSignal, updateDirectorySignal } from './messages';
import { refuse } from './refusal';
import { KEHOACH_DUTY, KEHOACH_PLAN, KEHOACH_STATUS, KEHOACH_UNITS, KEHOACH_YEAR } from './search-attributes';
import type {
  AmendmentSummary,
  DutyStart,
  PlanDutyEntry,
  PlanView,
  PlanYearInput,
  PlanYearResult,
  ScheduleReplacement,
} from './types';

interface RunningDuty {
  entry: PlanDutyEntry;
  scope: CancellationScope;
  finished: Promise<void>;
  /** The slice last sent, to skip amendments that do not touch this duty. */
  sliceFingerprint: string;
  /** Removed by an amendment but still running, retired, so it can be added back. */
  retired?: boolean;
}

function isActive(entry: PlanDutyEntry): boolean {
  return entry.lifecycle === 'starting' || entry.lifecycle === 'running';
}

function sliceFor(plan: ExpandedPlan, duty: DutyInfo): ScheduleReplacement {
  const occurrences = plan.occurrences.filter((occ) => occ.dutyId === duty.id);
  return {
    duty,
    units: unitsForDuty(plan.units, duty.unitIds, occurrences),
    occurrences,
    planTitle: plan.title,
    supervisorUnitId: plan.supervisorUnitId,
  };
}

export async function planYearWorkflow(input: PlanYearInput): Promise<PlanYearResult> {
  let plan = input.plan;
  const { settings } = input;
  const { planId, year } = plan;
  const duties = new Map<string, RunningDuty>();
  let status: PlanView['status'] = 'starting';
  /** Amendments run one at a time, in the order they were accepted. */
  let amendmentQueue: Promise<unknown> = Promise.resolve();
  let amendments = 0;

  const planAttributes = [
    { key: KEHOACH_PLAN, value: planId },
    { key: KEHOACH_YEAR, value: year },
  ] as const;
  upsertSearchAttributes([...planAttributes, { key: KEHOACH_STATUS, value: 'running' }]);

  // Outside the root scope: cancelling the plan must not stop the mailroom before the duties have
  // finished; it is closed explicitly once they have.
  const mailroom = await CancellationScope.nonCancellable(() =>
    startChild(mailroomWorkflow, {
      workflowId: mailroomWorkflowId(planId, year),
      args: [
        {
          start: {
            planId,
            year,
            timeZone: plan.timeZone,
            supervisorUnitId: plan.supervisorUnitId,
            units: plan.units,
            settings,
          },
        },
      ],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: [...planAttributes, { key: KEHOACH_STATUS, value: 'running' }],
    }),
  );

  const startDuty = async (duty: DutyInfo): Promise<void> => {
    const slice = sliceFor(plan, duty);
    const workflowId = dutyWorkflowId(planId, year, duty.id);
    const entry: PlanDutyEntry = { dutyId: duty.id, title: duty.title, workflowId, lifecycle: 'starting' };
    const start: DutyStart = { planId, year, timeZone: plan.timeZone, settings, ...slice, ...(plan.calendar ? { calendar: plan.calendar } : {}) };
    const scope = new CancellationScope();
    let started!: (handle: ChildWorkflowHandle<typeof dutyWorkflow>) => void;
    const startedPromise = new Promise<ChildWorkflowHandle<typeof dutyWorkflow>>((resolve) => (started = resolve));
    const running: RunningDuty = { entry, scope, finished: Promise.resolve(), sliceFingerprint: JSON.stringify(slice) };
    running.finished = scope
      .run(async () => {
        const handle = await startChild(dutyWorkflow, {
          workflowId,
          args: [{ start }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          typedSearchAttributes: [
            ...planAttributes,
            { key: KEHOACH_DUTY, value: duty.id },
            { key: KEHOACH_UNITS, value: [...duty.unitIds].sort() },
            { key: KEHOACH_STATUS, value: 'on-track' },
          ],
        });
        if (entry.lifecycle === 'starting') entry.lifecycle = 'running';
        started(handle);
        const result = await handle.result();
        if (isActive(entry)) entry.lifecycle = result.status === 'cancelled' ? 'cancelled' : 'completed';
      })
      .catch((err: unknown) => {
        if (isActive(entry)) entry.lifecycle = isCancellation(err) ? 'cancelled' : 'failed';
        if (!isCancellation(err)) log.error('duty workflow failed', { duty: duty.id, error: String(err) });
      });
    duties.set(duty.id, running);
    await Promise.race([startedPromise, running.finished]);
  };

  const applyAmendment = async (next: ExpandedPlan): Promise<AmendmentSummary> => {
    const previousIds = new Set(plan.duties.map((d) => d.id));
    const nextIds = new Set(next.duties.map((d) => d.id));
    plan = next;
    amendments += 1;
    await mailroom.signal(updateDirectorySignal, next.units);
    const summary: AmendmentSummary = { added: [], removed: [], changed: [] };
    for (const id of previousIds) {
      const running = duties.get(id);
      if (nextIds.has(id) || !running || !isActive(running.entry)) continue;
      running.entry.lifecycle = 'removed';
      // A removed duty keeps running, retired, so that adding it back restores its records and
      // its reference numbers continue. Runs that began before retirement cancelled it instead.
      if (patched('plan-retire-removed-duties')) {
        running.retired = true;
        await getExternalWorkflowHandle(running.entry.workflowId).signal(retireSignal);
      } else {
        running.scope.cancel();
      }
      summary.removed.push(id);
    }
    for (const duty of next.duties) {
      const running = duties.get(duty.id);
      if (running?.retired && running.entry.lifecycle === 'removed') {
        const slice = sliceFor(next, duty);
        running.retired = false;
        running.entry.lifecycle = 'running';
        running.entry.title = duty.title;
        running.sliceFingerprint = JSON.stringify(slice);
        await getExternalWorkflowHandle(running.entry.workflowId).signal(replaceScheduleSignal, slice);
        summary.added.push(duty.id);
        continue;
      }
      if (!running || running.entry.lifecycle === 'removed') {
        await startDuty(duty);
        summary.added.push(duty.id);
        continue;
      }
      const slice = sliceFor(next, duty);
      const fingerprint = JSON.stringify(slice);
      if (fingerprint === running.sliceFingerprint || !isActive(running.entry)) continue;
      running.sliceFingerprint = fingerprint;
      running.entry.title = duty.title;
      await getExternalWorkflowHandle(running.entry.workflowId).signal(replaceScheduleSignal, slice);
      summary.changed.push(duty.id);
    }
    return summary;
  };

  const amend = (next: ExpandedPlan): Promise<AmendmentSummary> => {
    const applied = amendmentQueue.then(() => applyAmendment(next));
    amendmentQueue = applied.catch(() => undefined);
    return applied;
  };

  setHandler(amendUpdate, amend, {
    validator: (next) => {
      if (status === 'starting') {
        const started = [...duties.values()].filter((d) => d.entry.lifecycle !== 'starting').length;
        refuse(
          'plan-starting',
          `Kế hoạch đang khởi chạy các nhiệm vụ (${started}/${plan.duties.length} đã chạy); hãy sửa đổi sau khi khởi chạy xong, chỉ mất ít phút.`,
        );
      }
      if (status !== 'running') refuse('cancelled', 'Kế hoạch đã bị hủy hoặc đã kết thúc, không thể sửa đổi.');
      if (next?.planId !== planId || next?.year !== year) {
        refuse(
          'wrong-plan',
          `Kế hoạch sửa đổi phải cùng mã và năm với kế hoạch đang chạy (${planId}, ${year}); nhận được (${next?.planId}, ${next?.year}).`,
        );
      }
    },
  });

  setHandler(planQuery, (): PlanView => ({
    planId,
    year,
    title: plan.title,
    timeZone: plan.timeZone,
    status,
    amendments,
    mailroomWorkflowId: mailroom.workflowId,
    duties: [...duties.values()].map((d) => ({ ...d.entry })),
  }));

  try {
    for (const duty of plan.duties) await startDuty(duty);
    status = 'running';
    await condition(() => allHandlersFinished() && ![...duties.values()].some((d) => isActive(d.entry)));
    status = 'completed';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    status = 'cancelling';
  }
  await CancellationScope.nonCancellable(async () => {
    await Promise.all([...duties.values()].map((d) => d.finished));
    if (status === 'cancelling') status = 'cancelled';
    upsertSearchAttributes([{ key: KEHOACH_STATUS, value: status }]);
    await mailroom.signal(closeMailroomSignal);
    await mailroom.result();
  });
  const finalStatus: PlanYearResult['status'] = status === 'completed' ? 'completed' : 'cancelled';
  return {
    planId,
    year,
    status: finalStatus,
    duties: [...duties.values()].map((d) => ({ ...d.entry })),
    amendments,
  };
}
