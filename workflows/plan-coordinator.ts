/**
 * The plan of one year, as a coordinator: it never holds the plan's occurrences. Its input is the
 * plan's manifest (duties and the hash of the schedule each should run); the client starts the
 * mailroom and each duty with its own schedule slice, and every duty reports back what it runs.
 *
 * The plan keeps the amendments in order (one at a time, only once the previous one is applied
 * everywhere), retires duties an amendment removes, cancels every duty when the plan is
 * cancelled, closes the mailroom when all duties have finished, and continues-as-new with its small
 * state whenever its history grows. Duties are not its children, so continuing-as-new never
 * touches them.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { mailroomWorkflowId } from '../domain/keys/workflow-ids';
import { toMs } from './instants';
import { WakeTimer } from './wake-timer';
import { isSignalNotDelivered, signalCurrentRun, type SignalRetry } from './signal-current-run';
import { amendManifestUpdate, closeMailroomSignal, dutiesRunningSignal, dutyReportSignal, forceContinueAsNewSignal, planQuery, retireSignal } from './messages';
import {
  applyAmendment,
  applyReport,
  initialPlanState,
  isFinished,
  nextReportAt,
  planView,
  recordReportFailure,
  recordReportVersion,
  validateAmendment,
} from './plan-state';
import { KEHOACH_PLAN, KEHOACH_STATUS, KEHOACH_YEAR } from './search-attributes';
import type { AmendmentSummary, DutyReport, PlanInput, PlanManifest, PlanState, PlanYearResult } from './types';
import type { KehoachActivities } from '../activities';

/**
 * Building the report reads every duty and writes a .docx; mailing it is bounded like a digest.
 * A version the mail server keeps refusing is tried again at the next working day's mail time.
 */
const { publishYearEndReport } = proxyActivities<KehoachActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour', maximumAttempts: 8 },
});

/** Plans started before the year-end report existed never run its timers; see workflows/README.md. */
const YEAR_END_REPORT_PATCH = 'plan-year-end-report';

/** Nobody waits for the mailroom to close: the pauses can be long. */
const MAILROOM_CLOSE_RETRY: SignalRetry = { patch: 'plan-mailroom-close-retry', pauses: ['1 minute', '10 minutes'] };
/** An amendment's caller waits for the duties it removes to be told. */
const RETIRE_RETRY: SignalRetry = { patch: 'plan-retire-retry', pauses: ['1 second', '10 seconds'] };

/** After tracking closes, a duty that never reported is not waited for longer than this. */
const CLOSING_GRACE_MS = 2 * 86_400_000;

export async function planWorkflow(input: PlanInput): Promise<PlanYearResult> {
  const state: PlanState = 'resume' in input ? input.resume : initialPlanState(input.start);
  if ('resume' in input) state.runs += 1;
  const { planId, year } = state.manifest;
  const mailroom = mailroomWorkflowId(planId, year);
  let changed = false;
  /** The loop's wake-up at the report instant or when tracking closes (never cancelled: wake-timer.ts). */
  const wake = new WakeTimer(() => {
    changed = true;
  });
  let continueAsNewRequested = false;
  let amendmentQueue: Promise<unknown> = Promise.resolve();

  if (!('resume' in input)) {
    upsertSearchAttributes([
      { key: KEHOACH_PLAN, value: planId },
      { key: KEHOACH_YEAR, value: year },
      { key: KEHOACH_STATUS, value: 'running' },
    ]);
  }

  const applyReports = (reports: DutyReport[]): void => {
    for (const report of reports) applyReport(state, report, new Date().toISOString());
    changed = true;
  };
  setHandler(dutyReportSignal, (report) => applyReports([report]));
  // A new signal, never in histories recorded before it: no patch marker needed (see README "Versioning").
  setHandler(dutiesRunningSignal, applyReports);

  const amend = (next: PlanManifest): Promise<AmendmentSummary> => {
    const applied = amendmentQueue.then(async () => {
      const { summary, retire } = applyAmendment(state, next);
      for (const duty of retire) {
        await signalCurrentRun(duty.workflowId, retireSignal, [], RETIRE_RETRY).catch((err: unknown) => {
          // A removed duty that is not running (terminated by hand) sends nothing: it is removed.
          if (!isSignalNotDelivered(err)) throw err;
          log.warn('removed duty not reachable; it sends nothing while it is not running', { duty: duty.dutyId, error: String(err) });
        });
      }
      changed = true;
      return summary;
    });
    amendmentQueue = applied.catch(() => undefined);
    return applied;
  };
  setHandler(amendManifestUpdate, amend, { validator: (next) => validateAmendment(state, next) });
  setHandler(planQuery, () => planView(state, mailroom));
  setHandler(forceContinueAsNewSignal, () => {
    continueAsNewRequested = true;
    changed = true;
  });

  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    return continueAsNewRequested || info.continueAsNewSuggested || info.historyLength > state.manifest.settings.historyEventLimit;
  };
  const closedForGood = (): boolean => Date.now() >= toMs(state.manifest.settings.closesAt) + CLOSING_GRACE_MS;

  /** The next version's instant, for plans that mail their year-end report (a manifest that says so). */
  const reportDueAt = (): string | undefined => {
    if (!state.manifest.yearEndReport) return undefined;
    const at = nextReportAt(state);
    return at !== undefined && patched(YEAR_END_REPORT_PATCH) ? at : undefined;
  };

  /** Builds, stores and mails the next version; a failure waits for the next working day's mail time. */
  const publishReport = async (slot: string): Promise<void> => {
    const setup = state.manifest.yearEndReport;
    if (!setup) return;
    const versions = state.report?.versions ?? [];
    const last = versions[versions.length - 1];
    const version = versions.length + 1;
    // A plan started after its report date reports as of now, not of the date it missed.
    const asOf = new Date(Math.max(Date.now(), toMs(slot))).toISOString();
    try {
      const result = await publishYearEndReport({
        planId,
        year,
        title: state.manifest.title,
        timeZone: state.manifest.timeZone,
        version,
        asOf,
        ...(last ? { replaces: { version: last.version, asOf: last.asOf } } : {}),
        setup,
      });
      recordReportVersion(state, { version, asOf, ...result });
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.warn('year-end report not sent; trying again at the next working day', { version, error: String(err) });
      recordReportFailure(state, asOf);
    }
  };

  try {
    for (;;) {
      if (isFinished(state) || closedForGood()) break;
      if (historyTooLong()) {
        await condition(allHandlersFinished);
        await amendmentQueue;
        return await continueAsNew<typeof planWorkflow>({ resume: state });
      }
      const reportAt = reportDueAt();
      if (reportAt !== undefined && Date.now() >= toMs(reportAt)) {
        await publishReport(reportAt);
        continue;
      }
      changed = false;
      const closeMs = toMs(state.manifest.settings.closesAt) + CLOSING_GRACE_MS;
      const wakeMs = Math.max(Math.min(closeMs, reportAt === undefined ? Infinity : toMs(reportAt)), Date.now() + 1_000);
      // Runs that began before this waited with a cancellable timeout; they replay so.
      if (patched('plan-uncancelled-wake')) {
        wake.set(wakeMs);
        await condition(() => changed);
      } else await condition(() => changed, wakeMs - Date.now());
    }
    state.status = 'completed';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    state.status = 'cancelling';
  }
  await CancellationScope.nonCancellable(async () => {
    if (state.status === 'cancelling') {
      for (const duty of state.duties) {
        if (duty.finished || duty.lifecycle === 'completed' || duty.lifecycle === 'cancelled') continue;
        await getExternalWorkflowHandle(duty.workflowId)
          .cancel()
          .catch((err: unknown) => log.warn('duty already closed', { duty: duty.dutyId, error: String(err) }));
      }
      // Each duty records its final status and reports it; one that cannot is not waited for forever.
      await condition(() => state.duties.every((d) => d.finished || !['starting', 'running'].includes(d.lifecycle)), '1 hour');
      state.status = 'cancelled';
    }
    upsertSearchAttributes([{ key: KEHOACH_STATUS, value: state.status }]);
    await signalCurrentRun(mailroom, closeMailroomSignal, [], MAILROOM_CLOSE_RETRY).catch((err: unknown) => log.warn('mailroom already closed', { error: String(err) }));
    await condition(allHandlersFinished);
  });
  return {
    planId,
    year,
    status: state.status === 'completed' ? 'completed' : 'cancelled',
    duties: planView(state, mailroom).duties,
    amendments: state.amendments,
  };
}
