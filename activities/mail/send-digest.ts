/**
 * The `sendDigest` activity: one email per (recipient unit, local day, batch), sent exactly once
 * through the delivery ledger (deliver-once.ts).
 */
import { deliverOnce, temporalActivityLogger, type ActivityLogger } from './deliver-once';
import type { DeliveryLedger } from './delivery-ledger';
import type { Mailer } from './mailer';
import { domainOf, parseMailbox } from './mailbox';
import { digestMessageId } from '../../domain/keys/message-id';
import { renderDigest } from './render-digest';
import { type DigestInput, type DigestItem, type DigestItemKind, type DigestResult } from './types';
import { validateDigest } from './validate-digest';
import type { SubmissionLinks } from '../../domain/keys/submission-links';

export interface SendDigestDeps {
  mailer: Mailer;
  ledger: DeliveryLedger;
  links: SubmissionLinks;
  /** 'Name <address@domain>' */
  from: string;
  logger?: ActivityLogger;
}

export function createSendDigest(deps: SendDigestDeps): (input: DigestInput) => Promise<DigestResult> {
  const sender = parseMailbox(deps.from);
  const senderDomain = domainOf(sender);
  const log = deps.logger ?? temporalActivityLogger;

  return async function sendDigest(rawInput: DigestInput): Promise<DigestResult> {
    const input = validateDigest(rawInput);
    const messageId = digestMessageId(input, senderDomain);
    const where = { messageId, recipient: input.recipient.unitId, localDate: input.localDate, batch: input.batch };

    // The supervising office organises the plan's meetings: calendar answers (to ORGANIZER) and
    // plain replies (Reply-To) reach its mailbox, not the unattended sender.
    const office = input.organizer;
    const rendered = renderDigest(input, {
      organizer: office ?? sender,
      linkFor: (item: DigestItem) =>
        deps.links.linkFor({
          planId: input.planId,
          year: input.year,
          occurrenceKey: item.occurrenceKey,
          unitId: item.unitId,
        }),
      feedLink: deps.links.feedLinkFor({ planId: input.planId, year: input.year, unitId: input.recipient.unitId }),
    });
    const to = input.recipient.emails.map((address) => ({ name: input.recipient.name, address }));
    const ledgerBase = {
      planId: input.planId,
      recipientUnitId: input.recipient.unitId,
      localDate: input.localDate,
      batch: input.batch,
      to: input.recipient.emails,
      year: input.year,
      recipientName: input.recipient.name,
      items: input.items.map((item) => ({
        id: item.id,
        kind: item.kind,
        occurrenceKey: item.occurrenceKey,
        dutyId: item.dutyId,
        unitId: item.unitId,
        ...(item.level !== undefined ? { level: item.level } : {}),
      })),
    };

    const delivered = await deliverOnce(
      { ledger: deps.ledger, messageId, entry: ledgerBase, mail: `thư tới ${input.recipient.name}`, noun: 'digest', log, where },
      () => deps.mailer.send({ from: sender, to, ...(office ? { replyTo: office } : {}), messageId, ...rendered }),
    );
    if (delivered.outcome === 'answered') {
      if (delivered.record.status === 'rejected') return { outcome: 'rejected', messageId, reason: delivered.record.reason ?? '' };
      log.info('digest already sent, not sending again', where);
      return { outcome: 'already-sent', messageId };
    }
    if (delivered.outcome === 'rejected') return { outcome: 'rejected', messageId, reason: delivered.reason };
    const { report } = delivered;
    log.info('digest sent', { ...where, kinds: kindCounts(input.items), via: deps.mailer.kind });
    if (report.rejected.length > 0) {
      log.warn('some addresses of the unit were refused', { ...where, rejected: report.rejected });
      return { outcome: 'sent', messageId, rejectedRecipients: report.rejected };
    }
    return { outcome: 'sent', messageId };
  };
}

function kindCounts(items: DigestItem[]): Partial<Record<DigestItemKind, number>> {
  const counts: Partial<Record<DigestItemKind, number>> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
