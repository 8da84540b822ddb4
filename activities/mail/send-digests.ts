/**
 * The `sendDigests` activity: the digests of one flush sent in one activity, one after another,
 * each through `sendDigest` (so each exactly once through the delivery ledger). A reminder
 * morning's dozens of digests per plan then cost the Temporal server a few activities instead of
 * dozens, which is most of what a morning burst of a whole city waits for.
 *
 * A digest that cannot be sent now is answered 'not-sent' with the reason, and so is every digest
 * after it once the mail server is in trouble (it is not asked again at once). Nothing here is
 * retried: the mailroom sends each 'not-sent' digest alone, where the single digest's retries and
 * the retries across working days apply unchanged.
 */
import { ApplicationFailure } from '@temporalio/common';
import { temporalActivityLogger, type ActivityLogger } from './deliver-once';
import type { BatchDigestResult, DigestInput, DigestResult } from './types';

export function createSendDigests(
  sendDigest: (input: DigestInput) => Promise<DigestResult>,
  logger: ActivityLogger = temporalActivityLogger,
): (inputs: DigestInput[]) => Promise<BatchDigestResult[]> {
  return async function sendDigests(inputs: DigestInput[]): Promise<BatchDigestResult[]> {
    const results: BatchDigestResult[] = [];
    let serverTrouble: string | undefined;
    for (const input of inputs) {
      if (serverTrouble !== undefined) {
        results.push({ outcome: 'not-sent', error: serverTrouble });
        continue;
      }
      try {
        results.push(await sendDigest(input));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        // An invalid digest concerns itself only; anything else (the server, the ledger) is likely
        // to fail the next digest too.
        const onlyThisDigest = err instanceof ApplicationFailure && err.nonRetryable;
        if (!onlyThisDigest) serverTrouble = error;
        logger.warn('digest of a batch not sent now; the mailroom sends it alone', {
          recipient: input.recipient.unitId,
          localDate: input.localDate,
          batch: input.batch,
          error,
        });
        results.push({ outcome: 'not-sent', error });
      }
    }
    return results;
  };
}
