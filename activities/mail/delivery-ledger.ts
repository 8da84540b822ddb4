/**
 * What has already been handed to the mail server, one JSON file per Message-ID in
 * `${dataDir}/deliveries/`. `sendDigest` consults it before talking SMTP, so an activity retried
 * after the worker died between "server accepted" and "activity completed" does not send twice.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './write-file-atomic';

export interface DeliveryRecord {
  messageId: string;
  status: 'sent' | 'rejected';
  /** ISO UTC, when the server answered. */
  at: string;
  planId: string;
  recipientUnitId: string;
  localDate: string;
  batch: number;
  to: string[];
  /** The server's final reply for a sent message. */
  response?: string;
  /** Why the server refused the message for good. */
  reason?: string;
  rejectedRecipients?: string[];
}

export interface DeliveryLedger {
  get(messageId: string): Promise<DeliveryRecord | undefined>;
  record(entry: DeliveryRecord): Promise<void>;
}

export function deliveriesDir(dataDir: string): string {
  return path.join(dataDir, 'deliveries');
}

/** '<abc@kehoach.x.vn>' → 'abc@kehoach.x.vn.json'; anything outside a safe set becomes '_'. */
function fileNameOf(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.json`;
}

export function createFileDeliveryLedger(dataDir: string): DeliveryLedger {
  const dir = deliveriesDir(dataDir);
  return {
    async get(messageId) {
      let text: string;
      try {
        text = await readFile(path.join(dir, fileNameOf(messageId)), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      const entry = JSON.parse(text) as DeliveryRecord;
      if (entry.messageId !== messageId) {
        throw new Error(`delivery ledger file for ${messageId} holds ${String(entry.messageId)}`);
      }
      return entry;
    },
    async record(entry) {
      await writeFileAtomic(path.join(dir, fileNameOf(entry.messageId)), `${JSON.stringify(entry, null, 2)}\n`);
    },
  };
}
