import { createHash } from 'node:crypto';
import type { DigestInput } from './types';

/**
 * The same (plan, year, recipient, local day, items) always gets the same Message-ID, so a digest
 * sent again after a crash is recognisably the same message: many mail systems drop or thread a
 * duplicate Message-ID instead of showing it twice, and the delivery ledger is keyed by it.
 *
 * The key names the items, not a batch number: batch numbers start again in a new mailroom (a plan
 * cancelled and started again the same day), and a different digest must never be taken for one
 * already sent. The same items to the same unit on the same day are the same message, whichever
 * mailroom sends them.
 */
export function digestMessageId(input: DigestInput, senderDomain: string): string {
  const itemIds = input.items.map((item) => item.id).sort();
  const key = JSON.stringify([input.planId, input.year, input.recipient.unitId, input.localDate, itemIds]);
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}@kehoach.${senderDomain}>`;
}
