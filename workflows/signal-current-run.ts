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
 * caller decides what that means, as it did when the first failure ended the signal.
 */
import { getExternalWorkflowHandle, isCancellation, log, patched, sleep, type SignalDefinition } from '@temporalio/workflow';

/** The pauses before each new try. */
export const SIGNAL_RETRY_PAUSES = ['1 minute', '10 minutes'] as const;

/**
 * Sends `signal` to the current run of `workflowId`. `patch` names the change for the workflow that
 * sends it: runs recorded before retries existed ended the signal at its first failure, and they
 * replay so (the marker is asked for only when a signal fails).
 */
export async function signalCurrentRun<Args extends unknown[]>(
  workflowId: string,
  signal: SignalDefinition<Args>,
  args: Args,
  patch: string,
): Promise<void> {
  const handle = getExternalWorkflowHandle(workflowId);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await handle.signal(signal, ...args);
      return;
    } catch (err) {
      const pause = SIGNAL_RETRY_PAUSES[attempt];
      if (isCancellation(err) || pause === undefined || !patched(patch)) throw err;
      log.info('signal not delivered; trying again', { workflowId, signal: signal.name, pause, error: String(err) });
      await sleep(pause);
    }
  }
}
