/**
 * The plan's single sender of mail. Duty workflows signal items; the mailroom bundles them into one
 * digest per (recipient, local day) after a short collection window and calls `sendDigest` once
 * per digest. The activity is idempotent per (plan, recipient, day, batch), so a retry after a
 * worker dies mid-send does not mail twice.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DigestInput, DigestResult } from '../activities/mail/types';
import { enqueue, initialMailroomState, nextFlushAt, recordOutcome, takeReadyDigests } from './mailroom-state';
import { closeMailroomSignal, enqueueMailSignal, forceContinueAsNewSignal, mailroomQuery, updateDirectorySignal } from './messages';
import type { MailroomInput, MailroomState, MailroomView, PendingDigest } from './types';

interface MailActivities {
  sendDigest(input: DigestInput): Promise<DigestResult>;
}

/** Transient SMTP trouble is retried with bounded exponential backoff (about 4 hours in all). */
const { sendDigest } = proxyActivities<MailActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    maximumAttempts: 8,
  },
});

export async function mailroomWorkflow(input: MailroomInput): Promise<MailroomView> {
  const state: MailroomState = 'resume' in input ? input.resume : initialMailroomState(input.start);
  if ('resume' in input) state.runs += 1;
  const seen = new Set(state.seenItemIds);
  let changed = false;
  let continueAsNewRequested = false;

  setHandler(enqueueMailSignal, (envelopes) => {
    if (enqueue(state, envelopes, Date.now(), seen) > 0) changed = true;
  });
  setHandler(updateDirectorySignal, (units) => {
    state.units = units;
  });
  setHandler(closeMailroomSignal, () => {
    state.closing = true;
    changed = true;
  });
  setHandler(forceContinueAsNewSignal, () => {
    continueAsNewRequested = true;
    changed = true;
  });
  setHandler(mailroomQuery, () => view(state));

  const deliver = async (pending: PendingDigest, input: DigestInput): Promise<void> => {
    let outcome: DigestResult | { outcome: 'failed'; reason: string };
    try {
      outcome = await sendDigest(input);
    } catch (err) {
      if (isCancellation(err)) throw err;
      outcome = { outcome: 'failed', reason: failureReason(err) };
      log.error('digest not delivered', { recipient: input.recipient.unitId, localDate: input.localDate, error: String(err) });
    }
    const reports = recordOutcome(state, pending, input.batch, outcome, Date.now());
    if (reports.length > 0) enqueue(state, reports, Date.now(), seen);
  };

  const flushReady = async (): Promise<void> => {
    const nowMs = Date.now();
    const { ready, undeliverable } = takeReadyDigests(state, nowMs);
    for (const pending of undeliverable) {
      const reports = recordOutcome(state, pending, 0, { outcome: 'failed', reason: 'đơn vị chưa có địa chỉ thư' }, nowMs);
      if (reports.length > 0) enqueue(state, reports, nowMs, seen);
    }
    await Promise.all(ready.map(({ pending, input: digest }) => deliver(pending, digest)));
  };

  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    return continueAsNewRequested || info.continueAsNewSuggested || info.historyLength > state.settings.historyEventLimit;
  };

  try {
    for (;;) {
      await flushReady();
      if (state.closing && state.pending.length === 0) break;
      if (historyTooLong()) {
        await condition(allHandlersFinished);
        state.seenItemIds = [...seen];
        return await continueAsNew<typeof mailroomWorkflow>({ resume: state });
      }
      const wakeAtMs = nextFlushAt(state);
      changed = false;
      if (wakeAtMs === undefined) await condition(() => changed);
      else await condition(() => changed, Math.max(wakeAtMs - Date.now(), 1));
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled with the plan: what was already collected still goes out.
    state.closing = true;
    await CancellationScope.nonCancellable(flushReady);
  }
  await condition(allHandlersFinished);
  return view(state);
}

function failureReason(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  // The activity marks input it can never send (an invalid digest) as non-retryable.
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return `thư không hợp lệ: ${cause.message}`;
  }
  return `máy chủ thư lỗi tạm thời, đã thử lại nhiều lần không thành công (${cause instanceof Error ? cause.message : String(cause)})`;
}

function view(state: MailroomState): MailroomView {
  return {
    pending: state.pending,
    deliveries: state.deliveries,
    failedDeliveries: state.deliveries.filter((d) => d.outcome === 'rejected' || d.outcome === 'failed'),
    runs: state.runs,
  };
}
