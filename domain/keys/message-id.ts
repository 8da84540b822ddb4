import { createHash } from 'node:crypto';

/** What names a digest: the part of the mailroom's digest input its Message-ID is built from. */
export interface DigestIdentity {
  planId: string;
  year: number;
  recipient: { unitId: string };
  localDate: string;
  items: readonly { id: string }[];
}

const MESSAGE_ID = /^<([0-9a-f]{32})@kehoach\.([^<>@\s]+)>$/;

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
export function digestMessageId(input: DigestIdentity, senderDomain: string): string {
  const itemIds = input.items.map((item) => item.id).sort();
  const key = JSON.stringify([input.planId, input.year, input.recipient.unitId, input.localDate, itemIds]);
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}@kehoach.${senderDomain}>`;
}

/** The parts of a Message-ID made by `digestMessageId`; undefined for any other. */
export function parseDigestMessageId(messageId: string): { digest: string; senderDomain: string } | undefined {
  const match = MESSAGE_ID.exec(messageId);
  return match ? { digest: match[1]!, senderDomain: match[2]! } : undefined;
}

/** The embedded delivery ledger's file name stem: '<abc@kehoach.x.vn>' → 'abc@kehoach.x.vn'; anything outside a safe set becomes '_'. */
export function ledgerFileStem(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_');
}
