/**
 * The delivery ledger's contract, on both stores: a real PostgreSQL cluster started for this file
 * (two "workers" = two ledgers with their own connection pools) and the embedded file ledger (two
 * ledgers on one directory). Then `sendDigest` on two workers sharing the PostgreSQL ledger and one
 * real SMTP server on loopback.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createFileDeliveryLedger, CLAIM_LEASE_MS, type DeliveryLedger, type DeliveryLog, type DeliveryRecord } from '../../activities/mail/delivery-ledger';
import { createPgDeliveryLedger } from '../../activities/mail/delivery-ledger-pg';
import { createMemoryDeliveryLedger, createMemoryLedgerStore } from '../../activities/mail/delivery-ledger-memory';
import { domainOf, parseMailbox } from '../../activities/mail/mailbox';
import { digestMessageId } from '../../domain/keys/message-id';
import { createSmtpMailer } from '../../activities/mail/smtp-mailer';
import type { DigestResult } from '../../activities/mail/types';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../provision/postgres';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { runActivity } from './activity-env';
import { LINK_SECRET, MAIL_FROM, PUBLIC_URL, sampleDigest } from './fixtures';

let db: ThrowawayPostgres;
/** What the in-memory ledgers of one process share, as the files of one data directory. */
const memoryStore = createMemoryLedgerStore();
let dataDir: string;
const opened: DeliveryLedger[] = [];

beforeAll(async () => {
  [db, dataDir] = await Promise.all([startThrowawayPostgres(), mkdtemp(path.join(tmpdir(), 'kehoach-ledger-'))]);
}, 60_000);
afterAll(async () => {
  // Settled, not all: a ledger that fails to close must not leave the cluster running.
  await Promise.allSettled(opened.map((ledger) => ledger.close()));
  await db?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A store as each worker process would open it. */
const stores: { name: string; open(options?: { leaseMs?: number }): DeliveryLedger & DeliveryLog }[] = [
  { name: 'PostgreSQL', open: (options) => track(createPgDeliveryLedger(db.url, options)) },
  { name: 'files', open: (options) => track(createFileDeliveryLedger(dataDir, options)) },
  { name: 'memory', open: (options) => track(createMemoryDeliveryLedger({ ...options, store: memoryStore })) },
];

function track<L extends DeliveryLedger>(ledger: L): L {
  opened.push(ledger);
  return ledger;
}

const messageId = () => `<${randomUUID()}@kehoach.ha-dong.example>`;

function recordOf(id: string, status: DeliveryRecord['status']): DeliveryRecord {
  return {
    messageId: id,
    status,
    at: '2026-03-20T01:05:01.000Z',
    planId: 'ha-dong-dccs-2026',
    recipientUnitId: 'th-ha-dong',
    localDate: '2026-03-20',
    batch: 1,
    to: ['hieutruong@th-hadong.example'],
    ...(status === 'sent' ? { response: '250 OK: queued' } : { reason: '550 5.1.1 Hộp thư không tồn tại' }),
  };
}

describe.each(stores)('delivery ledger on $name', (store) => {
  it('claims a new digest once: another owner finds it busy until the lease, and get() has no record yet', async () => {
    const [workerA, workerB] = [store.open(), store.open()];
    const id = messageId();
    expect(await workerA.claim(id, 'a')).toEqual({ kind: 'claimed' });
    const busy = await workerB.claim(id, 'b');
    expect(busy).toMatchObject({ kind: 'busy', owner: 'a' });
    if (busy.kind !== 'busy') throw new Error('unreachable');
    expect(busy.retryInMs).toBeGreaterThan(CLAIM_LEASE_MS - 10_000);
    expect(busy.retryInMs).toBeLessThanOrEqual(CLAIM_LEASE_MS);
    expect(Date.parse(busy.leaseUntil)).toBeGreaterThan(Date.now() + CLAIM_LEASE_MS - 10_000);
    expect(await workerA.claim(id, 'a-retry')).toMatchObject({ kind: 'busy', owner: 'a' });
    expect(await workerB.get(id)).toBeUndefined();
  });

  it('answers a sent or rejected digest with its record, to every owner, with or without a claim before', async () => {
    const [workerA, workerB] = [store.open(), store.open()];
    const sent = messageId();
    expect(await workerA.claim(sent, 'a')).toEqual({ kind: 'claimed' });
    await workerA.record(recordOf(sent, 'sent'));
    expect(await workerB.claim(sent, 'b')).toEqual({ kind: 'answered', record: recordOf(sent, 'sent') });
    expect(await workerB.get(sent)).toEqual(recordOf(sent, 'sent'));

    const rejected = messageId();
    await workerB.record(recordOf(rejected, 'rejected'));
    expect(await workerA.claim(rejected, 'a')).toEqual({ kind: 'answered', record: recordOf(rejected, 'rejected') });
    expect(await workerA.get(rejected)).toEqual(recordOf(rejected, 'rejected'));
  });

  it("lists a plan's answered digests oldest first with their items, never a claim in progress nor another plan's", async () => {
    const ledger = store.open();
    const planId = `liet-ke-${randomUUID()}`;
    const [early, late, sending, other] = [messageId(), messageId(), messageId(), messageId()];
    const item = { id: 'bc:th-ha-dong:2026-03:escalation:1', kind: 'escalation', occurrenceKey: 'bc:th-ha-dong:2026-03', dutyId: 'bc', unitId: 'th-ha-dong', level: 1 };
    await ledger.record({ ...recordOf(late, 'rejected'), planId, at: '2026-03-21T01:00:00.000Z' });
    await ledger.record({ ...recordOf(early, 'sent'), planId, items: [item], recipientName: 'UBND xã' });
    await ledger.claim(sending, 'a');
    await ledger.record({ ...recordOf(other, 'sent'), planId: `${planId}-khac` });
    const listed = await ledger.list(planId);
    expect(listed.map((entry) => entry.messageId)).toEqual([early, late]);
    expect(listed[0]).toEqual({ ...recordOf(early, 'sent'), planId, items: [item], recipientName: 'UBND xã' });
  });

  it('gives exactly one of two workers each digest when both claim at once', async () => {
    const [workerA, workerB] = [store.open(), store.open()];
    const ids = Array.from({ length: 30 }, messageId);
    const claims = await Promise.all(ids.flatMap((id) => [workerA.claim(id, 'a'), workerB.claim(id, 'b')]));
    for (let i = 0; i < ids.length; i += 1) {
      const pair = [claims[2 * i], claims[2 * i + 1]].map((claim) => claim?.kind).sort();
      expect(pair).toEqual(['busy', 'claimed']);
    }
  });

  it('lets a claim be taken over once its lease has ended, and only by one contender', async () => {
    const leaseMs = 300;
    const [workerA, workerB, workerC] = [store.open({ leaseMs }), store.open({ leaseMs }), store.open({ leaseMs })];
    const id = messageId();
    expect(await workerA.claim(id, 'a')).toEqual({ kind: 'claimed' });
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 100));
    const takeovers = await Promise.all([workerB.claim(id, 'b'), workerC.claim(id, 'c')]);
    expect(takeovers.map((claim) => claim.kind).sort()).toEqual(['busy', 'claimed']);
    const winner = takeovers[0]?.kind === 'claimed' ? 'b' : 'c';
    // The dead owner giving its claim back late changes nothing.
    await workerA.release(id, 'a');
    expect(await workerA.claim(id, 'a-retry')).toMatchObject({ kind: 'busy', owner: winner });
  });

  it('frees a released claim at once for the next attempt', async () => {
    const [workerA, workerB] = [store.open(), store.open()];
    const id = messageId();
    expect(await workerA.claim(id, 'a')).toEqual({ kind: 'claimed' });
    await workerA.release(id, 'a');
    expect(await workerB.claim(id, 'b')).toEqual({ kind: 'claimed' });
  });
});

describe('the file ledger', () => {
  it('never shows a contender a claim file half written', async () => {
    // Another thread reads every claim file of the directory as fast as it can while this one
    // claims: whatever it finds must be a whole claim, never an empty or cut-off file.
    const dir = await mkdtemp(path.join(tmpdir(), 'kehoach-claims-'));
    const ledger = createFileDeliveryLedger(dir);
    const watcher = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const fs = require('node:fs');
       const path = require('node:path');
       let reads = 0, broken = 0, stop = false;
       parentPort.on('message', () => { stop = true; });
       (function loop() {
         for (let i = 0; i < 200; i += 1) {
           let names = [];
           try { names = fs.readdirSync(workerData); } catch {}
           for (const name of names.filter((n) => n.endsWith('.sending'))) {
             let text;
             try { text = fs.readFileSync(path.join(workerData, name), 'utf8'); } catch { continue; }
             reads += 1;
             try { JSON.parse(text); } catch { broken += 1; }
           }
         }
         if (stop) parentPort.postMessage({ reads, broken }); else setImmediate(loop);
       })();`,
      { eval: true, workerData: path.join(dir, 'deliveries') },
    );
    try {
      for (let round = 0; round < 400; round += 1) await ledger.claim(messageId(), 'a');
      const seen = new Promise<{ reads: number; broken: number }>((resolve) => watcher.once('message', resolve));
      watcher.postMessage('stop');
      const { reads, broken } = await seen;
      expect(reads).toBeGreaterThan(0);
      expect(broken).toBe(0);
    } finally {
      await watcher.terminate();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('PostgreSQL ledger schema', () => {
  it('is created on first use by workers starting together, once', async () => {
    const admin = new pg.Client(db.url);
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE fresh_ledger');
      const url = db.url.replace(/\/kehoach$/, '/fresh_ledger');
      const workers = Array.from({ length: 4 }, () => track(createPgDeliveryLedger(url)));
      const id = messageId();
      const claims = await Promise.all(workers.map((ledger, n) => ledger.claim(id, `w${n}`)));
      expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
      await Promise.all(workers.map((ledger) => ledger.close()));
      const fresh = new pg.Client(url);
      await fresh.connect();
      const versions = await fresh.query('SELECT version FROM kehoach_ledger_migrations');
      await fresh.end();
      expect(versions.rows).toEqual([{ version: 1 }]);
    } finally {
      await admin.end();
    }
  });
});

describe('sendDigest on two workers sharing the PostgreSQL ledger', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  afterEach(() => {
    smtp.messages.length = 0;
  });

  function worker(leaseMs?: number) {
    const mailer = createSmtpMailer(smtp.url, { connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
    const ledger = track(createPgDeliveryLedger(db.url, leaseMs ? { leaseMs } : {}));
    const { sendDigest } = createActivities({ mailer, ledger, links: createSubmissionLinks(LINK_SECRET, PUBLIC_URL), from: MAIL_FROM, publicUrl: PUBLIC_URL });
    return { ledger, mailer, send: (input = sampleDigest(), attempt = 1) => settle(runActivity(sendDigest, [input], attempt)) };
  }

  async function settle(promise: Promise<DigestResult>): Promise<DigestResult | ApplicationFailure> {
    try {
      return await promise;
    } catch (err) {
      if (err instanceof ApplicationFailure) return err;
      throw err;
    }
  }

  const digestFor = (n: number) =>
    sampleDigest({ recipient: { unitId: `thon-${n}`, name: `Thôn ${n}`, emails: [`thon-${n}@ha-dong.example`] }, localDate: '2026-04-01' });

  it('mails each digest once when two workers send the same digests at the same moment', async () => {
    const [a, b] = [worker(), worker()];
    try {
      const digests = Array.from({ length: 12 }, (_, n) => digestFor(n + 1));
      const outcomes = await Promise.all(digests.flatMap((digest) => [a.send(digest), b.send(digest)]));
      expect(smtp.messages).toHaveLength(12);
      expect(new Set(smtp.messages.map((m) => m.parsed.messageId)).size).toBe(12);
      for (const outcome of outcomes) {
        // The loser either saw the record ("already sent") or the winner's live claim (retry later).
        if (outcome instanceof ApplicationFailure) {
          expect(outcome).toMatchObject({ type: 'DigestBeingSent', nonRetryable: false });
          expect(outcome.message).toMatch(/^Thư tới Thôn \d+ đang được một tiến trình khác gửi; sẽ thử lại sau \d+ giây/);
          expect(outcome.nextRetryDelay).toBeGreaterThan(CLAIM_LEASE_MS - 10_000);
        } else {
          expect(['sent', 'already-sent']).toContain(outcome.outcome);
        }
      }
      expect(outcomes.filter((o) => !(o instanceof ApplicationFailure) && o.outcome === 'sent')).toHaveLength(12);
      // Whichever worker is asked again, the answer now comes from the shared ledger.
      for (const digest of digests) expect(await b.send(digest, 2)).toMatchObject({ outcome: 'already-sent' });
      expect(smtp.messages).toHaveLength(12);
    } finally {
      await Promise.all([a.mailer.close(), b.mailer.close()]);
    }
  });

  it('waits out the claim of an attempt that died before sending, then sends once', async () => {
    const leaseMs = 1_500;
    const [dead, b] = [worker(leaseMs), worker(leaseMs)];
    try {
      const digest = digestFor(90);
      const id = digestMessageId(digest, domainOf(parseMailbox(MAIL_FROM)));
      // The attempt claimed the digest, then its worker died: no SMTP, no record, no release.
      expect(await dead.ledger.claim(id, 'may-1:4242:attempt-1')).toEqual({ kind: 'claimed' });
      const waiting = await b.send(digest, 2);
      expect(waiting).toBeInstanceOf(ApplicationFailure);
      expect(waiting).toMatchObject({ type: 'DigestBeingSent', nonRetryable: false, details: [{ owner: 'may-1:4242:attempt-1' }] });
      // Temporal retries just after the lease ends, not on the retry policy's schedule.
      const delay = Number((waiting as ApplicationFailure).nextRetryDelay);
      expect(delay).toBeGreaterThan(1_000);
      expect(delay).toBeLessThanOrEqual(leaseMs + 1_000);
      expect(smtp.messages).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, leaseMs + 100));
      expect(await b.send(digest, 3)).toEqual({ outcome: 'sent', messageId: id });
      expect(smtp.messages.map((m) => m.parsed.messageId)).toEqual([id]);
    } finally {
      await Promise.all([dead.mailer.close(), b.mailer.close()]);
    }
  });

  it('fails retryably, in Vietnamese and without mailing, when the ledger database cannot be reached', async () => {
    const closedPort = await startTestSmtpServer().then(async (probe) => {
      await probe.close();
      return probe.port;
    });
    const mailer = createSmtpMailer(smtp.url);
    const ledger = track(createPgDeliveryLedger(`postgres://kehoach@127.0.0.1:${closedPort}/kehoach`));
    const { sendDigest } = createActivities({ mailer, ledger, links: createSubmissionLinks(LINK_SECRET, PUBLIC_URL), from: MAIL_FROM, publicUrl: PUBLIC_URL });
    try {
      const failure = await settle(runActivity(sendDigest, [digestFor(99)]));
      expect(failure).toMatchObject({ type: 'DeliveryLedgerUnavailable', nonRetryable: false });
      expect((failure as ApplicationFailure).message).toMatch(/^Chưa gửi thư tới Thôn 99: không đọc được sổ gửi thư \(sẽ thử lại\): /);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await mailer.close();
    }
  });

  it('gives the claim back on a transient SMTP failure, so the other worker sends at once', async () => {
    const [a, b] = [worker(), worker()];
    try {
      smtp.failNextMessages(1, 451);
      const failed = await a.send(digestFor(95));
      expect(failed).toMatchObject({ type: 'TransientSmtpError', nonRetryable: false });
      expect(await b.send(digestFor(95), 2)).toMatchObject({ outcome: 'sent' });
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await Promise.all([a.mailer.close(), b.mailer.close()]);
    }
  });
});
