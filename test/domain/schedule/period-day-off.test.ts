/**
 * Expansion over a plan period across two years, with the Hà Đông calendars of 2026 and 2027
 * (Tết 2027, provisional: Fri 05/02 and Mon 08/02–Thu 11/02). Instants are written out: 08:00 in
 * Việt Nam is 01:00 UTC, the end of a local day 17:00 UTC.
 */
import { describe, expect, it } from 'vitest';
import { expandPlan } from '../../../domain/schedule/expand';
import type { MovedDeadline } from '../../../domain/schedule/moved-deadlines';
import { movedDeadlineLine } from '../../../domain/schedule/moved-deadlines';
import { PlacementError } from '../../../domain/schedule/placement-error';
import { buildPlan } from './plan-builder';

const CAMPAIGN = { from: '2026-11-16', to: '2027-04-15' };

function campaign(duties: unknown[], extra: Record<string, unknown> = {}) {
  const plan = buildPlan(duties, extra);
  return { ...plan, plan: { ...plan.plan, period: CAMPAIGN } };
}

const tetReport = (onDayOff?: string) => ({
  cadence: { every: 'once', date: '2027-02-09' },
  ...(onDayOff === undefined ? {} : { onDayOff }),
});

describe('a deadline on a day off', () => {
  it('is kept, moved forward or moved back as the duty says; by default it moves forward', () => {
    const plan = campaign([tetReport('keep'), tetReport('forward'), tetReport('back'), tetReport()]);
    const dueAt = (dutyId: string) => expandPlan(plan).occurrences.find((o) => o.dutyId === dutyId)?.dueAt;
    expect(dueAt('nv-0')).toBe('2027-02-09T17:00:00.000Z');
    expect(dueAt('nv-1')).toBe('2027-02-12T17:00:00.000Z');
    expect(dueAt('nv-2')).toBe('2027-02-04T17:00:00.000Z');
    expect(dueAt('nv-3')).toBe('2027-02-12T17:00:00.000Z');
  });

  it('takes the plan default from settings.onDayOff', () => {
    const plan = campaign([tetReport()]);
    const kept = { ...plan, settings: { ...plan.settings, onDayOff: 'keep' as const } };
    expect(expandPlan(kept).occurrences[0]?.dueAt).toBe('2027-02-09T17:00:00.000Z');
  });

  it('kept on a holiday, still gets its mail on working days only', () => {
    const [occurrence] = expandPlan(campaign([tetReport('keep')])).occurrences;
    // 1, 3 and 7 days before: Mon 08/02 (Tết), Sat 06/02, Tue 02/02 → Thu 04/02, Wed 03/02, Tue 02/02.
    expect(occurrence?.remindAt).toEqual(['2027-02-02T01:00:00.000Z', '2027-02-03T01:00:00.000Z', '2027-02-04T01:00:00.000Z']);
    expect(occurrence?.overdueAt).toBe('2027-02-12T01:00:00.000Z');
    expect(occurrence?.escalations.map((step) => step.at)).toEqual(['2027-02-12T01:00:00.000Z', '2027-02-16T01:00:00.000Z']);
  });

  it('is listed with what was done and why', () => {
    const plan = campaign([tetReport('keep'), tetReport()]);
    const moved: MovedDeadline[] = [];
    expandPlan(plan, { movedDeadlines: moved });
    expect(moved.map((entry) => movedDeadlineLine(entry, plan.calendars))).toEqual([
      'nhiệm vụ "nv-0", ngày 09/02/2027: hạn Thứ Ba, 09/02/2027 là ngày nghỉ (Tết Âm lịch (tạm tính)), giữ nguyên ngày (hạn do cấp trên ấn định); ' +
        'thư nhắc và thư quá hạn vẫn gửi vào ngày làm việc (theo onDayOff: keep)',
      'nhiệm vụ "nv-1", ngày 09/02/2027: hạn Thứ Ba, 09/02/2027 là ngày nghỉ (Tết Âm lịch (tạm tính)), dời sang ngày làm việc kế tiếp: ' +
        'Thứ Sáu, 12/02/2027 (mặc định: Bộ luật Dân sự 2015 Điều 148 khoản 5)',
    ]);
  });
});

describe('reminders before a holiday block', () => {
  it('stay on distinct working days instead of collapsing into one mail', () => {
    // Due Fri 12/02/2027: 7, 3 and 1 days before are 05/02, 09/02 and 11/02, all Tết.
    const [occurrence] = expandPlan(campaign([{ cadence: { every: 'once', date: '2027-02-12' } }])).occurrences;
    expect(occurrence?.remindAt).toEqual(['2027-02-02T01:00:00.000Z', '2027-02-03T01:00:00.000Z', '2027-02-04T01:00:00.000Z']);
  });
});

describe('periods across two years', () => {
  it('selects months by name or by year-qualified key, each in the year the period has it', () => {
    const plan = campaign([
      { cadence: { every: 'monthly', periods: 'calendar', only: ['12', '01', '2027-03'] }, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 2 } },
    ]);
    expect(expandPlan(plan).occurrences.map((o) => [o.periodKey, o.dueAt])).toEqual([
      ['2026-12', '2027-01-05T17:00:00.000Z'],
      ['2027-01', '2027-02-02T17:00:00.000Z'],
      ['2027-03', '2027-04-02T17:00:00.000Z'],
    ]);
  });

  it('places a fixed MM-DD date in the year of the period that has it', () => {
    const plan = campaign([{ cadence: { every: 'once', date: '2026-12-01' }, deadline: { rule: 'fixedDate', date: '01-15' } }]);
    expect(expandPlan(plan).occurrences[0]?.dueAt).toBe('2027-01-15T17:00:00.000Z');
  });

  it('refuses a fixed date outside the period', () => {
    const plan = campaign([{ cadence: { every: 'once', date: '2026-12-01' }, deadline: { rule: 'fixedDate', date: '06-15' } }]);
    expect(() => expandPlan(plan)).toThrow(PlacementError);
    expect(() => expandPlan(plan)).toThrow(/ngày cố định 06-15 không nằm trong thời gian kế hoạch \(16\/11\/2026–15\/04\/2027\)/);
  });

  it('gives one occurrence per phase, labelled with the phase, due by its last working day', () => {
    const phases = [
      { id: 'gd1', name: 'Giai đoạn 1', from: '2026-11-16', to: '2026-12-31' },
      { id: 'gd2', name: 'Giai đoạn 2', from: '2027-01-04', to: '2027-02-07' },
    ];
    const plan = { ...campaign([{ cadence: { every: 'phase', when: 'during' } }]), phases };
    expect(expandPlan(plan).occurrences.map((o) => [o.periodKey, o.periodLabel, o.dueAt])).toEqual([
      ['2026-gd1', 'Giai đoạn 1 (16/11/2026–31/12/2026)', '2026-12-31T17:00:00.000Z'],
      // Sun 07/02 is in Tết: work during the phase is due the last working day before, Thu 04/02.
      ['2026-gd2', 'Giai đoạn 2 (04/01/2027–07/02/2027)', '2027-02-04T17:00:00.000Z'],
    ]);
  });
});
