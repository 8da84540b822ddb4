/**
 * The one thing activities need from a mail system. Two implementations: SMTP (production) and
 * the local outbox (no SMTP configured: messages become .eml files an operator can read).
 */
import type Mail from 'nodemailer/lib/mailer';
import type { Mailbox } from './mailbox';

export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface OutgoingMail {
  from: string;
  to: Mailbox[];
  subject: string;
  text: string;
  html: string;
  /** Including the angle brackets. */
  messageId: string;
  attachments: MailAttachment[];
}

export interface SendReport {
  accepted: string[];
  rejected: string[];
  /** The server's final reply, or where the outbox stored the message. */
  response: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  /** Resolves when the server (or the outbox) took the message; rejects with the transport's error. */
  send(mail: OutgoingMail): Promise<SendReport>;
  close(): Promise<void>;
}

/** RFC 3834: tells auto-responders not to answer, so out-of-office replies do not loop back. */
const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated', 'Content-Language': 'vi' };

export function toNodemailerMessage(mail: OutgoingMail): Mail.Options {
  return {
    from: mail.from,
    to: mail.to.map((box) => ({ name: box.name, address: box.address })),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: AUTOMATED_HEADERS,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
    })),
  };
}

export function addressesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) =>
    typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address ?? ''),
  );
}
