import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../domain/plan/load';
import { expandPlan } from '../../../domain/schedule/expand';
import type { Occurrence } from '../../../domain/schedule/types';
import { buildPlan } from './plan-builder';

const endOf = (date: string) => new Date(Date.parse(`${date}T00:00:00+07:00`) + 86_400_000).toISOString();
const at = (date: string, time: string) => new Date(Date.parse(`${date}T${time}:00+07:00`)).toISOString();

function only(duty: unknown, extra?: Record<string, unknown>): Occurrence[] {
  return expandPlan(buildPlan([duty], extra)).occurrences;
}

describe('domain.md §6 vectors through the expander', () => {
  it.each([
    ['2026-01-08', '2026-01-14'],
    ['2026-02-13', '2026-02-27'],
    ['2026-04-24', '2026-05-06'],
    ['2026-08-28', '2026-09-08'],
  ])('a meeting on %s with minutes due 5 working days later is due at the end of %s', (meeting, due) => {
    const [occurrence] = only({
      kind: 'meeting',
      cadence: { every: 'dates', dates: [meeting] },
      event: { time: '14:00' },
      deadline: { rule: 'workingDaysAfter', from: 'event', days: 5 },
    });
    expect(occurrence?.eventAt).toBe(at(meeting, '14:00'));
    expect(occurrence?.dueAt).toBe(endOf(due));
  });

  it.each([
    ['2026-02-14', '2026-02-23'],
    ['2026-04-26', '2026-04-28'],
    ['2026-11-24', '2026-11-25'],
  ])('a deadline on the day off %s rolls to the end of %s (BLDS Đ148.5)', (date, rolled) => {
    expect(only({ cadence: { every: 'once', date } })[0]?.dueAt).toBe(endOf(rolled));
  });

  it('keeps the Q1 cut-off on Saturday 14/03 and rolls only the send deadline', () => {
    const q1 = only({ cadence: { every: 'quarterly', periods: 'reporting' }, deadline: { rule: 'daysAfter', from: 'periodEnd', days: 0 } })[0];
    expect(q1?.periodStart).toBe('2025-12-15');
    expect(q1?.periodEnd).toBe('2026-03-14');
    expect(q1?.dueAt).toBe(endOf('2026-03-16'));
    const twoDaysLater = only({ cadence: { every: 'quarterly', periods: 'reporting' }, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 2 } })[0];
    expect(twoDaysLater?.dueAt).toBe(endOf('2026-03-17'));
  });
});

describe('lead times (domain.md §8)', () => {
  const anchor = { id: 'hoi-nghi', kind: 'conference', cadence: { every: 'dates', dates: ['2026-12-13'] }, event: { time: '19:30' }, deadline: { rule: 'workingDaysAfter', from: 'event', days: 5 } };
  const notice = { id: 'thong-bao', kind: 'other', cadence: { every: 'relative', to: { duty: 'hoi-nghi' } }, deadline: { rule: 'daysBefore', from: 'anchor', days: 5 } };

  it('sends "≥5 d before Sun 13/12" by Tue 08/12 (X − N), or Mon 07/12 when the plan reads it strictly', () => {
    const loose = expandPlan(buildPlan([anchor, notice])).occurrences.find((o) => o.dutyId === 'thong-bao');
    expect(loose?.dueAt).toBe(endOf('2026-12-08'));
    expect(loose?.periodKey).toBe('2026-12-13');
    const strict = expandPlan(buildPlan([anchor, notice], { settings: { leadTime: 'event-minus-n-minus-1' } })).occurrences.find(
      (o) => o.dutyId === 'thong-bao',
    );
    expect(strict?.dueAt).toBe(endOf('2026-12-07'));
  });

  it('moves a lead time that lands on a day off earlier, never later', () => {
    const sixDays = { ...notice, deadline: { rule: 'daysBefore', from: 'anchor', days: 6 } };
    // 13/12 − 6 = Mon 07/12; − 8 = Sat 05/12 → Fri 04/12.
    expect(expandPlan(buildPlan([anchor, sixDays])).occurrences.find((o) => o.dutyId === 'thong-bao')?.dueAt).toBe(endOf('2026-12-07'));
    const eightDays = { ...notice, deadline: { rule: 'daysBefore', from: 'anchor', days: 8 } };
    expect(expandPlan(buildPlan([anchor, eightDays])).occurrences.find((o) => o.dutyId === 'thong-bao')?.dueAt).toBe(endOf('2026-12-04'));
  });
});

describe('reminders and escalations', () => {
  it('reminds on working days at the plan time and escalates up the chain after N working days overdue', () => {
    const [occurrence] = only({
      cadence: { every: 'once', date: '2026-02-13' },
      reminders: { daysBefore: [7, 3, 0] },
      escalation: [
        { afterWorkingDays: 1, level: 1 },
        { afterWorkingDays: 3, level: 2 },
        { afterWorkingDays: 5, level: 3 },
        { afterWorkingDays: 7, level: 4 },
      ],
    });
    // 13/02 − 7 = Fri 06/02; − 3 = Tue 10/02; 0 = the morning of Fri 13/02.
    expect(occurrence?.remindAt).toEqual([at('2026-02-06', '08:00'), at('2026-02-10', '08:00'), at('2026-02-13', '08:00')]);
    // After the Tết break: +1 wd = Mon 23/02, +3 = Wed 25/02, +5 = Fri 27/02; there is no level 4 above the Chủ tịch.
    expect(occurrence?.escalations).toEqual([
      { level: 1, at: at('2026-02-23', '08:00'), notifyUnitId: 'phong' },
      { level: 2, at: at('2026-02-25', '08:00'), notifyUnitId: 'pct' },
      { level: 3, at: at('2026-02-27', '08:00'), notifyUnitId: 'chu-tich' },
    ]);
  });

  it('uses the plan notify time', () => {
    const [occurrence] = only({ cadence: { every: 'once', date: '2026-03-20' }, reminders: { daysBefore: [1] } }, { settings: { notifyTime: '07:30' } });
    expect(occurrence?.remindAt).toEqual([at('2026-03-19', '07:30')]);
  });

  it('rejects a meeting reminder that would come after the deadline', () => {
    expect(() =>
      only({
        kind: 'meeting',
        cadence: { every: 'dates', dates: ['2026-03-20'] },
        event: { time: '14:00' },
        deadline: { rule: 'daysBefore', from: 'event', days: 2 },
        reminders: { daysBefore: [0], relativeTo: 'event' },
      }),
    ).toThrow(/lời nhắc phải trước hạn chót/);
  });
});

describe('meetings and groups', () => {
  it('places a monthly meeting on the third-last working day and resolves groups to units', () => {
    const plan = buildPlan(
      [
        {
          kind: 'meeting',
          assignees: ['cac-don-vi'],
          cadence: { every: 'monthly' },
          event: { on: { rule: 'workingDayOfMonth', n: -3, month: 'periodEnd' }, time: '14:00' },
          deadline: { rule: 'workingDaysAfter', from: 'event', days: 2 },
        },
      ],
      { groups: [{ id: 'cac-don-vi', name: 'Các đơn vị', members: ['phong', 'truong'] }] },
    );
    const expanded = expandPlan(plan);
    expect(expanded.duties[0]?.unitIds).toEqual(['phong', 'truong']);
    expect(expanded.occurrences).toHaveLength(24);
    const february = expanded.occurrences.find((o) => o.key === 'nv-0:truong:2026-02');
    // February's last working days: 27, 26, 25 → Wed 25/02, minutes due Fri 27/02.
    expect(february?.eventAt).toBe(at('2026-02-25', '14:00'));
    expect(february?.dueAt).toBe(endOf('2026-02-27'));
  });
});

describe('the Hà Đông 2026 plan', () => {
  it('expands every duty for every assigned unit, sorted by due instant then key', async () => {
    const result = await loadPlanFile('plans/ha-dong-2026.yaml');
    if (!result.ok) throw new Error('plan rejected');
    const expanded = expandPlan(result.plan);
    for (const duty of expanded.duties) {
      const units = new Set(expanded.occurrences.filter((o) => o.dutyId === duty.id).map((o) => o.unitId));
      expect([...units].sort(), duty.id).toEqual([...duty.unitIds].sort());
    }
    const schools = expanded.occurrences.filter((o) => o.dutyId === 'giao-ban-thang-truong');
    expect(schools).toHaveLength(7 * 12);
    expect(expanded.occurrences.filter((o) => o.dutyId === 'hoi-nghi-tdp')).toHaveLength(28);
    const sorted = [...expanded.occurrences].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
    expect(expanded.occurrences.map((o) => o.key)).toEqual(sorted.map((o) => o.key));
    expect(new Set(expanded.occurrences.map((o) => o.key)).size).toBe(expanded.occurrences.length);
  });

  it('leaves out occurrences due before --from', async () => {
    const result = await loadPlanFile('plans/ha-dong-2026.yaml');
    if (!result.ok) throw new Error('plan rejected');
    const all = expandPlan(result.plan).occurrences;
    const fromJuly = expandPlan(result.plan, { from: '2026-07-01' }).occurrences;
    expect(fromJuly.length).toBeLessThan(all.length);
    expect(fromJuly.every((o) => o.dueAt >= at('2026-07-01', '00:00'))).toBe(true);
    expect(fromJuly.length).toBe(all.filter((o) => o.dueAt >= at('2026-07-01', '00:00')).length);
  });
});
