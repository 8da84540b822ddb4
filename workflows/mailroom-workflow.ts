/**
 * The plan's single sender of mail. Duty workflows signal items; the mailroom bundles them into one
 * digest per (recipient, local day) after a short collection window and sends a flush's digests
 * together (`sendDigests`, up to 20 per activity), or alone (`sendDigest`) when there is one or a
 * batch could not send it. Sending is idempotent per (plan, recipient, day, digest number), so a
 * retry after a worker dies mid-send does not mail twice.
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
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { KehoachActivities } from '../activities';
import type { BatchDigestResult, DigestInput, DigestResult } from '../activities/mail/types';
import { type PackedMailroomState, isPackedMailroomState, packMailroomState, unpackEnvelopes, unpackMailroomState } from './mail-pack';
import { historyBytesLimit } from './history-bounds';
import { RunBudget } from './run-budget';
import { utf8Length } from './utf8-length';
import { toIso, toMs } from './instants';
import { WakeTimer } from './wake-timer';
import {
  type ClosedGroupRule,
  DEFAULT_MAX_ITEMS_PER_DIGEST,
  enqueue,
  initialMailroomState,
  deliveryBatches,
  nextAttemptAt,
  nextFlushAt,
  outageOf,
  prune,
  type ReadyDigest,
  recordOutcome,
  seenSetOf,
  shedOldest,
  takeDueRetries,
  takeReadyDigests,
} from './mailroom-state';
import {
  closeMailroomSignal,
  enqueueMailSignal,
  failedDeliveriesQuery,
  forceContinueAsNewSignal,
  mailOutageQuery,
  mailroomQuery,
  updateDirectorySignal,
  updateMailSlotsSignal,
} from './messages';
import type { DeliveryRecord, MailEnvelope, MailroomInput, MailroomState, MailroomView, PendingDigest, WaitingDigest } from './types';
import { formatInstant } from './vietnamese-text';

/**
 * One attempt is bounded well inside the start-to-close timeout (the activity aborts its own send
 * first), heartbeats show it is alive and carry cancellation; transient trouble is retried for a
 * few minutes here, then the mailroom itself retries on working days (see `nextAttemptAt`).
 */
const { sendDigest } = proxyActivities<KehoachActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 4,
  },
});

/**
 * The digests of one flush travel together (see `deliveryBatches`); a batch is not retried as a
 * whole: what it did not send goes out alone, under the single digest's retries above. Each digest
 * is bounded like a single one and the batch starts no digest after the first sign of server
 * trouble, so a batch lasts its healthy sends plus at most the time of one slow failure.
 */
const { sendDigests } = proxyActivities<KehoachActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

export async function mailroomWorkflow(input: MailroomInput): Promise<MailroomView> {
  const state: MailroomState =
    'resume' in input ? (isPackedMailroomState(input.resume) ? unpackMailroomState(input.resume) : input.resume) : initialMailroomState(input.start);
  if ('resume' in input) state.runs += 1;
  // A state from before pruning gets its keys moved to today's bucket.
  state.seenByDay ??= {};
  const seen = seenSetOf(state, Date.now());
  let changed = false;
  let continueAsNewRequested = false;
  /** Deliveries under way, and the retries among them (they count as waiting for the outage view). */
  const inFlight = new Set<Promise<void>>();
  const retriesInFlight = new Set<WaitingDigest>();

  // Runs that began before closed windows let a held digest take any later item of its day.
  const closedGroups: ClosedGroupRule = () => (patched('mailroom-closed-window') ? 'stays-closed' : 'takes-late-items');
  const add = (envelopes: MailEnvelope[], nowMs: number): number => enqueue(state, envelopes, nowMs, seen, closedGroups);
  setHandler(enqueueMailSignal, (envelopes) => {
    if (add(unpackEnvelopes(envelopes), Date.now()) > 0) changed = true;
  });
  setHandler(updateDirectorySignal, (units) => {
    state.units = units;
  });
  setHandler(updateMailSlotsSignal, (slots) => {
    state.mailSlots = slots;
  });
  setHandler(closeMailroomSignal, () => {
    state.closing = true;
    changed = true;
  });
  setHandler(forceContinueAsNewSignal, () => {
    continueAsNewRequested = true;
    changed = true;
  });
  setHandler(mailroomQuery, () => view(state, [...retriesInFlight]));
  setHandler(mailOutageQuery, () => outageOf(state, [...retriesInFlight]) ?? null);
  setHandler(failedDeliveriesQuery, () => failedOf(state));

  const record = (pending: PendingDigest, batch: number, outcome: DigestResult | { outcome: 'failed'; reason: string }): void => {
    const reports = recordOutcome(state, pending, batch, outcome, Date.now());
    if (reports.length > 0) add(reports, Date.now());
  };

  const deliver = async (pending: PendingDigest, input: DigestInput, retry?: WaitingDigest): Promise<void> => {
    let outcome: DigestResult;
    try {
      outcome = await sendDigest(input);
    } catch (err) {
      if (isCancellation(err)) throw err;
      const permanent = isPermanent(err);
      log.error('digest not delivered', { recipient: input.recipient.unitId, localDate: input.localDate, permanent, error: String(err) });
      // Runs that began before retries across days recorded the failure at once; they replay so.
      if (!permanent && patched('mailroom-retry-across-days')) {
        const nowMs = Date.now();
        const attempts = (retry?.attempts ?? 0) + 1;
        const firstFailedAt = retry?.firstFailedAt ?? toIso(nowMs);
        const at = nextAttemptAt(state, toMs(firstFailedAt), attempts, nowMs);
        if (at !== undefined) {
          (state.waiting ??= []).push({ pending, batch: input.batch, attempts, firstFailedAt, nextAttemptAt: toIso(at), lastError: errorText(err) });
          return;
        }
        record(pending, input.batch, { outcome: 'failed', reason: exhaustedReason(err, attempts, firstFailedAt, state.settings.utcOffsetMinutes) });
        return;
      }
      record(pending, input.batch, { outcome: 'failed', reason: failureReason(err) });
      return;
    }
    record(pending, input.batch, outcome);
  };

  /** Each delivery runs on its own: one digest in retry never holds back the others. */
  const launch = (pending: PendingDigest, input: DigestInput, retry?: WaitingDigest): void => {
    if (retry) retriesInFlight.add(retry);
    const running: Promise<void> = CancellationScope.nonCancellable(() => deliver(pending, input, retry)).finally(() => {
      inFlight.delete(running);
      if (retry) retriesInFlight.delete(retry);
      changed = true;
    });
    inFlight.add(running);
  };

  /**
   * Several digests in one activity. A digest the batch did not send waits for an attempt of its
   * own at once (attempt 0: its retries across days start with that attempt's failure).
   */
  const deliverTogether = async (digests: ReadyDigest[]): Promise<void> => {
    let results: BatchDigestResult[];
    try {
      results = await sendDigests(digests.map((digest) => digest.input));
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.warn('digest batch failed; its digests go out alone', { digests: digests.length, error: String(err) });
      results = digests.map(() => ({ outcome: 'not-sent', error: errorText(err) }));
    }
    const nowIso = toIso(Date.now());
    digests.forEach(({ pending, input: digest }, i) => {
      const result = results[i] ?? { outcome: 'not-sent', error: 'không có kết quả gửi' };
      if (result.outcome !== 'not-sent') record(pending, digest.batch, result);
      else (state.waiting ??= []).push({ pending, batch: digest.batch, attempts: 0, firstFailedAt: nowIso, nextAttemptAt: nowIso, lastError: result.error });
    });
  };

  const launchTogether = (digests: ReadyDigest[]): void => {
    const running: Promise<void> = CancellationScope.nonCancellable(() => deliverTogether(digests)).finally(() => {
      inFlight.delete(running);
      changed = true;
    });
    inFlight.add(running);
  };

  /** Set when ready digests wait for the next run, which has room for them. */
  let runFull = false;
  const budget = new RunBudget(state.settings);
  const flushReady = async (): Promise<void> => {
    const nowMs = Date.now();
    prune(state, nowMs, seen);
    // Runs that began before bounded flushes launched every ready digest and due retry at once,
    // whole; they replay so.
    const hasWork = (state.closing && state.pending.length > 0) || (nextFlushAt(state) ?? Infinity) <= nowMs;
    const fits = hasWork && patched('mailroom-bounded-flush') ? budget.check(inFlight.size) : undefined;
    const { ready, undeliverable, held } = takeReadyDigests(
      state,
      nowMs,
      fits ? { maxItemsPerDigest: state.settings.maxItemsPerDigest ?? DEFAULT_MAX_ITEMS_PER_DIGEST, fits } : {},
    );
    if (held) runFull = true;
    for (const pending of undeliverable) {
      const reports = recordOutcome(state, pending, 0, { outcome: 'failed', reason: 'đơn vị chưa có địa chỉ thư' }, nowMs);
      if (reports.length > 0) add(reports, nowMs);
    }
    // Runs that began before concurrent deliveries waited for every digest of a flush together.
    if (ready.length > 0 && !patched('mailroom-concurrent-delivery')) {
      await Promise.all(ready.map(({ pending, input: digest }) => deliver(pending, digest)));
      return;
    }
    // Runs that began before batched delivery gave each digest an activity of its own.
    const batches = ready.length > 1 && patched('mailroom-batched-delivery') ? deliveryBatches(ready) : ready.map((digest) => [digest]);
    for (const batch of batches) {
      if (batch.length > 1) launchTogether(batch);
      else for (const { pending, input: digest } of batch) launch(pending, digest);
    }
    const retries = takeDueRetries(state, nowMs, fits);
    if (retries.held) runFull = true;
    for (const { retry, input: digest } of retries.due) launch(retry.pending, digest, retry);
  };

  /** The loop's wake-up at the next flush (workflows/wake-timer.ts says why it is never cancelled). */
  const wake = new WakeTimer(() => {
    changed = true;
  });

  // Runs that began before the byte bound continued on events alone; they replay so.
  const boundBytes = patched('mailroom-history-bytes');
  const historyTooLong = (): boolean => {
    const info = workflowInfo();
    if (boundBytes && info.historySize > historyBytesLimit(state.settings)) return true;
    return runFull || continueAsNewRequested || info.continueAsNewSuggested || info.historyLength > state.settings.historyEventLimit;
  };

  try {
    for (;;) {
      await flushReady();
      if (state.closing && state.pending.length === 0 && (state.waiting ?? []).length === 0 && inFlight.size === 0) break;
      if (historyTooLong()) {
        await Promise.all([...inFlight]);
        await condition(allHandlersFinished);
        // Runs that began before packing carried the state whole; they replay so.
        return await continueAsNew<typeof mailroomWorkflow>({ resume: patched('mailroom-packed-state') ? resumeState(state) : state });
      }
      const wakeAtMs = nextFlushAt(state);
      changed = false;
      if (wakeAtMs === undefined) await condition(() => changed);
      // Runs that began before these wake timers waited with a cancellable timeout; they replay so.
      else if (patched('mailroom-uncancelled-wake')) {
        wake.set(wakeAtMs);
        await condition(() => changed);
      }
      else await condition(() => changed, Math.max(wakeAtMs - Date.now(), 1));
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled with the plan: what was already collected still goes out.
    state.closing = true;
    await CancellationScope.nonCancellable(async () => {
      await flushReady();
      await Promise.all([...inFlight]);
      // What a batch could not send goes out alone, as each digest would have without batches.
      while (!runFull && (state.waiting ?? []).some((waiting) => waiting.attempts === 0)) {
        await flushReady();
        await Promise.all([...inFlight]);
      }
      await condition(allHandlersFinished);
    });
    // What this run had no room for goes out from the next one, which closes as soon as it is sent.
    if (runFull) return await continueAsNew<typeof mailroomWorkflow>({ resume: resumeState(state) });
  }
  await Promise.all([...inFlight]);
  await condition(allHandlersFinished);
  return view(state);
}

/** What the next run starts from stays well under Temporal's payload limits (see `shedOldest`). */
const RESUME_BYTES = 192 * 1024;

function resumeState(state: MailroomState): PackedMailroomState {
  let packed = packMailroomState(state);
  while (utf8Length(JSON.stringify(packed)) > RESUME_BYTES && shedOldest(state)) packed = packMailroomState(state);
  return packed;
}

function isPermanent(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}

function errorText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

function exhaustedReason(err: unknown, attempts: number, firstFailedAt: string, utcOffsetMinutes: number): string {
  return `máy chủ thư không nhận thư từ ${formatInstant(toMs(firstFailedAt), utcOffsetMinutes)}, đã thử lại ${attempts} đợt không thành công (${errorText(err)})`;
}

function failureReason(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  // The activity marks input it can never send (an invalid digest) as non-retryable.
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return `thư không hợp lệ: ${cause.message}`;
  }
  return `máy chủ thư lỗi tạm thời, đã thử lại nhiều lần không thành công (${cause instanceof Error ? cause.message : String(cause)})`;
}

function failedOf(state: MailroomState): DeliveryRecord[] {
  return state.deliveries.filter((d) => d.outcome === 'rejected' || d.outcome === 'failed');
}

function view(state: MailroomState, retriesInFlight: WaitingDigest[] = []): MailroomView {
  const outage = outageOf(state, retriesInFlight);
  return {
    pending: state.pending,
    deliveries: state.deliveries,
    failedDeliveries: failedOf(state),
    ...(outage ? { outage } : {}),
    runs: state.runs,
  };
}
