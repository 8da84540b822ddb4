/**
 * The `sendDigests` activity: the digests of one flush sent in one activity, each through
 * `sendDigest` (so each exactly once through the delivery ledger), a few at a time. A reminder
 * morning's dozens of digests per plan then cost the Temporal server a few activities instead of
 * dozens, which is most of what a morning burst of a whole city waits for.
 *
 * A digest that cannot be sent now is answered 'not-sent' with the reason, and so is every digest
 * not yet begun once the mail server is in trouble (it is not asked again at once). Nothing here is
 * retried: the mailroom sends each 'not-sent' digest alone, where the single digest's retries and
 * the retries across working days apply unchanged.
 */
import { ApplicationFailure } from '@temporalio/common';
import { temporalActivityLogger, type ActivityLogger } from './deliver-once';
import type { BatchDigestResult, DigestInput, DigestResult } from './types';

export interface SendDigestsOptions {
  logger?: ActivityLogger;
  /**
   * Digests of a batch under way at once (4 by default): their ledger and file writes overlap. One
   * sends them strictly one after another (the crash tests, which kill a worker at a known digest).
   */
  atOnce?: number;
}

export const DIGESTS_AT_ONCE = 4;

export function createSendDigests(
  sendDigest: (input: DigestInput) => Promise<DigestResult>,
  options: SendDigestsOptions = {},
): (inputs: DigestInput[]) => Promise<BatchDigestResult[]> {
  const logger = options.logger ?? temporalActivityLogger;
  const atOnce = Math.max(1, options.atOnce ?? DIGESTS_AT_ONCE);
  return async function sendDigests(inputs: DigestInput[]): Promise<BatchDigestResult[]> {
    const results: BatchDigestResult[] = new Array(inputs.length);
    let serverTrouble: string | undefined;
    let next = 0;
    const sendNext = async (): Promise<void> => {
      while (next < inputs.length) {
        const index = next++;
        const input = inputs[index] as DigestInput;
        if (serverTrouble !== undefined) {
          results[index] = { outcome: 'not-sent', error: serverTrouble };
          continue;
        }
        try {
          results[index] = await sendDigest(input);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          // An invalid digest concerns itself only; anything else (the server, the ledger) is
          // likely to fail the next digest too.
          const onlyThisDigest = err instanceof ApplicationFailure && err.nonRetryable;
          if (!onlyThisDigest) serverTrouble ??= error;
          logger.warn('digest of a batch not sent now; the mailroom sends it alone', {
            recipient: input.recipient.unitId,
            localDate: input.localDate,
            batch: input.batch,
            error,
          });
          results[index] = { outcome: 'not-sent', error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(atOnce, inputs.length) }, sendNext));
    return results;
  };
}
