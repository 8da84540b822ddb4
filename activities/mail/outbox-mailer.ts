/**
 * The local outbox: with no SMTP server configured, every message is rendered exactly as it would
 * be sent and kept in `${dataDir}/outbox/` as `<id>.eml` (the raw RFC 5322 message) plus
 * `<id>.json` (the index entry: who, what, when, and the plain-text part so the CLI can show it
 * without a MIME parser). Ids start with the UTC time, so file names sort by time. A running system
 * waits for both files (`createOutboxMailer`); a simulated year writes them behind
 * (`createWriteBehindOutboxMailer`).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { composeMessage, type Mailer, type OutgoingMail, type SendReport } from './mailer';
import { writeFilesAtomic } from '../../config/write-file-atomic';
import { namesIn } from '../../config/data-dir';

export interface OutboxEntry {
  id: string;
  /** ISO UTC, when the message was written. */
  createdAt: string;
  messageId: string;
  from: string;
  to: { name: string; address: string }[];
  subject: string;
  attachments: string[];
  text: string;
  emlFile: string;
}

export interface OutboxMessage {
  entry: OutboxEntry;
  raw: string;
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

/** '2026-03-20T01:02:03.456Z' + messageId → '20260320-010203-456-<8 hex>'. */
function outboxId(createdAt: string, messageId: string): string {
  const stamp = createdAt.replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `${stamp}-${createHash('sha256').update(messageId).digest('hex').slice(0, 8)}`;
}

/**
 * The composed message as the outbox keeps it, with unix line ends: byte for byte what nodemailer's
 * stream transport with `newline: 'unix'` gives (it drops every carriage return), without
 * streaming each message through nodemailer a second time.
 */
export function withUnixNewlines(raw: Buffer): Buffer {
  const CR = 0x0d;
  let from = raw.indexOf(CR);
  if (from < 0) return raw;
  const parts: Buffer[] = [];
  let start = 0;
  while (from >= 0) {
    parts.push(raw.subarray(start, from));
    start = from + 1;
    from = raw.indexOf(CR, start);
  }
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}

/** A message as the outbox keeps it: its index entry and the two files to write, `.eml` first. */
async function outboxFiles(dir: string, mail: OutgoingMail, createdAt: string): Promise<{ emlFile: string; files: { file: string; data: string | Buffer }[] }> {
  const message = withUnixNewlines((await composeMessage(mail)).raw);
  const id = outboxId(createdAt, mail.messageId);
  const entry: OutboxEntry = {
    id,
    createdAt,
    messageId: mail.messageId,
    from: mail.from.name ? `${mail.from.name} <${mail.from.address}>` : mail.from.address,
    to: mail.to,
    subject: mail.subject,
    attachments: [...(mail.calendar ? [mail.calendar.filename] : []), ...mail.attachments.map((a) => a.filename)],
    text: mail.text,
    emlFile: `${id}.eml`,
  };
  // Written together, placed .eml first: an index entry must never point at a message that is not there.
  const emlFile = path.join(dir, entry.emlFile);
  return {
    emlFile,
    files: [
      { file: emlFile, data: message },
      { file: path.join(dir, `${id}.json`), data: `${JSON.stringify(entry, null, 2)}\n` },
    ],
  };
}

function outboxReport(mail: OutgoingMail, emlFile: string): SendReport {
  return { accepted: mail.to.map((box) => box.address), rejected: [], response: `outbox ${emlFile}` };
}

/** The outbox of a running system: a message is taken once both its files are on disk. */
export function createOutboxMailer(dataDir: string, now: () => Date = () => new Date()): Mailer {
  const dir = outboxDir(dataDir);
  return {
    kind: 'outbox',
    async send(mail) {
      const { emlFile, files } = await outboxFiles(dir, mail, now().toISOString());
      await writeFilesAtomic(files);
      return outboxReport(mail, emlFile);
    },
    async close() {},
  };
}

/**
 * The outbox of a simulated year (`kehoach simulate`): a message is taken once composed, and its
 * files are written behind, each pair still atomically and `.eml` first; `close()` resolves when
 * every file is on disk and rejects with the failure of the first message (in send order) whose
 * files could not be written. Only for a run that starts
 * afresh when it fails: a message is counted sent before its files land.
 *
 * Why: the time-skipping server holds the simulated clock while an activity is out, so each file
 * write of a year's 1 173 messages (a few milliseconds each on a virtual disk) was waited for in turn.
 */
export function createWriteBehindOutboxMailer(dataDir: string, now: () => Date = () => new Date()): Mailer {
  const dir = outboxDir(dataDir);
  const writes: Promise<void>[] = [];
  return {
    kind: 'outbox',
    async send(mail) {
      const { emlFile, files } = await outboxFiles(dir, mail, now().toISOString());
      const write = writeFilesAtomic(files);
      write.catch(() => {}); // reported by close()
      writes.push(write);
      return outboxReport(mail, emlFile);
    },
    async close() {
      const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** Oldest first. */
export async function listOutbox(dataDir: string): Promise<OutboxEntry[]> {
  const dir = outboxDir(dataDir);
  const names = await namesIn(dir);
  const indexFiles = names.filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    indexFiles.map(async (name) => JSON.parse(await readFile(path.join(dir, name), 'utf8')) as OutboxEntry),
  );
}

export type OutboxLookup =
  | { found: true; message: OutboxMessage }
  | { found: false; candidates: string[] };

/** Accepts a full id or any unambiguous part of one (e.g. the hash at its end). */
export async function readOutboxMessage(dataDir: string, idOrPart: string): Promise<OutboxLookup> {
  const entries = await listOutbox(dataDir);
  const exact = entries.find((entry) => entry.id === idOrPart);
  const matches = exact ? [exact] : entries.filter((entry) => idOrPart !== '' && entry.id.includes(idOrPart));
  const [only] = matches;
  if (matches.length !== 1 || only === undefined) {
    return { found: false, candidates: matches.map((entry) => entry.id) };
  }
  const raw = await readFile(path.join(outboxDir(dataDir), only.emlFile), 'utf8');
  return { found: true, message: { entry: only, raw } };
}
