import nodemailer from 'nodemailer';
import { addressesOf, composeMessage, type Mailer } from './mailer';

export interface SmtpMailerOptions {
  /** Concurrent connections: the mailroom sends many digests at once at the morning flush, and
   * most servers refuse (421) a client that opens dozens of connections. */
  maxConnections?: number;
  /** Waits shorter than nodemailer's defaults (2 min to connect, 10 min idle): a stuck server
   * should fail the attempt well inside the activity timeout so Temporal can retry it. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

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
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.greetingTimeoutMs ?? 30_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
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
