/**
 * Bundling rules of the mailroom as pure functions: one digest per (recipient, local day, window),
 * duplicates dropped, late hand-overs joining their mail time's digest, later items of the same day
 * numbered as batch 2, and rejections reported to the supervising office once per item.
 */
import { describe, expect, it } from 'vitest';
import type { DigestItem } from '../../activities/mail/types';
import { enqueue, initialMailroomState, nextFlushAt, recordOutcome, shedOldest, takeDueRetries, takeReadyDigests } from '../../workflows/mailroom-state';
import type { MailEnvelope, MailroomState } from '../../workflows/types';
import { SMALL_UNITS } from '../fixtures/expanded/small-plan';

const WINDOW = 5 * 60_000;
const EIGHT = Date.parse('2026-03-02T01:00:00.000Z'); // 08:00 in Hà Nội

function state(): MailroomState {
  return initialMailroomState({
    planId: 'p', year: 2026, timeZone: 'Asia/Ho_Chi_Minh', supervisorUnitId: 'ubnd', units: SMALL_UNITS,
    settings: { utcOffsetMinutes: 420, closesAt: '2027-01-01T00:00:00.000Z', mailCollectionWindowMs: WINDOW, historyEventLimit: 2000 },
  });
}

function envelope(recipientUnitId: string, id: string, scheduledAtMs?: number): MailEnvelope {
  const item = { id, kind: 'reminder', occurrenceKey: id, dutyId: 'd', dutyTitle: 'D', dutyKind: 'report', unitId: recipientUnitId, unitName: recipientUnitId, periodLabel: 'kỳ 1', dueAt: '2026-03-10T17:00:00.000Z' } satisfies DigestItem;
  return { recipientUnitId, item, ...(scheduledAtMs !== undefined ? { scheduledAt: new Date(scheduledAtMs).toISOString() } : {}) };
}

describe('mailroom bundling', () => {
  it('bundles a morning per recipient, drops duplicates and lets late hand-overs join their mail time', () => {
    const s = state();
    const seen = new Set<string>();
    expect(enqueue(s, [envelope('thon-a', 'a1', EIGHT), envelope('thon-b', 'b1', EIGHT)], EIGHT, seen)).toBe(2);
    expect(enqueue(s, [envelope('thon-a', 'a1', EIGHT), envelope('thon-a', 'a2', EIGHT)], EIGHT + 900, seen)).toBe(1);
    expect(nextFlushAt(s)).toBe(EIGHT + WINDOW);
    expect(takeReadyDigests(s, EIGHT + WINDOW - 1).ready).toEqual([]);
    const { ready } = takeReadyDigests(s, EIGHT + WINDOW);
    expect(ready.map((r) => [r.input.recipient.unitId, r.input.localDate, r.input.batch, r.input.items.map((i) => i.id)])).toEqual([
      ['thon-a', '2026-03-02', 1, ['a1', 'a2']],
      ['thon-b', '2026-03-02', 1, ['b1']],
    ]);
    enqueue(s, [envelope('thon-a', 'a3')], EIGHT + 3 * 3_600_000, seen);
    const later = takeReadyDigests(s, EIGHT + 3 * 3_600_000 + WINDOW).ready;
    expect(later.map((r) => [r.input.recipient.unitId, r.input.batch])).toEqual([['thon-a', 2]]);
  });

  it('reports a rejected digest to the supervising office, item by item, scheduled at the failed flush', () => {
    const s = state();
    const seen = new Set<string>();
    enqueue(s, [envelope('thon-b', 'b1', EIGHT), envelope('thon-b', 'b2', EIGHT)], EIGHT, seen);
    const [digest] = takeReadyDigests(s, EIGHT + WINDOW).ready;
    const reports = recordOutcome(s, digest!.pending, 1, { outcome: 'rejected', messageId: '<m>', reason: '550 không tồn tại' }, EIGHT + WINDOW);
    expect(reports.map((r) => [r.recipientUnitId, r.item.kind, r.item.unitId, r.item.id, r.scheduledAt])).toEqual([
      ['ubnd', 'delivery-failure', 'thon-b', 'b1:delivery-failure:thon-b', new Date(EIGHT + WINDOW).toISOString()],
      ['ubnd', 'delivery-failure', 'thon-b', 'b2:delivery-failure:thon-b', new Date(EIGHT + WINDOW).toISOString()],
    ]);
    expect(reports[0]?.item.note).toContain('550 không tồn tại');
    expect(s.deliveries.map((d) => d.outcome)).toEqual(['rejected']);
    // The office's own mailbox failing is recorded but not reported to itself.
    enqueue(s, reports, EIGHT + WINDOW + 100, seen);
    const [toOffice] = takeReadyDigests(s, EIGHT + 2 * WINDOW).ready;
    expect(recordOutcome(s, toOffice!.pending, 1, { outcome: 'failed', reason: 'hết lượt thử' }, EIGHT + 2 * WINDOW)).toEqual([]);
  });

  it('starts a new digest for an item that comes after a held digest\'s window, as it would after the digest went out', () => {
    const s = state();
    const seen = new Set<string>();
    enqueue(s, [envelope('thon-b', 'b1', EIGHT), envelope('ubnd', 'u1', EIGHT)], EIGHT, seen);
    // The run has room for thon-b's digest only: the office's stays pending past its window.
    let room = 1;
    const first = takeReadyDigests(s, EIGHT + WINDOW, { fits: () => (room -= 1) >= 0 });
    expect(first.ready.map((r) => r.input.recipient.unitId)).toEqual(['thon-b']);
    const notices = recordOutcome(s, first.ready[0]!.pending, 1, { outcome: 'rejected', messageId: '<m>', reason: '550' }, EIGHT + WINDOW + 2_000);
    const late = structuredClone(s);
    enqueue(s, notices, EIGHT + WINDOW + 2_000, seen);
    const next = takeReadyDigests(s, EIGHT + 2 * WINDOW + 2_000);
    expect(next.ready.map((r) => [r.input.recipient.unitId, r.input.batch, r.input.items.map((i) => i.id)])).toEqual([
      ['ubnd', 1, ['u1']],
      ['ubnd', 2, ['b1:delivery-failure:thon-b']],
    ]);
    // Runs recorded before the rule let the held digest take the notice.
    enqueue(late, notices, EIGHT + WINDOW + 2_000, new Set(), () => 'takes-late-items');
    expect(takeReadyDigests(late, EIGHT + 2 * WINDOW + 2_000).ready.map((r) => r.input.items.map((i) => i.id))).toEqual([['u1', 'b1:delivery-failure:thon-b']]);
  });

  it('splits a large group into digests of at most the limit and keeps what the run has no room for', () => {
    const s = state();
    const seen = new Set<string>();
    enqueue(s, Array.from({ length: 450 }, (_, i) => envelope('thon-a', `a${i}`, EIGHT)), EIGHT, seen);
    enqueue(s, [envelope('thon-b', 'b1', EIGHT)], EIGHT, seen);
    let room = 2;
    const first = takeReadyDigests(s, EIGHT + WINDOW, { maxItemsPerDigest: 200, fits: () => (room -= 1) >= 0 });
    expect(first.held).toBe(true);
    expect(first.ready.map((r) => [r.input.recipient.unitId, r.input.batch, r.input.items.length, r.input.items[0]?.id])).toEqual([
      ['thon-a', 1, 200, 'a0'],
      ['thon-a', 2, 200, 'a200'],
    ]);
    expect(s.pending.map((p) => [p.recipientUnitId, p.items.length, p.items[0]?.id])).toEqual([['thon-a', 50, 'a400'], ['thon-b', 1, 'b1']]);
    const next = takeReadyDigests(s, EIGHT + WINDOW + 1, { maxItemsPerDigest: 200, fits: () => true });
    expect(next.held).toBe(false);
    expect(next.ready.map((r) => [r.input.recipient.unitId, r.input.batch, r.input.items.length])).toEqual([['thon-a', 3, 50], ['thon-b', 1, 1]]);
    expect(s.pending).toEqual([]);
  });

  it('sheds the oldest dedupe days down to two, then the older half of the successful deliveries, never a failed one', () => {
    const s = state();
    s.seenByDay = { '2026-03-02': ['a|x'], '2026-03-03': ['b|y'], '2026-03-04': ['c|z'], '2026-03-05': ['d|w'] };
    const record = (outcome: 'sent' | 'failed', at: string) => ({ recipientUnitId: 'thon-a', localDate: at.slice(0, 10), batch: 1, itemIds: ['i'], outcome, at });
    s.deliveries = [record('sent', '2026-03-02T01:05:00.000Z'), record('failed', '2026-03-02T01:06:00.000Z'), record('sent', '2026-03-03T01:05:00.000Z'), record('sent', '2026-03-04T01:05:00.000Z')];
    expect(shedOldest(s)).toBe(true);
    expect(shedOldest(s)).toBe(true);
    expect(Object.keys(s.seenByDay)).toEqual(['2026-03-04', '2026-03-05']);
    expect(shedOldest(s)).toBe(true);
    expect(s.deliveries.map((d) => `${d.outcome} ${d.localDate}`)).toEqual(['failed 2026-03-02', 'sent 2026-03-04']);
    expect(shedOldest(s)).toBe(true);
    expect(shedOldest(s)).toBe(false);
    expect(s.deliveries.map((d) => d.outcome)).toEqual(['failed']);
    expect(Object.keys(s.seenByDay)).toEqual(['2026-03-04', '2026-03-05']);
  });

  it('retries only the due digests the run has room for; the others stay waiting', () => {
    const s = state();
    const waiting = (id: string, at: number) => ({
      pending: { recipientUnitId: 'thon-a', localDate: '2026-03-02', firstItemAt: new Date(EIGHT).toISOString(), flushAt: new Date(EIGHT + WINDOW).toISOString(), items: [envelope('thon-a', id).item] },
      batch: 1, attempts: 1, firstFailedAt: new Date(EIGHT).toISOString(), nextAttemptAt: new Date(at).toISOString(), lastError: '421',
    });
    s.waiting = [waiting('w1', EIGHT + 1), waiting('w2', EIGHT + 2), waiting('w3', EIGHT + 10 * WINDOW), waiting('w4', EIGHT + 3)];
    let room = 1;
    const { due, held } = takeDueRetries(s, EIGHT + WINDOW, () => (room -= 1) >= 0);
    expect(held).toBe(true);
    expect(due.map((d) => d.retry.pending.items[0]?.id)).toEqual(['w1']);
    expect(s.waiting.map((w) => w.pending.items[0]?.id)).toEqual(['w2', 'w3', 'w4']);
    expect(takeDueRetries(s, EIGHT + WINDOW).due.map((d) => d.retry.pending.items[0]?.id)).toEqual(['w2', 'w4']);
  });
});
