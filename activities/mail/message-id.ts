import { createHash } from 'node:crypto';
import type { DigestInput } from './types';

/**
 * The same (plan, year, recipient, local day, batch) always gets the same Message-ID, so a digest
 * sent again after a crash is recognisably the same message: many mail systems drop or thread a
 * duplicate Message-ID instead of showing it twice, and the delivery ledger is keyed by it.
 */
export function digestMessageId(input: DigestInput, senderDomain: string): string {
  const key = [input.planId, input.year, input.recipient.unitId, input.localDate, input.batch].join('|');
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}@kehoach.${senderDomain}>`;
}
