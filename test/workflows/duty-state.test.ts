/**
 * The duty rules as pure functions, without a server: however time advances (in any steps), every
 * planned notification is handed over exactly once, nothing after a submission, and extensions
 * move reminders and escalations together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyExtensionDecision,
  applyExtensionRequest,
  applySubmission,
  dueNotifications,
  initialDutyState,
  markSent,
  plannedNotifications,
} from '../../workflows/duty-state';
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
