/**
 * One duty of the plan for the whole year, with the state of every (unit, period) inside it.
 * Loop: hand every notification whose instant has come to the mailroom, publish search attributes,
 * then sleep until the next instant or until a message changes the state.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applyExtensionDecision,
  applyExtensionRequest,
  applySubmission,
  applyWaiver,
  dueNotifications,
  handOverEnvelopes,
  initialDutyState,
  markSent,
  nextDeadline,
  nextNotificationAt,
  overallStatus,
  replaceSchedule,
  statusView,
  validateExtensionDecision,
  validateExtensionRequest,
  validateSubmission,
  validateWaiver,
  type PlannedNotification,
} from './duty-state';
import { mailroomWorkflowId } from './ids';
import { toMs } from './instants';
import {
  decideExtensionUpdate,
  dutyStatusQuery,
  enqueueMailSignal,
  forceContinueAsNewSignal,
  replaceScheduleSignal,
  requestExtensionUpdate,
  submitUpdate,
  waiveUpdate,
} from './messages';
import { KEHOACH_NEXT_DEADLINE, KEHOACH_STATUS, KEHOACH_UNITS } from './search-attributes';
import type { DutyState, DutyStatusView, DutyWorkflowInput } from './types';

/** Never wake more often than this when something could not be handed over. */
const MIN_WAIT_MS = 1_000;

export async function dutyWorkflow(input: DutyWorkflowInput): Promise<DutyStatusView> {
  const state: DutyState = 'resume' in input ? input.resume : initialDutyState(input.start, Date.now());
  if ('resume' in input) state.runs += 1;
  const mailroom = getExternalWorkflowHandle(mailroomWorkflowId(state.planId, state.year));
  const immediate: PlannedNotification[] = [];
  let changed = false;
  let continueAsNewRequested = false;

  setHandler(submitUpdate, (request) => {
    const receipt = applySubmission(state, request, Date.now());
    changed = true;
    return receipt;
  }, { validator: (request) => void validateSubmission(state, request) });

  setHandler(requestExtensionUpdate, (request) => {
    const record = applyExtensionRequest(state, request, Date.now());
    changed = true;
    return record;
  }, { validator: (request) => void validateExtensionRequest(state, request, Date.now()) });

  setHandler(decideExtensionUpdate, (decision) => {
    const { record, notification } = applyExtensionDecision(state, decision, Date.now());
    immediate.push(notification);
    changed = true;
    return record;
  }, { validator: (decision) => void validateExtensionDecision(state, decision) });

  setHandler(waiveUpdate, (request) => {
    const record = applyWaiver(state, request, Date.now());
    changed = true;
    return record;
  }, { validator: (request) => void validateWaiver(state, request) });

  setHandler(replaceScheduleSignal, (replacement) => {
    const summary = replaceSchedule(state, replacement, Date.now());
    log.info('schedule replaced', { duty: state.duty.id, ...summaryCounts(summary) });
    changed = true;
  });

  setHandler(forceContinueAsNewSignal, () => {
    continueAsNewRequested = true;
    changed = true;
  });

  setHandler(dutyStatusQuery, (filter) => statusView(state, Date.now(), filter ?? {}));

  let publishedAttributes = '';
  const publishSearchAttributes = (): void => {
    const nowMs = Date.now();
    const status = overallStatus(state, nowMs);
    const deadline = nextDeadline(state, nowMs);
    const units = [...state.duty.unitIds].sort();
    const fingerprint = JSON.stringify([status, deadline, units]);
    if (fingerprint === publishedAttributes) return;
    publishedAttributes = fingerprint;
    upsertSearchAttributes([
      { key: KEHOACH_STATUS, value: status },
      { key: KEHOACH_UNITS, value: units },
      { key: KEHOACH_NEXT_DEADLINE, value: deadline ? new Date(deadline) : null },
    ]);
  };

  const handOver = async (nowMs: number): Promise<void> => {
    const due = [...immediate, ...dueNotifications(state, nowMs)];
    if (due.length === 0) return;
    try {
      await mailroom.signal(enqueueMailSignal, handOverEnvelopes(due));
      immediate.length = 0;
      markSent(state, due);
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.error('mailroom unreachable; notifications stay queued', { duty: state.duty.id, error: String(err) });
    }
  };

  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    return continueAsNewRequested || info.continueAsNewSuggested || info.historyLength > state.settings.historyEventLimit;
  };

  try {
    for (;;) {
      const nowMs = Date.now();
      await handOver(nowMs);
      publishSearchAttributes();
      if (nowMs >= toMs(state.settings.closesAt)) break;
      if (historyTooLong()) {
        await condition(allHandlersFinished);
        if (immediate.length === 0 && !changed) {
          return await continueAsNew<typeof dutyWorkflow>({ resume: state });
        }
        changed = false;
        continue;
      }
      const wakeAtMs = Math.min(nextNotificationAt(state) ?? Infinity, toMs(state.settings.closesAt));
      changed = false;
      await condition(() => changed, Math.max(wakeAtMs - nowMs, MIN_WAIT_MS));
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    state.cancelled = true;
    await CancellationScope.nonCancellable(async () => {
      publishSearchAttributes();
    });
    return statusView(state, Date.now());
  }
  await condition(allHandlersFinished);
  return statusView(state, Date.now());
}

function summaryCounts(summary: { added: string[]; removed: string[]; changed: string[] }) {
  return { added: summary.added.length, removed: summary.removed.length, changed: summary.changed.length };
}
