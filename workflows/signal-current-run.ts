/**
 * A signal to whatever run of a workflow is current, tried again after a durable pause when it
 * fails. Signalled by id alone, a workflow can be found closed for a moment: the run the signal
 * was resolved to has just continued as new, and Temporal's Java time-skipping server resolves the
 * run and delivers the signal in two steps, so a signal sent at that moment fails "not found"
 * although the next run is there. Duties close together at the end of the year, and so do their
 * reports to the plan, which continues as new when those reports grow its history: a duty whose
 * last report failed that way was shown "running" in the plan's final result.
 *
 * A workflow that is really gone (terminated by hand) is given up on after the last pause, and the
 * caller decides what that means.
 */
import { ApplicationFailure, type Duration } from '@temporalio/common';
import { getExternalWorkflowHandle, isCancellation, log, patched, sleep, type SignalDefinition } from '@temporalio/workflow';

export interface SignalRetry {
  /**
   * The change's marker in the workflow that sends the signal: runs recorded before retries
   * existed ended the signal at its first failure, and they replay so (asked for only on a failure).
   */
  patch: string;
  /** The pauses before each new try. */
  pauses: readonly Duration[];
}

/** The failure's type once the last try has failed (only in runs that try again at all). */
const SIGNAL_NOT_DELIVERED = 'SignalNotDelivered';

export function isSignalNotDelivered(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === SIGNAL_NOT_DELIVERED;
}

/** Sends `signal` to the current run of `workflowId`, trying again as `retry` says. */
export async function signalCurrentRun<Args extends unknown[]>(
  workflowId: string,
  signal: SignalDefinition<Args>,
  args: Args,
  retry: SignalRetry,
): Promise<void> {
  const handle = getExternalWorkflowHandle(workflowId);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await handle.signal(signal, ...args);
      return;
    } catch (err) {
      if (isCancellation(err) || !patched(retry.patch)) throw err;
      const pause = retry.pauses[attempt];
      if (pause === undefined) {
        throw ApplicationFailure.create({
          type: SIGNAL_NOT_DELIVERED,
          message: `signal ${signal.name} to ${workflowId} not delivered after ${attempt + 1} tries: ${String(err)}`,
          nonRetryable: true,
        });
      }
      log.info('signal not delivered; trying again', { workflowId, signal: signal.name, pause, error: String(err) });
      await sleep(pause);
    }
  }
}
