/**
 * The duty rules as pure functions, without a server: however time advances (in any steps), every
 * planned notification is handed over exactly once, nothing after a submission, and extensions
 * move reminders and escalations together.
 */
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyExtensionDecision,
  applyExtensionRequest,
  applySubmission,
  applyWaiver,
  dueNotifications,
  initialDutyState,
  markSent,
  overallStatus,
  plannedNotifications,
  replaceSchedule,
  retire,
  validateExtensionDecision,
  validateExtensionRequest,
  validateSubmission,
  validateWaiver,
} from '../../workflows/duty-state';
import { expandSchedule, packDutyState, packSchedule, unpackDutyState, type PackedDutyState } from '../../workflows/duty-pack';
import type { DutyState, RunSettings } from '../../workflows/types';
import { REPORT_DUTY, SMALL_UNITS, clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';

const BASE = nextLocalMidnight(Date.parse('2026-01-01T00:00:00Z'));
const clock = clockFrom(BASE);
const SETTINGS: RunSettings = { utcOffsetMinutes: 420, closesAt: clock.at(90), mailCollectionWindowMs: 300_000, historyEventLimit: 2000 };

function freshState(): DutyState {
  const plan = smallPlan('p', BASE);
  return initialDutyState(
    {
      planId: 'p', year: 2026, timeZone: plan.timeZone, planTitle: plan.title, supervisorUnitId: 'ubnd',
      duty: REPORT_DUTY, units: SMALL_UNITS, settings: SETTINGS,
      occurrences: plan.occurrences.filter((o) => o.dutyId === 'bc-thang'),
    },
    BASE,
  );
}

function advance(state: DutyState, toMs: number): string[] {
  const due = dueNotifications(state, toMs);
  markSent(state, due);
  return due.map((n) => n.id);
}

describe('duty rules', () => {
  it('hands over every notification exactly once, whatever the steps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90 * 24 }), { maxLength: 30 }), (hours) => {
        const state = freshState();
        const steps = [...hours.map((h) => BASE + h * 3_600_000), Date.parse(clock.at(90))].sort((a, b) => a - b);
        const sent = steps.flatMap((at) => advance(state, at));
        const planned = state.occurrences.flatMap((os) => plannedNotifications(state, os)).map((n) => n.id);
        expect(new Set(sent).size).toBe(sent.length);
        expect([...sent].sort()).toEqual([...planned].sort());
      }),
      { numRuns: 50 },
    );
  });

  it('sends nothing for an occurrence after it is submitted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 * 24 }), (hour) => {
        const state = freshState();
        const submitAt = BASE + hour * 3_600_000;
        advance(state, submitAt);
        applySubmission(state, { unitId: 'thon-a', periodKey: 'K2', fields: { so_vu: 1 } }, submitAt);
        const later = advance(state, Date.parse(clock.at(90)));
        expect(later.filter((id) => id.startsWith('bc-thang:thon-a:K2:'))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('moves reminders, the overdue notice and escalations by the extension', () => {
    const state = freshState();
    const at = Date.parse(clock.at(30, 10));
    advance(state, at);
    applyExtensionRequest(state, { unitId: 'thon-a', periodKey: 'K2', until: clock.endOfDay(45), reason: 'Ốm' }, at);
    applyExtensionDecision(state, { unitId: 'thon-a', periodKey: 'K2', approve: true }, at);
    const os = state.occurrences.find((o) => o.occurrence.key === 'bc-thang:thon-a:K2');
    const planned = plannedNotifications(state, os!).map((n) => [n.id.replace('bc-thang:thon-a:K2:', ''), clock.dayOf(n.atMs)]);
    const notice = plannedNotifications(state, os!).find((n) => n.id.endsWith(':extension-decision:1'));
    expect(notice?.envelope.item.note).toContain('hết ngày');
    expect(notice?.atMs).toBe(at);
    expect(planned.slice(1)).toEqual([
      [`reminder:${clock.at(40)}`, 40],
      [`reminder:${clock.at(45)}`, 45],
      ['overdue', 46],
      ['escalation:1', 47],
      ['escalation:2', 49],
    ]);
  });
});

/**
 * A duty keeps what it planned for an occurrence until something planning reads changes. Whatever
 * happens in between, what it plans must be what a copy of its state (new objects, nothing kept)
 * plans from scratch.
 */
describe('planning kept between wakes', () => {
  type Step =
    | { kind: 'advance'; hours: number }
    | { kind: 'submit' | 'waive' | 'extend' | 'refuse-extension'; pick: number; hours: number }
    | { kind: 'amend'; drop: number }
    | { kind: 'retire' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 0, max: 10 * 24 }) }),
    fc.record({
      kind: fc.constantFrom('submit' as const, 'waive' as const, 'extend' as const, 'refuse-extension' as const),
      pick: fc.nat(),
      hours: fc.integer({ min: 0, max: 48 }),
    }),
    fc.record({ kind: fc.constant('amend' as const), drop: fc.nat() }),
    fc.record({ kind: fc.constant('retire' as const) }),
  );
  const view = (state: DutyState) =>
    state.occurrences.map((os) => plannedNotifications(state, os).map((n) => ({ id: n.id, atMs: n.atMs, envelope: n.envelope })));
  const attempt = (work: () => void): void => {
    try {
      work();
    } catch (err) {
      if (!(err instanceof ApplicationFailure)) throw err;
    }
  };

  it('plans what a fresh copy of the state plans, after every change', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const state = freshState();
        const all = state.occurrences.map((os) => os.occurrence);
        let now = BASE;
        for (const s of steps) {
          if ('hours' in s) now += s.hours * 3_600_000;
          const target = 'pick' in s ? state.occurrences[s.pick % state.occurrences.length]!.occurrence : undefined;
          const which = target ? { unitId: target.unitId, periodKey: target.periodKey } : { unitId: '', periodKey: '' };
          switch (s.kind) {
            case 'advance':
              markSent(state, dueNotifications(state, now));
              break;
            case 'submit':
              attempt(() => {
                validateSubmission(state, { ...which, fields: { so_vu: 1 } }, now);
                applySubmission(state, { ...which, fields: { so_vu: 1 } }, now);
              });
              break;
            case 'waive':
              attempt(() => {
                validateWaiver(state, { ...which, reason: 'Miễn' });
                applyWaiver(state, { ...which, reason: 'Miễn' }, now);
              });
              break;
            case 'extend':
            case 'refuse-extension':
              attempt(() => {
                const dueAt = state.occurrences.find((os) => os.occurrence.key === target?.key)?.dueAt ?? '';
                const request = { ...which, until: new Date(Date.parse(dueAt) + 5 * 86_400_000).toISOString(), reason: 'Ốm' };
                validateExtensionRequest(state, request, now);
                applyExtensionRequest(state, request, now);
                const decision = { ...which, approve: s.kind === 'extend' };
                validateExtensionDecision(state, decision);
                applyExtensionDecision(state, decision, now);
              });
              break;
            case 'amend': {
              const kept = all.filter((_, i) => i !== s.drop % all.length);
              replaceSchedule(state, { duty: state.duty, units: [...state.units], occurrences: kept, planTitle: state.planTitle, supervisorUnitId: state.supervisorUnitId }, now);
              break;
            }
            case 'retire':
              retire(state);
              break;
          }
          expect(view(state)).toEqual(view(structuredClone(state)));
        }
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The validator of submissions re-checks canonical values with the rules the web form and the CLI
 * parse with. Each case is one a tester saw accepted (or refused wrongly) before those rules were shared.
 */
describe('submission validator', () => {
  function stateWithFields(): DutyState {
    const state = freshState();
    state.duty = {
      ...state.duty,
      fields: [
        { id: 'so_cuoc_hop', label: 'Số cuộc họp', type: 'count', required: true, sum: true },
        { id: 'so_don_thu', label: 'Số đơn thư', type: 'count', required: false, sum: true },
        { id: 'kinh_phi', label: 'Kinh phí', type: 'money', required: false, sum: true },
        { id: 'danh_gia', label: 'Đánh giá chung', type: 'text', required: true },
        { id: 'ghi_chu', label: 'Ghi chú', type: 'text', required: false },
      ],
    };
    return state;
  }
  const request = (fields: Record<string, unknown>) =>
    ({ unitId: 'thon-a', periodKey: 'K2', fields }) as Parameters<typeof validateSubmission>[1];
  const good = { so_cuoc_hop: 3, danh_gia: 'Tốt' };
  /** A day into period K2, which takes submissions from its first day. */
  const K2_OPEN = Date.parse(clock.at(31));

  function refusal(fields: Record<string, unknown>): { code: unknown; message: string } {
    try {
      validateSubmission(stateWithFields(), request(fields), K2_OPEN);
    } catch (err) {
      if (err instanceof ApplicationFailure) return { code: err.details?.[0], message: err.message };
      throw err;
    }
    throw new Error(`accepted ${JSON.stringify(fields)}`);
  }

  it('accepts a well-formed report', () => {
    expect(() => validateSubmission(stateWithFields(), request({ ...good, kinh_phi: 1_500_000 }), K2_OPEN)).not.toThrow();
  });

  it('refuses negative counts that the year-end report would add up', () => {
    expect(refusal({ ...good, so_cuoc_hop: -5 })).toEqual({
      code: 'wrong-field-type',
      message: 'Trường "Số cuộc họp" phải là số nguyên không âm (ví dụ 1.000), nhận được "-5".',
    });
    expect(refusal({ ...good, so_don_thu: -3 }).message).toContain('Trường "Số đơn thư" phải là số nguyên không âm');
  });

  it('refuses a fraction of a letter', () => {
    expect(refusal({ ...good, so_don_thu: 1.5 }).message).toBe('Trường "Số đơn thư" phải là số nguyên không âm (ví dụ 1.000), nhận được "1,5".');
  });

  it('refuses a count past what a number holds exactly (1e20)', () => {
    expect(refusal({ ...good, so_don_thu: 1e20 }).message).toContain('Trường "Số đơn thư" phải không quá 9.007.199.254.740.991');
    expect(refusal({ ...good, kinh_phi: Number.MAX_SAFE_INTEGER + 1 }).message).toContain('9.007.199.254.740.991 đồng');
  });

  it('refuses null (what JSON makes of Infinity), in an optional field and in a required one', () => {
    expect(refusal({ ...good, so_don_thu: null })).toEqual({
      code: 'wrong-field-type',
      message: 'Trường "Số đơn thư" phải là số nguyên không âm (ví dụ 1.000), nhận được giá trị rỗng (null).',
    });
    expect(refusal({ ...good, so_cuoc_hop: null }).code).toBe('wrong-field-type');
  });

  it('does not count zero-width characters as content of a required text', () => {
    expect(refusal({ ...good, danh_gia: '\u200b\u200c\u2060\ufeff' })).toEqual({
      code: 'missing-field',
      message: 'Trường "Đánh giá chung" là bắt buộc; nội dung gửi lên chỉ có khoảng trắng hoặc ký tự vô hình, không có chữ nào.',
    });
  });

  it('names every refused field at once', () => {
    const { message } = refusal({ so_cuoc_hop: -5, so_don_thu: 1.5, danh_gia: ' ' });
    expect(message).toContain('"Số cuộc họp"');
    expect(message).toContain('"Số đơn thư"');
    expect(message).toContain('"Đánh giá chung"');
  });

  it('stores text canonical and leaves empty optional fields out', () => {
    const state = stateWithFields();
    applySubmission(state, request({ so_cuoc_hop: 3, danh_gia: '  To\u0302\u0301t \u200b', ghi_chu: '\u200b' }), BASE);
    const stored = state.occurrences.find((os) => os.occurrence.key === 'bc-thang:thon-a:K2')?.submission?.fields;
    expect(stored).toEqual({ so_cuoc_hop: 3, danh_gia: 'Tốt' });
  });

  describe('attachments', () => {
    const file = { hash: 'a1'.repeat(32), name: 'Biên bản.pdf', type: 'application/pdf', size: 2048 };
    const withFiles = (attachments: unknown) => ({ ...request(good), attachments }) as Parameters<typeof validateSubmission>[1];
    const refused = (attachments: unknown) => {
      try {
        validateSubmission(stateWithFields(), withFiles(attachments), K2_OPEN);
      } catch (err) {
        if (err instanceof ApplicationFailure) return { code: err.details?.[0], message: err.message };
        throw err;
      }
      throw new Error('accepted');
    };

    it('records well-formed references, only their four properties, and no key at all without files', () => {
      const state = stateWithFields();
      validateSubmission(state, withFiles([file]), K2_OPEN);
      applySubmission(state, withFiles([{ ...file, extra: 'bỏ đi' }]), BASE);
      expect(state.occurrences.find((os) => os.occurrence.key === 'bc-thang:thon-a:K2')?.submission?.attachments).toEqual([file]);
      const plain = stateWithFields();
      applySubmission(plain, request(good), BASE);
      expect(plain.occurrences.find((os) => os.occurrence.key === 'bc-thang:thon-a:K2')?.submission).not.toHaveProperty('attachments');
    });

    it('refuses a malformed reference, naming which, and more than ten files', () => {
      expect(refused([file, { ...file, hash: 'khong-phai-ma' }])).toEqual({
        code: 'bad-attachment',
        message: 'Tệp đính kèm thứ 2 thiếu mã nội dung, tên, loại hoặc kích thước hợp lệ.',
      });
      expect(refused([{ ...file, size: 0 }]).code).toBe('bad-attachment');
      expect(refused([{ ...file, name: ' ' }]).code).toBe('bad-attachment');
      expect(refused('tep.pdf').code).toBe('bad-attachment');
      expect(refused(Array.from({ length: 11 }, () => file))).toEqual({
        code: 'too-many-attachments',
        message: 'Mỗi lần nộp đính kèm tối đa 10 tệp (đã gửi 11 tệp).',
      });
    });
  });

  it('keeps, as sent, a value accepted under earlier rules, so old histories replay alike', () => {
    const state = stateWithFields();
    applySubmission(state, request({ so_cuoc_hop: -5, danh_gia: 'Tốt' }), BASE);
    expect(state.occurrences.find((os) => os.occurrence.key === 'bc-thang:thon-a:K2')?.submission?.fields.so_cuoc_hop).toBe(-5);
  });
});

describe('overall status', () => {
  function startedAt(nowMs: number): DutyState {
    const plan = smallPlan('p', BASE);
    return initialDutyState(
      {
        planId: 'p', year: 2026, timeZone: plan.timeZone, planTitle: plan.title, supervisorUnitId: 'ubnd',
        duty: REPORT_DUTY, units: SMALL_UNITS, settings: { ...SETTINGS, closesAt: new Date(nowMs + 86_400_000).toISOString() },
        occurrences: plan.occurrences.filter((o) => o.dutyId === 'bc-thang'),
      },
      nowMs,
    );
  }

  it('calls a duty none of whose items fell inside tracking untracked, never completed', () => {
    const lastDue = Math.max(...startedAt(BASE).occurrences.map((os) => Date.parse(os.dueAt)));
    const late = startedAt(lastDue + 1);
    expect(late.occurrences.length).toBeGreaterThan(0);
    expect(late.occurrences.every((os) => os.beforeTracking)).toBe(true);
    expect(overallStatus(late, lastDue + 2)).toBe('untracked');
  });

  it('calls a duty completed once every tracked item is settled', () => {
    const state = startedAt(BASE);
    for (const os of state.occurrences) os.waiver = { reason: 'thử', waivedAt: clock.at(1) };
    expect(overallStatus(state, BASE + 1)).toBe('completed');
  });
});

/**
 * Packing by period (what travels in start inputs, `loadSchedule` and continue-as-new) loses
 * nothing: the rules behave the same on the unpacked state, and a monthly duty of 200 units packs
 * far below Temporal's payload limit.
 */
describe('packed duty state', () => {
  it('gives back the same occurrences, in the expander\'s order', () => {
    const plan = smallPlan('p', BASE);
    const occurrences = plan.occurrences.filter((o) => o.dutyId === 'bc-thang');
    expect(expandSchedule(packSchedule('bc-thang', occurrences))).toEqual(occurrences);
  });

  it('keeps a unit whose schedule differs as its own group, and keys that do not follow the pattern', () => {
    const plan = smallPlan('p', BASE);
    const occurrences = plan.occurrences
      .filter((o) => o.dutyId === 'bc-thang')
      .map((o) => (o.unitId === 'thon-b' && o.periodKey === 'K2' ? { ...o, key: 'bc-thang:thon-b:K2-rieng', dueAt: clock.endOfDay(44) } : o));
    const packed = packSchedule('bc-thang', occurrences);
    expect(packed.keys).toEqual({ [`${packed.unitIds.indexOf('thon-b')}|K2`]: 'bc-thang:thon-b:K2-rieng' });
    expect(new Set(expandSchedule(packed))).toEqual(new Set(occurrences));
  });

  it('keeps each unit\'s escalation chain apart from the periods, and an occurrence with another chain as it is', () => {
    const plan = smallPlan('p', BASE);
    const base = plan.occurrences.filter((o) => o.dutyId === 'bc-thang');
    const otherChain = base.map((o) =>
      o.unitId === 'thon-b' ? { ...o, escalations: o.escalations.map((step) => ({ ...step, notifyUnitId: `cum-${step.level}` })) } : o,
    );
    const oneOff = otherChain.map((o) =>
      o.key === 'bc-thang:thon-a:K2' ? { ...o, escalations: o.escalations.map((step) => ({ ...step, notifyUnitId: 'chu-tich' })) } : o,
    );
    expect(packSchedule('bc-thang', otherChain).groups).toHaveLength(packSchedule('bc-thang', base).groups.length);
    expect(expandSchedule(packSchedule('bc-thang', otherChain))).toEqual(otherChain);
    expect(expandSchedule(packSchedule('bc-thang', oneOff))).toEqual(oneOff);
  });

  it('resumes a packed state that behaves exactly like the whole one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90 * 24 }), { minLength: 1, maxLength: 12 }), (hours) => {
        const whole = freshState();
        const steps = [...hours.map((h) => BASE + h * 3_600_000)].sort((a, b) => a - b);
        const first = steps[0] as number;
        advance(whole, first);
        if (first >= Date.parse(clock.at(31))) {
          applySubmission(whole, { unitId: 'thon-a', periodKey: 'K2', fields: { so_vu: 4 } }, first);
        }
        const k3 = whole.occurrences.find((os) => os.occurrence.key === 'bc-thang:thon-b:K3');
        if (first < Date.parse(k3!.dueAt)) {
          applyExtensionRequest(whole, { unitId: 'thon-b', periodKey: 'K3', until: clock.endOfDay(88), reason: 'Ốm' }, first);
          applyExtensionDecision(whole, { unitId: 'thon-b', periodKey: 'K3', approve: true }, first);
        }
        const resumed = unpackDutyState(JSON.parse(JSON.stringify(packDutyState(whole))) as PackedDutyState);
        expect(comparable(resumed)).toEqual(comparable(whole));
        for (const at of [...steps.slice(1), Date.parse(clock.at(90))]) expect(advance(resumed, at)).toEqual(advance(whole, at));
      }),
      { numRuns: 30 },
    );
  });

  it('packs a monthly duty of 200 units with its year of mail sent far below 256 KB', () => {
    const units = Array.from({ length: 200 }, (_, i) => `don-vi-${i + 1}`);
    const template = smallPlan('p', BASE).occurrences.filter((o) => o.dutyId === 'bc-thang' && o.unitId === 'thon-a');
    const occurrences = Array.from({ length: 12 }, (_, month) => template[month % template.length]!).flatMap((occ, month) =>
      units.map((unitId) => ({ ...occ, unitId, periodKey: `M${month + 1}`, key: `bc-thang:${unitId}:M${month + 1}` })),
    );
    const state = initialDutyState(
      { planId: 'p', year: 2026, timeZone: 'Asia/Ho_Chi_Minh', planTitle: 'p', supervisorUnitId: 'ubnd', duty: { ...REPORT_DUTY, unitIds: units }, units: SMALL_UNITS, settings: SETTINGS, occurrences },
      BASE,
    );
    markSent(state, dueNotifications(state, Date.parse(clock.at(90))));
    state.occurrences.forEach((os, i) => {
      os.submission = { reference: `2026/BC-THANG/${String(i + 1).padStart(4, '0')}`, receivedAt: new Date(BASE + i * 61_001).toISOString(), late: i % 7 === 0, fields: { so_vu: i }, submittedBy: `can-bo-${i % 5}` };
    });
    const whole = JSON.stringify(state).length;
    const packed = JSON.stringify(packDutyState(state)).length;
    expect(state.occurrences).toHaveLength(2_400);
    expect(state.sentNotificationIds.length).toBeGreaterThan(10_000);
    expect(whole).toBeGreaterThan(2 * 1024 * 1024);
    expect(packed).toBeLessThan(256 * 1024);
    expect(comparable(unpackDutyState(packDutyState(state)))).toEqual(comparable(state));
  });
});

/** A state as the rules see it: occurrences by key, sent ids as a set. */
function comparable(state: DutyState) {
  const { occurrences, sentNotificationIds, ...rest } = state;
  return {
    ...rest,
    occurrences: [...occurrences].sort((a, b) => a.occurrence.key.localeCompare(b.occurrence.key)),
    sent: [...sentNotificationIds].sort(),
  };
}
