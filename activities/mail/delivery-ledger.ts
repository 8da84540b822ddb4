/**
 * What has been handed to the mail server, keyed by Message-ID, and who is handing it over right
 * now. `sendDigest` claims a digest before talking SMTP and records what the server answered right
 * after, so an activity retried after its worker died does not send twice, and two attempts of one
 * digest on two workers never send at the same time.
 *
 * Two stores share these semantics: PostgreSQL (`delivery-ledger-pg.ts`), which every worker of a
 * deployment reaches, and the embedded default here, one JSON file per Message-ID in
 * `${dataDir}/deliveries/`, which only the workers of one host share.
 */
import { link, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ensurePrivateDir, namesIn } from '../../config/data-dir';
import { createFileExclusive, writeFileAtomic } from '../../config/write-file-atomic';
import { ledgerFileStem } from '../../domain/keys/message-id';

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
  /** The plan's year (records written before it existed lack it). */
  year?: number;
  /** The recipient's name as the digest addressed it. */
  recipientName?: string;
  /** What the digest carried, so an item's history can show its delivery (absent in older records). */
  items?: DeliveredItem[];
}

export interface DeliveredItem {
  id: string;
  kind: string;
  occurrenceKey: string;
  dutyId: string;
  /** The unit the item is about. */
  unitId: string;
  level?: number;
}

/** The ledger read back for people: every answered delivery of a plan, for its mail log and item histories. */
export interface DeliveryLog {
  /** Answered deliveries (sent or rejected) of `planId`, oldest first; claims in progress are left out. */
  list(planId: string): Promise<DeliveryRecord[]>;
}

/** The answer to "may I send this digest now?". */
export type Claim =
  /** Yes: nobody sent it, nobody is sending it; the claim holds until `record`, `release` or the lease ends. */
  | { kind: 'claimed' }
  /** No: the server already answered it. */
  | { kind: 'answered'; record: DeliveryRecord }
  /** Not now: another attempt holds a live claim; ask again after `retryInMs`. */
  | { kind: 'busy'; owner: string; leaseUntil: string; retryInMs: number };

export interface DeliveryLedger {
  get(messageId: string): Promise<DeliveryRecord | undefined>;
  /** Claims the digest for `owner` (one attempt of the activity) unless it is answered or claimed by a live attempt. */
  claim(messageId: string, owner: string): Promise<Claim>;
  /** What the server answered; ends the claim. */
  record(entry: DeliveryRecord): Promise<void>;
  /** Gives a claim back when nothing was handed to the server (a transient failure, a cancellation). */
  release(messageId: string, owner: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a claim holds without a record: longer than an attempt's worst case from claim to record
 * (its SMTP waits are bounded at 15 + 15 + 30 s, inside the activity's 2-minute start-to-close
 * timeout). A claim outlives its attempt only when the worker died; the digest then waits this long.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

export function byTime(a: DeliveryRecord, b: DeliveryRecord): number {
  return a.at.localeCompare(b.at) || a.messageId.localeCompare(b.messageId);
}

export function deliveriesDir(dataDir: string): string {
  return path.join(dataDir, 'deliveries');
}

interface ClaimFile {
  messageId: string;
  owner: string;
  /** ms since the epoch, this host's clock (the file ledger serves one host). */
  leaseUntil: number;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The embedded ledger. A claim is a `<id>.sending` file created exclusively and whole; an expired one is
 * taken over by renaming it aside (only one contender's rename succeeds) and checking it was indeed
 * the expired claim before putting a new one in its place. For one host only: workers on other
 * hosts see other directories.
 */
export function createFileDeliveryLedger(dataDir: string, options: { leaseMs?: number } = {}): DeliveryLedger & DeliveryLog {
  const dir = deliveriesDir(dataDir);
  const leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
  const recordFile = (messageId: string) => path.join(dir, `${ledgerFileStem(messageId)}.json`);
  const claimFile = (messageId: string) => path.join(dir, `${ledgerFileStem(messageId)}.sending`);

  async function get(messageId: string): Promise<DeliveryRecord | undefined> {
    const entry = await readJson<DeliveryRecord>(recordFile(messageId));
    if (entry && entry.messageId !== messageId) {
      throw new Error(`delivery ledger file for ${messageId} holds ${String(entry.messageId)}`);
    }
    return entry;
  }

  /** Puts a whole claim file in place unless one exists (a contender never reads a half-written claim). */
  function createClaim(file: string, claim: ClaimFile): Promise<boolean> {
    return createFileExclusive(file, JSON.stringify(claim));
  }

  /** Moves an expired claim out of the way (a no-op when a contender already did). */
  async function takeOverExpired(file: string, expired: ClaimFile): Promise<void> {
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.expired`;
    try {
      await rename(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const moved = await readJson<ClaimFile>(aside);
    if (moved && (moved.owner !== expired.owner || moved.leaseUntil !== expired.leaseUntil)) {
      // A contender had replaced the expired claim with a live one in between: put it back.
      await link(aside, file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    await rm(aside, { force: true });
  }

  return {
    get,
    async claim(messageId, owner) {
      ensurePrivateDir(dir);
      const file = claimFile(messageId);
      for (let round = 0; round < 5; round += 1) {
        const answered = await get(messageId);
        if (answered) return { kind: 'answered', record: answered };
        if (await createClaim(file, { messageId, owner, leaseUntil: Date.now() + leaseMs })) {
          // A record written (and its claim removed) between our look and our claim wins.
          const late = await get(messageId);
          if (late) {
            await rm(file, { force: true });
            return { kind: 'answered', record: late };
          }
          return { kind: 'claimed' };
        }
        const held = await readJson<ClaimFile>(file);
        if (!held) continue;
        const retryInMs = held.leaseUntil - Date.now();
        if (retryInMs > 0) return { kind: 'busy', owner: held.owner, leaseUntil: new Date(held.leaseUntil).toISOString(), retryInMs };
        await takeOverExpired(file, held);
      }
      throw new Error(`delivery ledger: could not settle the claim of ${messageId}`);
    },
    async record(entry) {
      await writeFileAtomic(recordFile(entry.messageId), `${JSON.stringify(entry, null, 2)}\n`);
      await rm(claimFile(entry.messageId), { force: true });
    },
    async release(messageId, owner) {
      const file = claimFile(messageId);
      const held = await readJson<ClaimFile>(file);
      if (held?.owner === owner) await rm(file, { force: true });
    },
    async list(planId) {
      const names = await namesIn(dir);
      const records = await Promise.all(names.filter((name) => name.endsWith('.json')).map((name) => readJson<DeliveryRecord>(path.join(dir, name))));
      return records.filter((entry): entry is DeliveryRecord => entry?.planId === planId).sort(byTime);
    },
    async close() {},
  };
}
