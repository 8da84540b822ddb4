import nodemailer from 'nodemailer';
import { addressesOf, composeMessage, type Mailer } from './mailer';

export interface SmtpMailerOptions {
  /** Concurrent connections: the mailroom sends many digests at once at the morning flush, and
   * most servers refuse (421) a client that opens dozens of connections. */
  maxConnections?: number;
  /** Waits shorter than nodemailer's defaults (2 min to connect, 10 min idle): a stuck server
   * fails the attempt (at most 15 + 15 + 30 s) well inside the activity's 2-minute start-to-close
   * timeout, so an attempt never outlives its timeout and overlaps its own retry. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export const SMTP_TIMEOUTS_MS = { connection: 15_000, greeting: 15_000, socket: 30_000 } as const;

/** `smtpUrl` like smtp://user:pass@mail.example.vn:587 or smtps://mail.example.vn:465. */
export function createSmtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    // A message whose connection broke mid-send may already have been accepted; resending it is
    // the activity's decision (after the ledger check), not the pool's.
    maxRequeues: 0,
    // Idle pooled sockets would otherwise hold a stopping worker process open for minutes.
    idleTimeout: 30_000,
    connectionTimeout: options.connectionTimeoutMs ?? SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: options.greetingTimeoutMs ?? SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: options.socketTimeoutMs ?? SMTP_TIMEOUTS_MS.socket,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      const info = await transport.sendMail(await composeMessage(mail));
      return {
        accepted: addressesOf(info.accepted),
        rejected: addressesOf(info.rejected),
        response: info.response ?? '',
      };
    },
    async close() {
      transport.close();
    },
  };
}
