/**
 * The one thing activities need from a mail system. Two implementations: SMTP (production) and
 * the local outbox (no SMTP configured: messages become .eml files an operator can read).
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { addressHeader } from './address-header';
import type { Mailbox } from './mailbox';

export interface MailAttachment {
  filename: string;
  /** Text (an .ics) or bytes (a .docx). */
  content: string | Buffer;
  contentType: string;
}

/** An iMIP calendar request (RFC 6047): shown by mail clients as a meeting to accept or decline. */
export interface MailCalendarRequest {
  filename: string;
  /** A METHOD:REQUEST iCalendar object. */
  content: string;
}

export interface OutgoingMail {
  from: Mailbox;
  to: Mailbox[];
  /** Where replies go when not to the sender (the plan's supervising office). */
  replyTo?: Mailbox;
  subject: string;
  text: string;
  html: string;
  /** Including the angle brackets. */
  messageId: string;
  /** The text/calendar alternative of the text and HTML parts (with a copy attached as a file). */
  calendar?: MailCalendarRequest;
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

export interface ComposedMessage {
  envelope: { from: string; to: string[] };
  /** The whole RFC 5322 message, CRLF line ends. */
  raw: Buffer;
}

/** RFC 3834: tells auto-responders not to answer, so out-of-office replies do not loop back. */
const AUTOMATED_HEADERS = { 'Auto-Submitted': 'auto-generated', 'Content-Language': 'vi' };

/**
 * The message as it goes on the wire. nodemailer builds the MIME tree: with a calendar request,
 * multipart/mixed( multipart/alternative(text/plain, text/html, text/calendar; method=REQUEST),
 * application/ics copy, other attachments ), the layout Outlook and Gmail show as a meeting.
 * The address headers are then replaced by ours (address-header.ts), which every common parser
 * reads back with the names intact.
 */
export async function composeMessage(mail: OutgoingMail): Promise<ComposedMessage> {
  const composer = new MailComposer({
    from: mail.from.address,
    to: mail.to.map((box) => box.address),
    ...(mail.replyTo ? { replyTo: mail.replyTo.address } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: AUTOMATED_HEADERS,
    ...(mail.calendar
      ? { icalEvent: { method: 'REQUEST', filename: mail.calendar.filename, content: mail.calendar.content } }
      : {}),
    attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
  });
  const built = await composer.compile().build();
  const raw = built.toString('latin1');
  const headerEnd = raw.indexOf('\r\n\r\n');
  const ours = new Map<string, string>([
    ['from', addressHeader('From', [mail.from])],
    ['to', addressHeader('To', mail.to)],
    ...(mail.replyTo ? ([['reply-to', addressHeader('Reply-To', [mail.replyTo])]] as const) : []),
  ]);
  const fields = raw.slice(0, headerEnd).split(/\r\n(?![ \t])/);
  const headers = fields.map((field) => ours.get(field.slice(0, field.indexOf(':')).toLowerCase()) ?? field);
  return {
    envelope: { from: mail.from.address, to: mail.to.map((box) => box.address) },
    raw: Buffer.concat([Buffer.from(headers.join('\r\n'), 'latin1'), built.subarray(headerEnd)]),
  };
}

export function addressesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) =>
    typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address ?? ''),
  );
}
