/**
 * One duty of the plan for the whole year, with the state of every (unit, period) inside it.
 * Loop: hand every notification whose instant has come to the mailroom, publish search attributes,
 * then sleep until the next instant or until a message changes the state.
 */
import type { TypedSearchAttributes } from '@temporalio/common';
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applyExtensionDecision,
  applyExtensionRequest,
  applySubmission,
  applyWaiver,
  submissionCount,
  dueNotifications,
  handOverEnvelopes,
  initialDutyState,
  markSent,
  dutyAttributes,
  type DutyAttributes,
  nextNotificationAt,
  nextStatusChangeAt,
  replaceSchedule,
  resumedDutyState,
  retire,
  statusView,
  validateDecisionSchedule,
  validateExtensionRequest,
  validateSubmission,
  validateWaiver,
} from './duty-state';
import { mailroomWorkflowId } from '../domain/keys/workflow-ids';
import { applyReportRequest, validateReportRequest } from './report-requests';
import { applySubmissionBatch, validateSubmissionBatch } from './submission-batch';
import { packDutyState } from './duty-pack';
import { historyBytesLimit } from './history-bounds';
import { packEnvelopes } from './mail-pack';
import { signalCurrentRun, type SignalRetry } from './signal-current-run';
import { toIso, toMs } from './instants';
import {
  decideExtensionUpdate,
  dutyStatusQuery,
  enqueueMailSignal,
  forceContinueAsNewSignal,
  dutyReportSignal,
  replaceScheduleSignal,
  replaceScheduleUpdate,
  requestExtensionUpdate,
  requestReportUpdate,
  retireSignal,
  submitManyUpdate,
  submitUpdate,
  waiveUpdate,
} from './messages';
import { KEHOACH_ALERT, KEHOACH_NEXT_DEADLINE, KEHOACH_STATUS, KEHOACH_UNITS } from './search-attributes';
import { refuse } from './refusal';
import type { DutyOverallStatus, DutyReport, DutyState, DutyStatusView, DutyWorkflowInput } from './types';

/**
 * The duty's patch markers (see README "Versioning"), every one older than
 * `DutyStart.startReportedByClient`: a duty started with that flag never ran the code before them,
 * so it takes each new branch without recording a marker, which the server would also index as a
 * search attribute (two markers and two such writes less at each duty's start: roll-outs ran 50.1
 * instead of 43.0 workflows/s). A marker added after the flag calls `patched()` for every duty.
 */
type DutyPatch =
  | 'duty-untracked-status'
  | 'duty-packed-handover'
  | 'duty-handover-backoff'
  | 'duty-history-bytes'
  | 'duty-report-submissions'
  | 'duty-wake-at-deadline';

/** A report to the plan is tried again; nothing waits for it but the plan's view of the duty. */
const REPORT_RETRY: SignalRetry = { patch: 'duty-report-retry', pauses: ['1 minute', '10 minutes'] };

/** Never wake more often than this. */
const MIN_WAIT_MS = 1_000;
/** Hand-overs to an unreachable mailroom are retried after 1, 2, 4 … minutes, at most 6 hours apart. */
export const HANDOVER_BACKOFF_FIRST_MS = 60_000;
export const HANDOVER_BACKOFF_MAX_MS = 6 * 3_600_000;

export async function dutyWorkflow(input: DutyWorkflowInput): Promise<DutyStatusView> {
  const state: DutyState = 'resume' in input ? resumedDutyState(input.resume) : initialDutyState(input.start, Date.now());
  if ('resume' in input) state.runs += 1;
  const since = (patch: DutyPatch): boolean => state.startReportedByClient === true || patched(patch);
  const mailroom = getExternalWorkflowHandle(mailroomWorkflowId(state.planId, state.year));
  let changed = false;
  let continueAsNewRequested = false;
  // Duties of a `planWorkflow` tell it what they run: after each new schedule, when retired, when
  // done, and at start unless the client that started them tells it (one signal for all duties
  // instead of one from each, and a workflow task less for each duty).
  let reportDue = !('resume' in input) && state.planWorkflowId !== undefined && state.startReportedByClient !== true;
  const reportToPlan = async (lifecycle: DutyReport['lifecycle']): Promise<void> => {
    if (!state.planWorkflowId) return;
    const submissions = submissionCount(state);
    try {
      const report = { dutyId: state.duty.id, lifecycle, ...(state.scheduleHash ? { scheduleHash: state.scheduleHash } : {}), submissions };
      await signalCurrentRun(state.planWorkflowId, dutyReportSignal, [report], REPORT_RETRY);
      state.reportedSubmissions = submissions;
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.warn('plan workflow not reachable for the report', { duty: state.duty.id, error: String(err) });
    }
  };

  setHandler(submitUpdate, (request) => {
    const receipt = applySubmission(state, request, Date.now());
    changed = true;
    return receipt;
  }, { validator: (request) => void validateSubmission(state, request, Date.now()) });

  // A new update, never in histories recorded before it: no patch marker needed (see README "Versioning").
  setHandler(submitManyUpdate, (requests) => {
    const receipts = applySubmissionBatch(state, requests, Date.now());
    changed = true;
    return receipts;
  }, { validator: (requests) => validateSubmissionBatch(state, requests, Date.now()) });

  setHandler(requestExtensionUpdate, (request) => {
    const record = applyExtensionRequest(state, request, Date.now());
    changed = true;
    return record;
  }, { validator: (request) => void validateExtensionRequest(state, request, Date.now()) });

  setHandler(decideExtensionUpdate, (decision) => {
    const record = applyExtensionDecision(state, decision, Date.now());
    changed = true;
    return record;
  }, { validator: (decision) => validateDecisionSchedule(state, decision) });

  setHandler(waiveUpdate, (request) => {
    const record = applyWaiver(state, request, Date.now());
    changed = true;
    return record;
  }, { validator: (request) => void validateWaiver(state, request) });

  // A new update, never in histories recorded before it: no patch marker needed (see README "Versioning").
  setHandler(requestReportUpdate, (request) => {
    const result = applyReportRequest(state, request, Date.now());
    if (result.added.length > 0) changed = true;
    return result;
  }, { validator: (request) => validateReportRequest(state, request, Date.now()) });

  setHandler(replaceScheduleSignal, (replacement) => {
    const summary = replaceSchedule(state, replacement, Date.now());
    log.info('schedule replaced', { duty: state.duty.id, ...summaryCounts(summary) });
    changed = true;
  });

  setHandler(replaceScheduleUpdate, (replacement) => {
    const summary = replaceSchedule(state, replacement, Date.now());
    log.info('schedule replaced', { duty: state.duty.id, ...summaryCounts(summary) });
    reportDue = true;
    changed = true;
    return summary;
  }, {
    validator: (_replacement) => {
      if (state.cancelled) refuse('cancelled', `Nhiệm vụ "${state.duty.title}" đã bị hủy, không nhận lịch mới.`);
    },
  });

  setHandler(retireSignal, () => {
    retire(state);
    log.info('duty removed from the plan; records kept', { duty: state.duty.id });
    reportDue = true;
    changed = true;
  });

  setHandler(forceContinueAsNewSignal, () => {
    continueAsNewRequested = true;
    changed = true;
  });

  setHandler(dutyStatusQuery, (filter) => statusView(state, Date.now(), filter ?? {}));

  // Duties started with their attributes publish only what differs from them; earlier duties
  // upserted everything at each run's first task, and their histories replay so.
  const startedWith = state.searchAttributesAtStart ? workflowInfo().typedSearchAttributes : undefined;
  let publishedAttributes = startedWith ? attributesFingerprint(startedAttributes(startedWith)) : '';
  let publishedAlert = startedWith?.get(KEHOACH_ALERT) !== undefined;
  const publishSearchAttributes = (): void => {
    const nowMs = Date.now();
    const attributes = dutyAttributes(state, nowMs);
    // Workflows that ran before untracked duties had their own status published 'completed'; their histories replay so.
    if (attributes.status === 'untracked' && !since('duty-untracked-status')) attributes.status = 'completed';
    const alert = state.alert?.code;
    const fingerprint = attributesFingerprint({ ...attributes, ...(alert ? { alert } : {}) });
    if (fingerprint === publishedAttributes) return;
    publishedAttributes = fingerprint;
    upsertSearchAttributes([
      { key: KEHOACH_STATUS, value: attributes.status },
      { key: KEHOACH_UNITS, value: attributes.units },
      { key: KEHOACH_NEXT_DEADLINE, value: attributes.nextDeadlineMs === undefined ? null : new Date(attributes.nextDeadlineMs) },
      ...(alert || publishedAlert ? [{ key: KEHOACH_ALERT, value: alert ?? null }] : []),
    ]);
    publishedAlert = alert !== undefined;
  };

  /** When a hand-over failed: the instant of the next try, backing off from a minute to six hours. */
  let retryHandOverAtMs: number | undefined;
  const handOver = async (nowMs: number): Promise<void> => {
    const due = dueNotifications(state, nowMs);
    if (due.length === 0) return;
    try {
      // Duties that ran before packing handed envelopes over whole; their histories replay so.
      const envelopes = handOverEnvelopes(due);
      await mailroom.signal(enqueueMailSignal, since('duty-packed-handover') ? packEnvelopes(envelopes) : envelopes);
      markSent(state, due);
      retryHandOverAtMs = undefined;
      if (state.alert) {
        log.info('mailroom reachable again', { duty: state.duty.id, since: state.alert.since });
        delete state.alert;
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.error('mailroom unreachable; notifications stay queued', { duty: state.duty.id, error: String(err) });
      // Workflows that ran before the back-off retried every second; their histories replay so.
      if (!since('duty-handover-backoff')) return;
      const attempts = (state.alert?.attempts ?? 0) + 1;
      state.alert = {
        code: 'mailroom-unreachable',
        since: state.alert?.since ?? toIso(nowMs),
        attempts,
        message: `Không chuyển được ${due.length} thông báo của nhiệm vụ sang bộ phận gửi thư (đã thử ${attempts} lần); thư sẽ được gửi ngay khi kết nối lại.`,
      };
      retryHandOverAtMs = nowMs + Math.min(HANDOVER_BACKOFF_FIRST_MS * 2 ** (attempts - 1), HANDOVER_BACKOFF_MAX_MS);
    }
  };

  const newSubmissionsToReport = (): boolean => {
    const from = state.settings.yearEndReportAt;
    if (!state.planWorkflowId || from === undefined || Date.now() < toMs(from)) return false;
    const submissions = submissionCount(state);
    // A state from before the count was kept: the plan learns of the next submission.
    state.reportedSubmissions ??= submissions;
    return submissions !== state.reportedSubmissions;
  };


  // Runs that began before the byte bound continued on events alone; they replay so.
  const boundBytes = since('duty-history-bytes');
  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    if (boundBytes && info.historySize > historyBytesLimit(state.settings)) return true;
    return continueAsNewRequested || info.continueAsNewSuggested || info.historyLength > state.settings.historyEventLimit;
  };

  try {
    for (;;) {
      const nowMs = Date.now();
      if (reportDue) {
        reportDue = false;
        await reportToPlan(state.retired ? 'removed' : 'running');
      } else if (newSubmissionsToReport() && since('duty-report-submissions')) {
        // The plan mails a newer year-end report after new submissions; duties that ran before
        // this told their plan only of their lifecycle, and their histories replay so.
        await reportToPlan(state.retired ? 'removed' : 'running');
      }
      await handOver(nowMs);
      publishSearchAttributes();
      if (nowMs >= toMs(state.settings.closesAt)) break;
      if (historyTooLong()) {
        await condition(allHandlersFinished);
        if (!changed) {
          return await continueAsNew<typeof dutyWorkflow>({ resume: packDutyState(state) });
        }
        changed = false;
        continue;
      }
      const nextMailMs = retryHandOverAtMs ?? nextNotificationAt(state) ?? Infinity;
      // Workflows that ran before waking at deadlines woke only for mail; their histories replay so.
      const statusChangeMs = since('duty-wake-at-deadline') ? nextStatusChangeAt(state, nowMs) ?? Infinity : Infinity;
      const wakeAtMs = Math.min(nextMailMs, statusChangeMs, toMs(state.settings.closesAt));
      changed = false;
      await condition(() => changed, Math.max(wakeAtMs - nowMs, MIN_WAIT_MS));
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    state.cancelled = true;
    await CancellationScope.nonCancellable(async () => {
      publishSearchAttributes();
      await reportToPlan('cancelled');
    });
    return finalView(state);
  }
  await condition(allHandlersFinished);
  await reportToPlan('completed');
  return finalView(state);
}

type PublishedAttributes = DutyAttributes & { alert?: string };

/** Equal for equal attributes, however they were read. */
function attributesFingerprint(a: Partial<PublishedAttributes>): string {
  return JSON.stringify([a.status, a.nextDeadlineMs ?? null, a.units, a.alert ?? null]);
}

/** The duty's attributes as the run started with them (absent ones read as nothing published). */
function startedAttributes(attributes: TypedSearchAttributes): Partial<PublishedAttributes> {
  const deadline = attributes.get(KEHOACH_NEXT_DEADLINE);
  const alert = attributes.get(KEHOACH_ALERT);
  return {
    status: attributes.get(KEHOACH_STATUS) as DutyOverallStatus | undefined,
    ...(deadline ? { nextDeadlineMs: deadline.getTime() } : {}),
    units: attributes.get(KEHOACH_UNITS),
    ...(alert ? { alert } : {}),
  };
}

/**
 * The workflow's result: the duty's overall status without its occurrences, which would grow with
 * units × periods (a monthly duty of 200 units: ~640 KB). The status query gives them, also once
 * the workflow has closed.
 */
function finalView(state: DutyState): DutyStatusView {
  return statusView(state, Date.now(), { withoutOccurrences: true });
}

function summaryCounts(summary: { added: string[]; removed: string[]; changed: string[] }) {
  return { added: summary.added.length, removed: summary.removed.length, changed: summary.changed.length };
}
