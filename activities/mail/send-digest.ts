/**
 * The `sendDigest` activity: one email per (recipient unit, local day, batch).
 *
 * Exactly-once, as far as email allows: the attempt claims the digest in the delivery ledger before
 * any SMTP traffic (an answered digest is not sent again; one another attempt is sending right now,
 * on this worker or another, waits until that claim is recorded or its lease ends), and records the
 * server's answer right after. One window remains: the worker dies after the server accepted the
 * message but before the ledger is written. Once the claim's lease ends, a retried attempt then
 * sends again. That second copy carries the same deterministic Message-ID, which most mail systems
 * (Gmail, Exchange, and any client threading by Message-ID) collapse into the first, so in
 * practice the unit sees one message; closing the window entirely would need the mail server to
 * take part in a transaction, which SMTP does not offer.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { classifySmtpError } from './classify-smtp-error';
import type { DeliveryLedger } from './delivery-ledger';
import type { Mailer } from './mailer';
import { domainOf, parseMailbox } from './mailbox';
import { digestMessageId } from '../../domain/keys/message-id';
import { renderDigest } from './render-digest';
import { MAIL_FAILURE_TYPES, type DigestInput, type DigestItem, type DigestItemKind, type DigestResult } from './types';
import { validateDigest } from './validate-digest';
import type { SubmissionLinks } from '../../domain/keys/submission-links';

export interface ActivityLogger {
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
}

export interface SendDigestDeps {
  mailer: Mailer;
  ledger: DeliveryLedger;
  links: SubmissionLinks;
  /** 'Name <address@domain>' */
  from: string;
  logger?: ActivityLogger;
}

/** Temporal's activity logger (routed to the worker's logger) when running inside an activity. */
const temporalActivityLogger: ActivityLogger = {
  info: (message, attrs) => Context.current().log.info(message, attrs),
  warn: (message, attrs) => Context.current().log.warn(message, attrs),
};

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
      messageId,
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

    const owner = attemptOwner();
    const claim = await ledgerStep(deps.ledger.claim(messageId, owner), `Chưa gửi thư tới ${input.recipient.name}: không đọc được sổ gửi thư`);
    if (claim.kind === 'answered') {
      if (claim.record.status === 'rejected') return { outcome: 'rejected', messageId, reason: claim.record.reason ?? '' };
      log.info('digest already sent, not sending again', where);
      return { outcome: 'already-sent', messageId };
    }
    if (claim.kind === 'busy') {
      log.warn('digest is being sent by another attempt, trying again after its claim', { ...where, owner: claim.owner, leaseUntil: claim.leaseUntil });
      throw ApplicationFailure.create({
        message: `Thư tới ${input.recipient.name} đang được một tiến trình khác gửi; sẽ thử lại sau ${formatSeconds(claim.retryInMs)} giây nếu tiến trình đó không báo xong.`,
        type: MAIL_FAILURE_TYPES.digestBeingSent,
        nonRetryable: false,
        // Just after the other attempt's lease ends, not on the retry policy's schedule.
        nextRetryDelay: claim.retryInMs + 1_000,
        details: [{ owner: claim.owner, leaseUntil: claim.leaseUntil }],
      });
    }

    let report;
    try {
      // A cancelled attempt sends nothing; one already sending finishes (bounded by the transport's
      // timeouts) so the ledger records what the server took.
      throwIfCancelled();
      report = await whileHeartbeating(deps.mailer.send({ from: sender, to, ...(office ? { replyTo: office } : {}), messageId, ...rendered }));
    } catch (err) {
      const failure = err instanceof CancelledFailure ? undefined : classifySmtpError(err);
      if (failure?.kind === 'permanent') {
        await ledgerStep(
          deps.ledger.record({ ...ledgerBase, status: 'rejected', at: new Date().toISOString(), reason: failure.reason }),
          `Máy chủ thư từ chối thư tới ${input.recipient.name} nhưng chưa ghi được vào sổ gửi thư`,
        );
        log.warn('digest permanently rejected by the mail server', { ...where, reason: failure.reason });
        return { outcome: 'rejected', messageId, reason: failure.reason };
      }
      // The server did not take it: the next attempt need not wait for this claim's lease.
      await deps.ledger.release(messageId, owner).catch((releaseError: unknown) => {
        log.warn('could not give the claim back; the next attempt waits for its lease', { ...where, error: String(releaseError) });
      });
      if (!failure) throw err;
      throw ApplicationFailure.create({
        message: `Chưa gửi được thư tới ${input.recipient.name} (sẽ thử lại): ${failure.reason}`,
        type: MAIL_FAILURE_TYPES.transientSmtp,
        nonRetryable: false,
        details: [{ code: failure.code ?? null }],
        cause: err instanceof Error ? err : undefined,
      });
    }

    await ledgerStep(
      deps.ledger.record({
        ...ledgerBase,
        status: 'sent',
        at: new Date().toISOString(),
        response: report.response,
        ...(report.rejected.length > 0 ? { rejectedRecipients: report.rejected } : {}),
      }),
      // The window SMTP cannot close: the retry, once this claim's lease ends, sends it again.
      `Máy chủ thư đã nhận thư tới ${input.recipient.name} nhưng chưa ghi được vào sổ gửi thư (lần thử lại có thể gửi lại thư này)`,
    );
    log.info('digest sent', { ...where, kinds: kindCounts(input.items), via: deps.mailer.kind });
    if (report.rejected.length > 0) {
      log.warn('some addresses of the unit were refused', { ...where, rejected: report.rejected });
      return { outcome: 'sent', messageId, rejectedRecipients: report.rejected };
    }
    return { outcome: 'sent', messageId };
  };
}

const HEARTBEAT_EVERY_MS = 10_000;

/**
 * A ledger that cannot be reached (database down, disk full) fails the attempt retryably with a
 * Vietnamese message: the office page shows the last error of a digest that waits.
 */
export async function ledgerStep<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    throw ApplicationFailure.create({
      message: `${what} (sẽ thử lại): ${err instanceof Error ? err.message : String(err)}`,
      type: MAIL_FAILURE_TYPES.ledgerUnavailable,
      nonRetryable: false,
      cause: err instanceof Error ? err : undefined,
    });
  }
}

/** Who holds a claim: this attempt, named so an operator can find its worker. */
export function attemptOwner(): string {
  const info = activityContext()?.info;
  const attempt = info ? `${info.workflowExecution?.workflowId ?? '-'}/${info.activityId}#${info.attempt}` : 'outside-activity';
  return `${hostname()}:${process.pid}:${attempt}:${randomUUID()}`;
}

function formatSeconds(ms: number): string {
  return String(Math.ceil(ms / 1000));
}

/** The activity's Context, or undefined when called outside an activity (a benchmark, a script). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export function throwIfCancelled(): void {
  const context = activityContext();
  if (context?.cancellationSignal.aborted) throw new CancelledFailure('Đã hủy trước khi gửi thư');
}

/** Heartbeats while `work` runs, so a stuck or dead worker is noticed within the heartbeat timeout. */
export async function whileHeartbeating<T>(work: Promise<T>): Promise<T> {
  const context = activityContext();
  if (!context) return work;
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

function kindCounts(items: DigestItem[]): Partial<Record<DigestItemKind, number>> {
  const counts: Partial<Record<DigestItemKind, number>> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
