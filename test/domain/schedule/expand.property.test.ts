import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, localDateOf } from '../../../domain/calendar';
import { workingCalendarOf } from '../../../domain/plan/calendar-data';
import { expandPlan } from '../../../domain/schedule/expand';
import type { Occurrence } from '../../../domain/schedule/types';
import { buildPlan } from './plan-builder';

const cadence = fc.record({
  every: fc.constantFrom('monthly', 'quarterly', 'half-yearly', 'nine-month', 'yearly'),
  periods: fc.constantFrom('reporting', 'calendar'),
});

// Reporting windows start in December of the previous year, which has no calendar data here, so
// rules counting from the window's start are left to the validator tests.
const deadline = fc.oneof(
  fc.record({ rule: fc.constant('workingDaysAfter'), from: fc.constant('periodEnd'), days: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ rule: fc.constant('daysAfter'), from: fc.constant('periodEnd'), days: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ rule: fc.constant('dayOfMonth'), day: fc.integer({ min: 1, max: 31 }), month: fc.constantFrom('periodEnd', 'afterPeriodEnd') }),
  fc.record({ rule: fc.constant('workingDayOfMonth'), n: fc.constantFrom(1, 2, 5, -1, -3), month: fc.constant('periodEnd') }),
);

const escalation = fc
  .uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 0, maxLength: 4 })
  .map((days) => [...days].sort((a, b) => a - b).map((afterWorkingDays, index) => ({ afterWorkingDays, level: index + 1 })));

const duty = fc.record({
  cadence,
  deadline,
  reminders: fc.record({ daysBefore: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }) }),
  escalation,
  assignees: fc.subarray(['phong', 'truong', 'pct'], { minLength: 1 }),
});

const plans = fc.array(duty, { minLength: 1, maxLength: 6 }).map((duties) => buildPlan(duties));

describe('expander invariants on random plans', () => {
  it('reminds strictly before the deadline, escalates after it, and due days are working days', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const calendar = workingCalendarOf(plan);
        for (const occurrence of expandPlan(plan).occurrences) {
          const dueDate = localDateOf(new Date(Date.parse(occurrence.dueAt) - 1).toISOString());
          expect(calendar.isWorkingDay(dueDate)).toBe(true);
          expect(localDateOf(occurrence.dueAt) === addCalendarDays(dueDate, 1)).toBe(true);
          occurrence.remindAt.forEach((instant, index) => {
            expect(instant < occurrence.dueAt).toBe(true);
            if (index > 0) expect(instant > (occurrence.remindAt[index - 1] as string)).toBe(true);
            expect(calendar.isWorkingDay(localDateOf(instant))).toBe(true);
          });
          occurrence.escalations.forEach((step, index) => {
            expect(step.at > occurrence.dueAt).toBe(true);
            if (index > 0) {
              const previous = occurrence.escalations[index - 1];
              expect(step.level).toBeGreaterThan(previous?.level ?? 0);
              expect(step.at > (previous?.at ?? '')).toBe(true);
            }
          });
        }
      }),
      { numRuns: 150, seed: 2026 },
    );
  });

  it('gives each unit periods that cover the year without gaps or overlaps', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const expanded = expandPlan(plan);
        for (const [index, planDuty] of plan.duties.entries()) {
          const { cadence: dutyCadence } = planDuty;
          if (dutyCadence.every === 'nine-month' || !('periods' in dutyCadence)) continue;
          for (const unitId of expanded.duties[index]?.unitIds ?? []) {
            const periods = expanded.occurrences
              .filter((o: Occurrence) => o.dutyId === planDuty.id && o.unitId === unitId)
              .map((o) => ({ start: o.periodStart as string, end: o.periodEnd as string }))
              .sort((a, b) => a.start.localeCompare(b.start));
            const calendarYear = dutyCadence.periods === 'calendar';
            expect(periods[0]?.start).toBe(calendarYear ? '2026-01-01' : '2025-12-15');
            expect(periods.at(-1)?.end).toBe(calendarYear ? '2026-12-31' : '2026-12-14');
            for (let k = 1; k < periods.length; k += 1) {
              expect(periods[k]?.start).toBe(addCalendarDays(periods[k - 1]?.end as string, 1));
            }
          }
        }
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('is idempotent and pure: the same plan, or a copy of it, always expands to the same result', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const first = expandPlan(plan);
        const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
        expect(expandPlan(copy)).toEqual(first);
        expect(expandPlan(plan)).toEqual(first);
        expect(JSON.stringify(plan)).toBe(JSON.stringify(copy));
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});
