/**
 * Packing of mail items for hand-overs and continue-as-new: exact (what is unpacked equals, field
 * for field and in order, what was packed, whatever the item's shape) and small (a reminder day of
 * a 200-unit plan in a few kilobytes, where the items whole were hundreds).
 */
import { describe, expect, it } from 'vitest';
import type { DigestItem } from '../../activities/mail/types';
import { decodePairs, encodePairs, packEnvelopes, packMailroomState, unpackEnvelopes, unpackMailroomState } from '../../workflows/mail-pack';
import { enqueue, initialMailroomState, recordOutcome, takeReadyDigests } from '../../workflows/mailroom-state';
import type { MailEnvelope, MailroomState } from '../../workflows/types';

const units = Array.from({ length: 200 }, (_, i) => ({ id: `don-vi-${i + 1}`, name: `Tổ dân phố số ${i + 1}`, kind: 'residential-group', emails: [`dv${i + 1}@example.vn`] }));
const office = { id: 'phong', name: 'Phòng Văn hóa - Xã hội', kind: 'department', emails: ['p@example.vn'] };
const head = { id: 'cum-1', name: 'Cụm 1', kind: 'cluster', emails: ['c1@example.vn'] };

function reminder(duty: number, unit: { id: string; name: string }, at = '2026-01-09T01:00:00.000Z'): DigestItem {
  const occurrenceKey = `nhiem-vu-${duty}:${unit.id}:2026-01`;
  return {
    id: `${occurrenceKey}:reminder:${at}`,
    kind: 'reminder',
    occurrenceKey,
    dutyId: `nhiem-vu-${duty}`,
    dutyTitle: `Báo cáo số ${duty}`,
    dutyKind: 'report',
    unitId: unit.id,
    unitName: unit.name,
    periodLabel: 'tháng 01/2026',
    dueAt: '2026-01-15T10:00:00.000Z',
  };
}

const SCHEDULED = '2026-01-09T01:00:00.000Z';
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('pairs', () => {
  it('keeps order and writes runs in either direction', () => {
    const pairs: [number, number][] = [[3, 0], [3, 1], [3, 2], [0, 7], [1, 7], [2, 7], [5, 5], [4, 4], [9, 1]];
    expect(encodePairs(pairs)).toBe('3.0-2,0-2.7,5.5,4.4,9.1');
    expect(decodePairs(encodePairs(pairs))).toEqual(pairs);
    expect(decodePairs('')).toEqual([]);
  });
});

describe('a hand-over', () => {
  it('unpacks to the envelopes it was packed from, escalations, renamed units and odd ids included', () => {
    const odd: DigestItem = { ...reminder(2, units[1]!), occurrenceKey: 'khac', id: 'khac-hoan-toan', eventAt: '2026-01-20T02:00:00.000Z', place: 'Hội trường' };
    const envelopes: MailEnvelope[] = [
      ...units.slice(0, 5).map((unit) => ({ recipientUnitId: unit.id, item: reminder(1, unit), scheduledAt: SCHEDULED })),
      { recipientUnitId: head.id, item: { ...reminder(1, units[0]!), kind: 'escalation', id: 'nhiem-vu-1:don-vi-1:2026-01:escalation:1', level: 1 }, scheduledAt: SCHEDULED },
      { recipientUnitId: units[0]!.id, item: { ...reminder(3, units[0]!), unitName: 'Tên mới' } },
      { recipientUnitId: units[1]!.id, item: odd, scheduledAt: SCHEDULED },
      { recipientUnitId: units[2]!.id, item: reminder(1, units[2]!), scheduledAt: '2026-01-12T01:00:00.000Z' },
    ];
    const packed = packEnvelopes(envelopes);
    const back = unpackEnvelopes(JSON.parse(JSON.stringify(packed)));
    // Order within a (due instant, recipient) group is kept; groups come in the order they began.
    expect(back).toEqual([envelopes[0], envelopes[1], envelopes[2], envelopes[3], envelopes[4], envelopes[7], envelopes[5], envelopes[6], envelopes[8]]);
    expect(back.map((e) => Object.keys(e.item))).toEqual(
      [envelopes[0], envelopes[1], envelopes[2], envelopes[3], envelopes[4], envelopes[7], envelopes[5], envelopes[6], envelopes[8]].map((e) => Object.keys(e!.item)),
    );
  });

  it('takes a monthly duty of 200 units in under 2 KB, where the envelopes whole take 80 KB', () => {
    const envelopes = units.map((unit) => ({ recipientUnitId: unit.id, item: reminder(1, unit), scheduledAt: SCHEDULED }));
    const packed = packEnvelopes(envelopes);
    expect(bytes(envelopes)).toBeGreaterThan(80_000);
    expect(bytes(packed)).toBeLessThan(2 * 1024 + bytes(units.map((u) => [u.id, u.name])));
    expect(packed.groups).toEqual([{ items: '0.0-199', scheduledAt: SCHEDULED }]);
    expect(unpackEnvelopes(packed)).toEqual(envelopes);
  });

  it('passes envelopes from duties that ran before packing through unchanged', () => {
    const envelopes = [{ recipientUnitId: units[0]!.id, item: reminder(1, units[0]!) }];
    expect(unpackEnvelopes(envelopes)).toBe(envelopes);
  });
});

describe("the mailroom's state", () => {
  const WINDOW = 5 * 60_000;
  const startState = (): MailroomState =>
    initialMailroomState({
      planId: 'quy-mo-2026', year: 2026, timeZone: 'Asia/Ho_Chi_Minh', supervisorUnitId: office.id, units: [office, head, ...units],
      settings: { utcOffsetMinutes: 420, closesAt: '2027-01-01T00:00:00.000Z', mailCollectionWindowMs: WINDOW, historyEventLimit: 1800 },
    });

  /** A reminder morning of 20 monthly duties for 200 units, one digest sent and one refused, the rest pending. */
  function busyMorning(): MailroomState {
    const state = startState();
    const seen = new Set<string>();
    const now = Date.parse(SCHEDULED);
    for (let duty = 1; duty <= 20; duty += 1) {
      enqueue(state, units.map((unit) => ({ recipientUnitId: unit.id, item: reminder(duty, unit), scheduledAt: SCHEDULED })), now, seen);
    }
    const [first, second] = takeReadyDigests(state, now + WINDOW, { fits: (() => { let n = 0; return () => (n += 1) <= 2; })() }).ready;
    recordOutcome(state, first!.pending, 1, { outcome: 'sent', messageId: '<a@kehoach.x>' }, now + WINDOW);
    const reports = recordOutcome(state, second!.pending, 1, { outcome: 'rejected', messageId: '<b@kehoach.x>', reason: '550 không có hộp thư' }, now + WINDOW);
    enqueue(state, reports, now + WINDOW, seen);
    state.waiting = [{ pending: { ...second!.pending, items: second!.pending.items.slice(0, 3) }, batch: 1, attempts: 2, firstFailedAt: SCHEDULED, nextAttemptAt: '2026-01-09T02:00:00.000Z', lastError: '421 bận' }];
    return state;
  }

  it('unpacks to the state it was packed from', () => {
    const state = busyMorning();
    expect(state.pending.reduce((n, p) => n + p.items.length, 0)).toBe(3960 + 20);
    const back = unpackMailroomState(JSON.parse(JSON.stringify(packMailroomState(state))));
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const asSets = (s: MailroomState) => ({
      ...s,
      pending: s.pending.map((p) => ({ ...p, items: [...p.items].sort(byId) })),
      waiting: (s.waiting ?? []).map((w) => ({ ...w, pending: { ...w.pending, items: [...w.pending.items].sort(byId) } })),
      seenByDay: Object.fromEntries(Object.entries(s.seenByDay ?? {}).map(([day, keys]) => [day, [...keys].sort()])),
    });
    expect(asSets(back)).toEqual(asSets(JSON.parse(JSON.stringify(state))));
  });

  it('carries a reminder morning of 4 000 items in under 64 KB, where the state whole takes 1.5 MB', () => {
    const state = busyMorning();
    const packed = packMailroomState(state);
    console.log(`[mail-pack] state whole ${(bytes(state) / 1024).toFixed(0)} KB, packed ${(bytes(packed) / 1024).toFixed(1)} KB`);
    expect(bytes(state)).toBeGreaterThan(1.5 * 1024 * 1024);
    expect(bytes(packed)).toBeLessThan(64 * 1024);
  });

  it('moves the item keys of a state from before pruning to the day it resumes, as the whole state did', () => {
    const state = { ...startState(), seenByDay: undefined, seenItemIds: ['don-vi-1|nhiem-vu-1:don-vi-1:2026-01:overdue', 'la-thuong'] };
    const back = unpackMailroomState(packMailroomState(state));
    expect(back.seenItemIds).toEqual(state.seenItemIds);
    expect(back.seenByDay).toEqual({});
  });
});
