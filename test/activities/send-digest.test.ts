import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import ical from 'node-ical';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index';
import { createSendDigests, DIGESTS_AT_ONCE, type SendDigestsOptions } from '../../activities/mail/send-digests';
import { createFileDeliveryLedger, deliveriesDir } from '../../activities/mail/delivery-ledger';
import type { Mailer } from '../../activities/mail/mailer';
import { createSmtpMailer } from '../../activities/mail/smtp-mailer';
import type { BatchDigestResult, DigestInput, DigestResult } from '../../activities/mail/types';
import { createSubmissionLinks, SUBMISSION_PATH } from '../../domain/keys/submission-links';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { logged, runActivity } from './activity-env';
import { item, LINK_SECRET, MAIL_FROM, PUBLIC_URL, sampleDigest } from './fixtures';

let smtp: TestSmtpServer;
let dataDir: string;
let mailer: Mailer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-mail-'));
  smtp.messages.length = 0;
  logged.length = 0;
  mailer = createSmtpMailer(smtp.url, { connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
});
afterEach(async () => {
  await mailer.close();
  await rm(dataDir, { recursive: true, force: true });
});

function activities() {
  const links = createSubmissionLinks(LINK_SECRET, PUBLIC_URL);
  return {
    links,
    ...createActivities({
      mailer,
      ledger: createFileDeliveryLedger(dataDir),
      links,
      from: MAIL_FROM,
      publicUrl: PUBLIC_URL,
    }),
  };
}

/** Runs the activity the way a worker would, with a Temporal activity Context. */
function runSendDigest(input: DigestInput, attempt = 1): Promise<DigestResult> {
  return runActivity(activities().sendDigest, [input], attempt);
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the activity to fail');
}

describe('sendDigest over real SMTP', () => {
  it('delivers a UTF-8 Vietnamese message whose subject, text and HTML decode back exactly', async () => {
    const result = await runSendDigest(sampleDigest());
    expect(result.outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
    const { parsed, raw, envelope } = smtp.messages[0]!;

    expect(envelope.to).toEqual(['hieutruong@th-hadong.example']);
    expect(envelope.from).toBe('kehoach@ha-dong.example');
    // Headers travel as RFC 2047 encoded words: nothing but ASCII on the wire.
    const rawHeaders = raw.toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
    expect(/^[\x20-\x7e\t\r\n]*$/.test(rawHeaders)).toBe(true);
    expect(parsed.subject).toBe(
      '[Kế hoạch năm 2026] 3 việc cần thực hiện (1 việc quá hạn) – Trường Tiểu học Hà Đông – 20/03/2026',
    );
    expect(parsed.from?.value).toEqual([{ name: 'Kế hoạch xã Hà Đông', address: 'kehoach@ha-dong.example' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { name: 'Trường Tiểu học Hà Đông', address: 'hieutruong@th-hadong.example' },
    ]);
    expect(parsed.text).toContain('Hạn chót: Thứ Sáu, 20/03/2026');
    expect(parsed.text).toContain('Thời gian: 08:00 ngày 23/03/2026 (Thứ Hai)');
    expect(parsed.html).toContain('<p>Kính gửi: <strong>Trường Tiểu học Hà Đông</strong></p>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('puts verifiable submission links for the right occurrence and unit into the message', async () => {
    const { links } = activities();
    await runSendDigest(sampleDigest());
    const text = smtp.messages[0]!.parsed.text ?? '';
    const urls = [...text.matchAll(/https:\/\/\S+/g)].map((m) => m[0]);
    expect(urls).toHaveLength(2);
    const occurrences = urls.map((url) => {
      const token = new URL(url).pathname.slice(SUBMISSION_PATH.length);
      const verdict = links.verify(token);
      if (!verdict.ok) throw new Error(verdict.message);
      expect(verdict.claims).toMatchObject({ planId: 'ha-dong-dccs-2026', year: 2026, unitId: 'th-ha-dong' });
      return verdict.claims.occurrenceKey;
    });
    expect(occurrences.sort()).toEqual(['bc-dccs-quy:th-ha-dong:2026-Q1', 'bc-dccs-thang:th-ha-dong:2026-02']);
  });

  it("offers the recipient's own calendar feed (webcal) in both parts of the message", async () => {
    const { links } = activities();
    await runSendDigest(sampleDigest());
    const { text = '', html = '' } = smtp.messages[0]!.parsed;
    const feeds = [...text.matchAll(/webcal:\/\/\S+/g)].map((m) => m[0]);
    expect(feeds).toHaveLength(1);
    const feed = new URL(feeds[0]!.replace(/^webcal:/, 'https:'));
    expect(`${feed.protocol}//${feed.host}`).toBe(new URL(PUBLIC_URL).origin);
    const token = feed.pathname.replace(/^.*\/lich\//, '').replace(/\.ics$/, '');
    expect(links.verifyFeed(token)).toEqual({ planId: 'ha-dong-dccs-2026', year: 2026, unitId: 'th-ha-dong' });
    expect(html).toContain(`href="${feeds[0]}"`);
  });

  it('sends the meeting invitation as a text/calendar METHOD:REQUEST alternative, with a copy as a file', async () => {
    await runSendDigest(sampleDigest());
    const attachments = smtp.messages[0]!.parsed.attachments;
    expect(attachments.map((a) => [a.contentType, a.filename])).toEqual([
      ['text/calendar', undefined],
      ['application/ics', 'giay-moi-3.ics'],
    ]);
    const ics = attachments[0]!;
    const parsed = ical.sync.parseICS(ics.content.toString('utf8'));
    const event = Object.values(parsed).find((c) => c?.type === 'VEVENT');
    expect(event && 'start' in event ? event.start.toISOString() : undefined).toBe('2026-03-23T01:00:00.000Z');
    expect(ics.content.toString('utf8')).toMatch(/^METHOD:REQUEST\r$/m);
    expect(attachments[1]!.content.equals(ics.content)).toBe(true);
  });

  it('uses a deterministic Message-ID: same items, same id; other items, day or unit, another id', async () => {
    const first = await runSendDigest(sampleDigest());
    expect(first.messageId).toMatch(/^<[0-9a-f]{32}@kehoach\.ha-dong\.example>$/);
    expect(smtp.messages[0]!.parsed.messageId).toBe(first.messageId);

    // A new mailroom numbers its batches afresh: batch 1 of other items is another message.
    const sample = sampleDigest();
    const otherBatch = await runSendDigest(sampleDigest({ items: sample.items.slice(1) }));
    expect(otherBatch.outcome).toBe('sent');
    const sameItemsOtherBatch = await runSendDigest(sampleDigest({ batch: 2 }));
    expect(sameItemsOtherBatch.outcome).toBe('already-sent');
    const otherDay = await runSendDigest(sampleDigest({ localDate: '2026-03-21' }));
    const otherUnit = await runSendDigest(
      sampleDigest({ recipient: { unitId: 'thcs-ha-dong', name: 'Trường THCS Hà Đông', emails: ['thcs@x.example'] } }),
    );
    const ids = new Set([first.messageId, otherBatch.messageId, otherDay.messageId, otherUnit.messageId]);
    expect(ids.size).toBe(4);

    // A fresh data directory (no ledger) computes the very same id for the same digest.
    await rm(dataDir, { recursive: true, force: true });
    expect((await runSendDigest(sampleDigest())).messageId).toBe(first.messageId);
  });

  it('sends exactly one message when the same digest is sent twice (a retried activity)', async () => {
    const first = await runSendDigest(sampleDigest(), 1);
    const transactionsAfterFirst = smtp.transactions;
    const second = await runSendDigest(sampleDigest(), 2);
    expect(first).toEqual({ outcome: 'sent', messageId: first.messageId });
    expect(second).toEqual({ outcome: 'already-sent', messageId: first.messageId });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.transactions).toBe(transactionsAfterFirst);
    expect(await readdir(deliveriesDir(dataDir))).toHaveLength(1);
    expect(logged.map((entry) => entry.message)).toContain('digest already sent, not sending again');
  });

  it('throws a retryable failure on a 4xx reply, and a later attempt delivers once', async () => {
    smtp.failNextMessages(1, 451);
    const err = await thrownBy(runSendDigest(sampleDigest(), 1));
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe('TransientSmtpError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('Chưa gửi được thư tới Trường Tiểu học Hà Đông');
    expect(failure.message).toContain('451');
    expect(smtp.messages).toHaveLength(0);
    expect(await createFileDeliveryLedger(dataDir).get((await runSendDigest(sampleDigest(), 2)).messageId)).toMatchObject(
      { status: 'sent' },
    );
    expect(smtp.messages).toHaveLength(1);
  });

  it('treats 503 (bad command sequence) as transient, not as a verdict on the message', async () => {
    smtp.failNextMessages(1, 503, '5.5.1 Bad sequence of commands');
    const err = await thrownBy(runSendDigest(sampleDigest()));
    expect(err).toMatchObject({ type: 'TransientSmtpError', nonRetryable: false });
  });

  it('throws a retryable failure when the connection drops before the greeting', async () => {
    smtp.dropNextConnections(1);
    const err = await thrownBy(runSendDigest(sampleDigest()));
    expect(err).toMatchObject({ type: 'TransientSmtpError', nonRetryable: false });
    expect(smtp.messages).toHaveLength(0);
    expect((await runSendDigest(sampleDigest())).outcome).toBe('sent');
  });

  it('throws a retryable failure when nothing listens on the port', async () => {
    const closed = await startTestSmtpServer();
    await closed.close();
    const { sendDigest } = createActivities({
      mailer: createSmtpMailer(closed.url, { connectionTimeoutMs: 2_000 }),
      ledger: createFileDeliveryLedger(dataDir),
      links: createSubmissionLinks(LINK_SECRET, PUBLIC_URL),
      from: MAIL_FROM,
      publicUrl: PUBLIC_URL,
    });
    const err = await thrownBy(runActivity(sendDigest, [sampleDigest()]));
    expect(err).toMatchObject({ type: 'TransientSmtpError', nonRetryable: false });
  });

  it('sends a burst of digests over a bounded number of connections', async () => {
    const pooled = createSmtpMailer(smtp.url, { maxConnections: 2 });
    const { sendDigest } = createActivities({
      mailer: pooled,
      ledger: createFileDeliveryLedger(dataDir),
      links: createSubmissionLinks(LINK_SECRET, PUBLIC_URL),
      from: MAIL_FROM,
      publicUrl: PUBLIC_URL,
    });
    const connectionsBefore = smtp.connections;
    try {
      const units = Array.from({ length: 20 }, (_, n) => `thon-${n + 1}`);
      const results = await Promise.all(
        units.map((unitId) =>
          runActivity(sendDigest, [
            sampleDigest({ recipient: { unitId, name: `Thôn ${unitId}`, emails: [`${unitId}@ha-dong.example`] } }),
          ]),
        ),
      );
      expect(results.every((r) => r.outcome === 'sent')).toBe(true);
      expect(new Set(results.map((r) => r.messageId)).size).toBe(20);
      expect(smtp.messages).toHaveLength(20);
      expect(smtp.connections - connectionsBefore).toBeLessThanOrEqual(2);
    } finally {
      await pooled.close();
    }
  });

  it('returns "rejected" on a permanent 5xx, records it, and never talks SMTP for it again', async () => {
    const address = 'khong-ton-tai@th-hadong.example';
    smtp.rejectRecipients([address]);
    const input = sampleDigest({ recipient: { unitId: 'th-ha-dong', name: 'Trường Tiểu học Hà Đông', emails: [address] } });

    const result = await runSendDigest(input);
    expect(result).toMatchObject({ outcome: 'rejected' });
    if (result.outcome !== 'rejected') throw new Error('unreachable');
    expect(result.reason).toMatch(/^550 5\.1\.1/);
    expect(await createFileDeliveryLedger(dataDir).get(result.messageId)).toMatchObject({
      status: 'rejected',
      reason: result.reason,
    });

    const transactions = smtp.transactions;
    expect(await runSendDigest(input, 2)).toEqual(result);
    expect(smtp.transactions).toBe(transactions);
    expect(smtp.messages).toHaveLength(0);
  });

  it('returns "rejected" when the server refuses the message content at the end of DATA (554)', async () => {
    smtp.failNextMessages(1, 554, '5.7.1 Nội dung bị từ chối');
    const result = await runSendDigest(sampleDigest());
    expect(result).toMatchObject({ outcome: 'rejected', reason: '554 5.7.1 Nội dung bị từ chối' });
    expect(smtp.messages).toHaveLength(0);
  });

  it('delivers to the addresses the server accepts and reports the refused ones', async () => {
    smtp.rejectRecipients(['cu@th-hadong.example']);
    const input = sampleDigest({
      recipient: {
        unitId: 'th-ha-dong',
        name: 'Trường Tiểu học Hà Đông',
        emails: ['hieutruong@th-hadong.example', 'cu@th-hadong.example'],
      },
    });
    const result = await runSendDigest(input);
    expect(result).toMatchObject({ outcome: 'sent', rejectedRecipients: ['cu@th-hadong.example'] });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.envelope.to).toEqual(['hieutruong@th-hadong.example']);
  });

  it.each<[string, (d: DigestInput) => DigestInput, RegExp]>([
    ['no items', (d) => ({ ...d, items: [] }), /items: bản tổng hợp không có việc nào/],
    ['no email', (d) => ({ ...d, recipient: { ...d.recipient, emails: [] } }), /đơn vị nhận không có địa chỉ thư nào/],
    ['a bad email', (d) => ({ ...d, recipient: { ...d.recipient, emails: ['không phải thư'] } }), /địa chỉ thư không hợp lệ/],
    ['a local-time dueAt', (d) => ({ ...d, items: [item({ kind: 'reminder', dueAt: '2026-03-20T24:00:00' })] }), /items\.0\.dueAt/],
    ['an invitation without eventAt', (d) => ({ ...d, items: [item({ kind: 'invitation' })] }), /items\.0\.eventAt/],
    ['an escalation without level', (d) => ({ ...d, items: [item({ kind: 'escalation' })] }), /items\.0\.level/],
    ['a bad localDate', (d) => ({ ...d, localDate: '20/03/2026' }), /localDate/],
    ['an unknown zone', (d) => ({ ...d, timeZone: 'Asia/Hai_Phong' }), /timeZone: múi giờ IANA không hợp lệ/],
    ['duplicate item ids', (d) => ({ ...d, items: [item({ kind: 'reminder' }), item({ kind: 'reminder' })] }), /mã việc bị trùng/],
  ])('rejects a digest with %s as non-retryable InvalidDigest, before any SMTP traffic', async (_, mutate, message) => {
    const transactions = smtp.transactions;
    const err = await thrownBy(runSendDigest(mutate(sampleDigest())));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'InvalidDigest', nonRetryable: true });
    expect((err as Error).message).toMatch(message);
    expect(smtp.transactions).toBe(transactions);
  });
});

describe('cancellation', () => {
  it('sends nothing and records nothing when the attempt was cancelled before it could send', async () => {
    const env = new MockActivityEnvironment({ attempt: 1 });
    env.cancel();
    const outcome = await env.run(activities().sendDigest, sampleDigest()).then(
      () => 'sent',
      (err: unknown) => (err instanceof CancelledFailure ? 'cancelled' : String(err)),
    );
    expect(outcome).toBe('cancelled');
    expect(smtp.messages).toHaveLength(0);
    // The same digest afterwards is sent normally: the cancelled attempt left no claim or record.
    expect((await runSendDigest(sampleDigest())).outcome).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('sendDigests: the digests of one flush in one activity', () => {
  const unitDigest = (n: number): DigestInput =>
    sampleDigest({ recipient: { unitId: `tdp-${n}`, name: `Tổ dân phố số ${n}`, emails: [`tdp${n}@ha-dong.example`] } });
  const runSendDigests = (inputs: DigestInput[], options: SendDigestsOptions = {}): Promise<BatchDigestResult[]> =>
    runActivity(createSendDigests(activities().sendDigest, options), [inputs]);

  it('sends each digest once, a few at a time, answering in input order; a repeated batch sends nothing again', async () => {
    const inputs = Array.from({ length: 10 }, (_, i) => unitDigest(i + 1));
    let running = 0;
    let most = 0;
    const { sendDigest } = activities();
    const counted = async (input: DigestInput) => {
      most = Math.max(most, ++running);
      try {
        return await sendDigest(input);
      } finally {
        running -= 1;
      }
    };
    const first = await runActivity(createSendDigests(counted), [inputs]);
    expect(first.map((r) => r.outcome)).toEqual(Array(10).fill('sent'));
    expect(most).toBe(DIGESTS_AT_ONCE);
    expect(smtp.messages.map((m) => m.envelope.to[0]).sort()).toEqual(inputs.map((i) => i.recipient.emails[0]).sort());
    // Answers follow the inputs: each Message-ID is the one its digest gets when sent alone.
    const again = await runSendDigests(inputs);
    expect(again).toEqual(first.map((r) => ({ outcome: 'already-sent', messageId: (r as { messageId: string }).messageId })));
    expect((await runSendDigest(inputs[3] as DigestInput)).messageId).toBe((first[3] as { messageId: string }).messageId);
    expect(smtp.messages).toHaveLength(10);
  });

  it('stops at the first transient failure: digests not yet begun are answered "not sent" with the reason, untried', async () => {
    await runSendDigests([unitDigest(1)]);
    smtp.failNextMessages(1, 451);
    const transactions = smtp.transactions;
    const results = await runSendDigests([unitDigest(1), unitDigest(2), unitDigest(3), unitDigest(4)], { atOnce: 1 });
    expect(results[0]?.outcome).toBe('already-sent');
    expect(results.slice(1).map((r) => r.outcome)).toEqual(['not-sent', 'not-sent', 'not-sent']);
    for (const r of results.slice(1)) expect((r as { error: string }).error).toContain('451');
    // One refused transaction for digest 2; digests 3 and 4 were not tried.
    expect(smtp.transactions).toBe(transactions + 1);
    expect(smtp.messages).toHaveLength(1);
    // Their claims were given back: each goes out alone at once.
    expect((await runSendDigest(unitDigest(3))).outcome).toBe('sent');
  });

  it('answers an invalid digest "not sent" and goes on with the others', async () => {
    const invalid = sampleDigest({ recipient: { unitId: 'tdp-9', name: 'Tổ dân phố số 9', emails: ['tdp9@ha-dong.example'] }, items: [] });
    const results = await runSendDigests([unitDigest(1), invalid, unitDigest(2)], { atOnce: 1 });
    expect(results.map((r) => r.outcome)).toEqual(['sent', 'not-sent', 'sent']);
    expect((results[1] as { error: string }).error).toContain('bản tổng hợp không có việc nào');
    expect(smtp.messages).toHaveLength(2);
  });
});
