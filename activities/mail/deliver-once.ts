/**
 * Exactly-once mail through the delivery ledger, for every mail the plan sends by itself (digests,
 * year-end report versions): the attempt claims the message in the ledger before any SMTP traffic
 * (a message already answered is not sent again; one another attempt is sending right now, on this
 * worker or another, waits until that claim is recorded or its lease ends), and records the
 * server's answer right after.
 *
 * One window remains: the worker dies after the server accepted the message but before the ledger
 * is written. Once the claim's lease ends, a retried attempt then sends again. That second copy
 * carries the same deterministic Message-ID, which most mail systems (Gmail, Exchange, and any
 * client threading by Message-ID) collapse into the first, so in practice the recipient sees one
 * message; closing the window entirely would need the mail server to take part in a transaction,
 * which SMTP does not offer.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { classifySmtpError } from './classify-smtp-error';
import type { DeliveryLedger, DeliveryRecord } from './delivery-ledger';
import type { SendReport } from './mailer';
import { MAIL_FAILURE_TYPES } from './types';

export interface ActivityLogger {
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
}

/** Temporal's activity logger (routed to the worker's logger) when running inside an activity. */
export const temporalActivityLogger: ActivityLogger = {
  info: (message, attrs) => Context.current().log.info(message, attrs),
  warn: (message, attrs) => Context.current().log.warn(message, attrs),
};

export interface OnceDelivery {
  ledger: DeliveryLedger;
  messageId: string;
  /** What the ledger keeps of the message besides the server's answer. */
  entry: Omit<DeliveryRecord, 'messageId' | 'status' | 'at' | 'response' | 'reason' | 'rejectedRecipients'>;
  /** The message in Vietnamese failures, lower case: "thư tới Tổ dân phố số 5". */
  mail: string;
  /** The message in log lines: "digest", "year-end report". */
  noun: string;
  log: ActivityLogger;
  /** Attributes of every log line about this message. */
  where: Record<string, unknown>;
}

export type OnceOutcome =
  /** The server answered an earlier attempt (sent or rejected): nothing was sent now. */
  | { outcome: 'answered'; record: DeliveryRecord }
  /** The server took it now; `at` is the instant recorded. */
  | { outcome: 'sent'; report: SendReport; at: string }
  /** The server refused it for good (5xx); recorded, never tried again. */
  | { outcome: 'rejected'; reason: string };

/**
 * Claims `delivery.messageId`, runs `send` (which hands the message to the mailer; what it does
 * before that runs under the claim) and records the answer. Throws a retryable `ApplicationFailure`
 * while another attempt holds the claim, when the server did not take the message (the claim is
 * given back first), and when the ledger cannot be read or written.
 */
export async function deliverOnce(delivery: OnceDelivery, send: () => Promise<SendReport>): Promise<OnceOutcome> {
  const { ledger, messageId, mail, noun, log, where } = delivery;
  const owner = attemptOwner();
  const claim = await ledgerStep(ledger.claim(messageId, owner), `Chưa gửi ${mail}: không đọc được sổ gửi thư`);
  if (claim.kind === 'answered') return { outcome: 'answered', record: claim.record };
  if (claim.kind === 'busy') {
    log.warn(`${noun} is being sent by another attempt, trying again after its claim`, { ...where, owner: claim.owner, leaseUntil: claim.leaseUntil });
    throw ApplicationFailure.create({
      message: `${upperFirst(mail)} đang được một tiến trình khác gửi; sẽ thử lại sau ${formatSeconds(claim.retryInMs)} giây nếu tiến trình đó không báo xong.`,
      type: MAIL_FAILURE_TYPES.digestBeingSent,
      nonRetryable: false,
      // Just after the other attempt's lease ends, not on the retry policy's schedule.
      nextRetryDelay: claim.retryInMs + 1_000,
      details: [{ owner: claim.owner, leaseUntil: claim.leaseUntil }],
    });
  }

  let report: SendReport;
  try {
    // A cancelled attempt sends nothing; one already sending finishes (bounded by the transport's
    // timeouts) so the ledger records what the server took.
    throwIfCancelled();
    report = await whileHeartbeating(send());
  } catch (err) {
    const failure = err instanceof CancelledFailure ? undefined : classifySmtpError(err);
    if (failure?.kind === 'permanent') {
      await ledgerStep(
        ledger.record({ ...delivery.entry, messageId, status: 'rejected', at: new Date().toISOString(), reason: failure.reason }),
        `Máy chủ thư từ chối ${mail} nhưng chưa ghi được vào sổ gửi thư`,
      );
      log.warn(`${noun} permanently rejected by the mail server`, { ...where, reason: failure.reason });
      return { outcome: 'rejected', reason: failure.reason };
    }
    // The server did not take it: the next attempt need not wait for this claim's lease.
    await ledger.release(messageId, owner).catch((releaseError: unknown) => {
      log.warn('could not give the claim back; the next attempt waits for its lease', { ...where, error: String(releaseError) });
    });
    if (!failure) throw err;
    throw ApplicationFailure.create({
      message: `Chưa gửi được ${mail} (sẽ thử lại): ${failure.reason}`,
      type: MAIL_FAILURE_TYPES.transientSmtp,
      nonRetryable: false,
      details: [{ code: failure.code ?? null }],
      cause: err instanceof Error ? err : undefined,
    });
  }

  const at = new Date().toISOString();
  await ledgerStep(
    ledger.record({
      ...delivery.entry,
      messageId,
      status: 'sent',
      at,
      response: report.response,
      ...(report.rejected.length > 0 ? { rejectedRecipients: report.rejected } : {}),
    }),
    // The window SMTP cannot close: the retry, once this claim's lease ends, sends it again.
    `Máy chủ thư đã nhận ${mail} nhưng chưa ghi được vào sổ gửi thư (lần thử lại có thể gửi lại thư này)`,
  );
  return { outcome: 'sent', report, at };
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
function attemptOwner(): string {
  const info = activityContext()?.info;
  const attempt = info ? `${info.workflowExecution?.workflowId ?? '-'}/${info.activityId}#${info.attempt}` : 'outside-activity';
  return `${hostname()}:${process.pid}:${attempt}:${randomUUID()}`;
}

function formatSeconds(ms: number): string {
  return String(Math.ceil(ms / 1000));
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The activity's Context, or undefined when called outside an activity (a benchmark, a script). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

function throwIfCancelled(): void {
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
