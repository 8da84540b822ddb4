/**
 * `deliverOnce`, the ledger protocol of every mail the plan sends by itself, on the embedded file
 * ledger. What the year-end report adds to a digest is work under the claim (building and storing
 * the document before handing it to the mailer), so the cases here are about that work: it runs
 * once, a second attempt waits while it runs, and a failure in it gives the claim back. `send` is
 * a plain function standing for the mailer (the SMTP paths are covered by send-digest.test.ts
 * against a real server); its failures are shaped like nodemailer's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOnce, type OnceDelivery } from '../../activities/mail/deliver-once';
import { createFileDeliveryLedger } from '../../activities/mail/delivery-ledger';
import type { SendReport } from '../../activities/mail/mailer';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-deliver-once-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const quiet = { info: () => undefined, warn: () => undefined };

function delivery(messageId = '<bao-cao-1@kehoach.example>'): OnceDelivery {
  return {
    ledger: createFileDeliveryLedger(dataDir),
    messageId,
    entry: { planId: 'ha-dong-2026', recipientUnitId: 'vp', localDate: '2026-12-15', batch: 1, to: ['vp@ha-dong.example'] },
    mail: 'báo cáo tổng kết phiên bản 1 tới Văn phòng',
    noun: 'year-end report',
    log: quiet,
    where: {},
  };
}

const taken: SendReport = { accepted: ['vp@ha-dong.example'], rejected: [], response: '250 2.0.0 OK' };

describe('deliverOnce', () => {
  it('runs the work and the send once, records the answer, and answers a second attempt from the ledger', async () => {
    let runs = 0;
    const send = async () => {
      runs += 1;
      return taken;
    };
    const first = await deliverOnce(delivery(), send);
    expect(first).toMatchObject({ outcome: 'sent', report: taken });
    const second = await deliverOnce(delivery(), send);
    expect(second).toMatchObject({ outcome: 'answered', record: { status: 'sent', response: '250 2.0.0 OK', batch: 1 } });
    expect(runs).toBe(1);
  });

  it('makes a second attempt wait while the first is still building, naming the mail in Vietnamese', async () => {
    let finishBuilding!: () => void;
    const building = new Promise<void>((resolve) => (finishBuilding = resolve));
    const first = deliverOnce(delivery(), async () => {
      await building;
      return taken;
    });
    // Let the first attempt claim before the second asks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const busy = await deliverOnce(delivery(), async () => taken).catch((err: unknown) => err);
    expect(busy).toBeInstanceOf(ApplicationFailure);
    expect((busy as ApplicationFailure).type).toBe('DigestBeingSent');
    expect((busy as ApplicationFailure).message).toMatch(/^Báo cáo tổng kết phiên bản 1 tới Văn phòng đang được một tiến trình khác gửi; sẽ thử lại sau \d+ giây/);
    finishBuilding();
    expect((await first).outcome).toBe('sent');
  });

  it('gives the claim back when the work fails before anything reached the server, so the retry sends at once', async () => {
    const failed = await deliverOnce(delivery(), async () => {
      throw Object.assign(new Error('ENOSPC: không còn chỗ trên đĩa'), { code: 'ENOSPC' });
    }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ApplicationFailure);
    expect((failed as ApplicationFailure).nonRetryable).toBe(false);
    expect((failed as ApplicationFailure).message).toBe('Chưa gửi được báo cáo tổng kết phiên bản 1 tới Văn phòng (sẽ thử lại): ENOSPC: không còn chỗ trên đĩa');
    expect(await deliverOnce(delivery(), async () => taken)).toMatchObject({ outcome: 'sent' });
  });

  it('records a permanent refusal and never sends that message again', async () => {
    let sends = 0;
    const refused = await deliverOnce(delivery(), async () => {
      sends += 1;
      throw Object.assign(new Error('Message rejected'), { responseCode: 552, response: '552 5.3.4 Message size exceeds fixed limit' });
    });
    expect(refused).toEqual({ outcome: 'rejected', reason: '552 5.3.4 Message size exceeds fixed limit' });
    const again = await deliverOnce(delivery(), async () => {
      sends += 1;
      return taken;
    });
    expect(again).toMatchObject({ outcome: 'answered', record: { status: 'rejected', reason: '552 5.3.4 Message size exceeds fixed limit' } });
    expect(sends).toBe(1);
  });
});
