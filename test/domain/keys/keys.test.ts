/**
 * Every id and key kehoach builds is read back by the module that builds it. Expected strings are
 * written out by hand: they are recorded in running workflows' histories, in delivery ledgers and
 * in mail already sent, so a builder that changed its output would break those.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestMessageId, ledgerFileStem, parseDigestMessageId } from '../../../domain/keys/message-id';
import {
  deliveryFailureId,
  escalationNoticeId,
  extensionDecisionId,
  notificationId,
  overdueNoticeId,
  parseNotificationId,
  timedNoticeId,
  type NotificationId,
} from '../../../domain/keys/notification-ids';
import { occurrenceKey, parseOccurrenceKey } from '../../../domain/keys/occurrence-keys';
import { dutyWorkflowId, mailroomWorkflowId, parseWorkflowId, planWorkflowId } from '../../../domain/keys/workflow-ids';

const planIdArb = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+){0,3}$/);
const periodKeyArb = fc.constantFrom('2026-03', '2026-Q1', '2026-H2', '2026-9M', '2026-Y', '2026-03-20');
const occurrenceKeyArb = fc.tuple(planIdArb, planIdArb, periodKeyArb).map(([duty, unit, period]) => occurrenceKey(duty, unit, period));
const instantArb = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const noticeArb: fc.Arbitrary<NotificationId> = fc.oneof(
  fc.record({ kind: fc.constantFrom('reminder' as const, 'invitation' as const, 'minutes-request' as const), occurrenceKey: occurrenceKeyArb, at: instantArb }),
  fc.record({ kind: fc.constant('overdue' as const), occurrenceKey: occurrenceKeyArb }),
  fc.record({ kind: fc.constant('escalation' as const), occurrenceKey: occurrenceKeyArb, level: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('extension-decision' as const), occurrenceKey: occurrenceKeyArb, decision: fc.integer({ min: 1, max: 40 }) }),
);
const anyNoticeArb = fc.oneof(
  noticeArb,
  fc.record({ kind: fc.constant('delivery-failure' as const), failed: noticeArb, recipientUnitId: planIdArb }),
);

describe('workflow ids', () => {
  it('are the recorded strings', () => {
    expect(planWorkflowId('ha-dong-2026', 2026)).toBe('kehoach:ha-dong-2026:2026');
    expect(mailroomWorkflowId('ha-dong-2026', 2026)).toBe('kehoach:ha-dong-2026:2026:mail');
    expect(dutyWorkflowId('ha-dong-2026', 2026, 'bc-dccs-quy')).toBe('kehoach:ha-dong-2026:2026:duty:bc-dccs-quy');
  });

  it('read back as what they address', () => {
    fc.assert(
      fc.property(planIdArb, fc.integer({ min: 2000, max: 2099 }), planIdArb, (planId, year, dutyId) => {
        expect(parseWorkflowId(planWorkflowId(planId, year))).toEqual({ role: 'plan', planId, year });
        expect(parseWorkflowId(mailroomWorkflowId(planId, year))).toEqual({ role: 'mailroom', planId, year });
        expect(parseWorkflowId(dutyWorkflowId(planId, year, dutyId))).toEqual({ role: 'duty', planId, year, dutyId });
      }),
    );
  });

  it('refuse anything else', () => {
    for (const id of ['', 'kehoach:ha-dong', 'kehoach:ha-dong:26', 'other:ha-dong:2026', 'kehoach:ha-dong:2026:duty:', 'kehoach:ha-dong:2026:mail:x']) {
      expect(parseWorkflowId(id), id).toBeUndefined();
    }
  });
});

describe('occurrence keys', () => {
  it('join duty, unit and period', () => {
    expect(occurrenceKey('bc-dccs-quy', 'th-ha-dong', '2026-Q1')).toBe('bc-dccs-quy:th-ha-dong:2026-Q1');
    expect(parseOccurrenceKey('bc-dccs-quy:th-ha-dong:2026-Q1')).toEqual({ dutyId: 'bc-dccs-quy', unitId: 'th-ha-dong', periodKey: '2026-Q1' });
  });

  it('refuse a key of another shape', () => {
    for (const key of ['', 'a:b', 'a:b:c:d', 'a::c']) expect(parseOccurrenceKey(key), key).toBeUndefined();
  });
});

describe('notification ids', () => {
  const occ = 'bc-dccs-quy:th-ha-dong:2026-Q1';

  it('are the recorded strings', () => {
    expect(timedNoticeId(occ, 'reminder', '2026-03-24T01:00:00.000Z')).toBe('bc-dccs-quy:th-ha-dong:2026-Q1:reminder:2026-03-24T01:00:00.000Z');
    expect(overdueNoticeId(occ)).toBe('bc-dccs-quy:th-ha-dong:2026-Q1:overdue');
    expect(escalationNoticeId(occ, 2)).toBe('bc-dccs-quy:th-ha-dong:2026-Q1:escalation:2');
    expect(extensionDecisionId(occ, 1)).toBe('bc-dccs-quy:th-ha-dong:2026-Q1:extension-decision:1');
    expect(deliveryFailureId(escalationNoticeId(occ, 2), 'ubnd-xa')).toBe('bc-dccs-quy:th-ha-dong:2026-Q1:escalation:2:delivery-failure:ubnd-xa');
  });

  it('read back into what built them, and build the same id again', () => {
    fc.assert(
      fc.property(anyNoticeArb, (parts) => {
        const id = notificationId(parts);
        expect(parseNotificationId(id)).toEqual(parts);
      }),
    );
  });

  it('name the escalation level and the undelivered item', () => {
    expect(parseNotificationId('bc-dccs-quy:th-ha-dong:2026-Q1:escalation:3')).toEqual({ kind: 'escalation', occurrenceKey: occ, level: 3 });
    expect(parseNotificationId('bc-dccs-quy:th-ha-dong:2026-Q1:overdue:delivery-failure:th-ha-dong')).toEqual({
      kind: 'delivery-failure',
      failed: { kind: 'overdue', occurrenceKey: occ },
      recipientUnitId: 'th-ha-dong',
    });
  });

  it('refuse strings no builder makes', () => {
    for (const id of [
      '',
      'bc-dccs-quy:th-ha-dong:2026-Q1',
      'bc-dccs-quy:th-ha-dong:2026-Q1:escalation:0',
      'bc-dccs-quy:th-ha-dong:2026-Q1:escalation:x',
      'bc-dccs-quy:th-ha-dong:2026-Q1:overdue:1',
      'bc-dccs-quy:th-ha-dong:2026-Q1:reminder:not-an-instant',
      'bc-dccs-quy:th-ha-dong:2026-Q1:ringing:2026-03-24T01:00:00.000Z',
      'bc-dccs-quy:th-ha-dong:2026-Q1:overdue:delivery-failure:',
    ]) {
      expect(parseNotificationId(id), id).toBeUndefined();
    }
  });
});

describe('digest Message-IDs', () => {
  const digest = {
    planId: 'ha-dong-2026',
    year: 2026,
    recipient: { unitId: 'th-ha-dong' },
    localDate: '2026-03-24',
    items: [{ id: 'b' }, { id: 'a' }],
  };

  it('name the digest by its items, in any order, under the sender domain', () => {
    const id = digestMessageId(digest, 'ha-dong.example');
    expect(id).toMatch(/^<[0-9a-f]{32}@kehoach\.ha-dong\.example>$/);
    expect(digestMessageId({ ...digest, items: [{ id: 'a' }, { id: 'b' }] }, 'ha-dong.example')).toBe(id);
    expect(digestMessageId({ ...digest, items: [{ id: 'a' }] }, 'ha-dong.example')).not.toBe(id);
    expect(parseDigestMessageId(id)).toEqual({ digest: id.slice(1, 33), senderDomain: 'ha-dong.example' });
    expect(ledgerFileStem(id)).toBe(`${id.slice(1, 33)}@kehoach.ha-dong.example`);
  });

  it('refuse a Message-ID of another sender', () => {
    expect(parseDigestMessageId('<abc@example.com>')).toBeUndefined();
    expect(ledgerFileStem('<a/b c@x>')).toBe('a_b_c@x');
  });
});
