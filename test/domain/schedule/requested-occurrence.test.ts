/**
 * Placing an ad-hoc request on the ward example's 2026 calendar. Expected instants are written out
 * by hand (08:00 in Hà Nội = 01:00 UTC; 30 April and 1 May 2026 are days off, 2 and 3 May a weekend).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/load';
import { expandPlan } from '../../../domain/schedule/expand';
import { RequestPlacementError, placeRequestedOccurrences, type RequestPlacementInput } from '../../../domain/schedule/requested-occurrence';

const loaded = parsePlan(readFileSync('plans/examples/phuong-le-chan-2026.yaml', 'utf8'), 'phuong.yaml');
if (!loaded.ok) throw new Error('the ward example is invalid');
const plan = expandPlan(loaded.plan);
const duty = plan.duties.find((candidate) => candidate.id === 'bc-dot-xuat');
function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the ward example lost its on-request duty');
  return value;
}
const policy = present(duty?.mailPolicy);
const rules = present(duty?.request);

function input(overrides: Partial<RequestPlacementInput>): RequestPlacementInput {
  return {
    dutyId: 'bc-dot-xuat',
    unitIds: ['tdp-1'],
    requestId: 'r1',
    requestedAt: '2026-04-28T03:00:00.000Z',
    calendar: plan.calendar,
    timeZone: plan.timeZone,
    periodStart: '2026-01-01',
    policy,
    rules,
    ...overrides,
  };
}

describe('placeRequestedOccurrences', () => {
  it('counts the default deadline in working days over the 30/4–3/5 break and rolls a deadline set on a day off forward', () => {
    // Tuesday 28/4 10:00: 29/4, 4/5, 5/5, 6/5, 7/5 are the five working days.
    const [byDefault] = placeRequestedOccurrences(input({}));
    expect(byDefault).toMatchObject({
      key: 'bc-dot-xuat:tdp-1:yc-r1',
      periodKey: 'yc-r1',
      periodLabel: 'yêu cầu ngày 28/04/2026',
      dueAt: '2026-05-07T17:00:00.000Z',
      opensAt: '2026-04-28T03:00:00.000Z',
      // First notice the next working day (08:00 has passed on 28/4); reminder 2 days before 7/5.
      remindAt: ['2026-04-29T01:00:00.000Z', '2026-05-05T01:00:00.000Z'],
      overdueAt: '2026-05-08T01:00:00.000Z',
      escalations: [
        { level: 1, at: '2026-05-08T01:00:00.000Z', notifyUnitId: 'van-phong' },
        { level: 2, at: '2026-05-12T01:00:00.000Z', notifyUnitId: 'chu-tich' },
      ],
    });
    const [onHoliday] = placeRequestedOccurrences(input({ deadline: '2026-05-01' }));
    expect(onHoliday?.dueAt).toBe('2026-05-04T17:00:00.000Z');
  });

  it('sends the first notice the same morning when asked before the mail time', () => {
    const [early] = placeRequestedOccurrences(input({ requestedAt: '2026-04-28T00:30:00.000Z' }));
    expect(early?.remindAt[0]).toBe('2026-04-28T01:00:00.000Z');
  });

  it('counts a request made before the plan year from its first working day', () => {
    const [early] = placeRequestedOccurrences(input({ requestedAt: '2025-12-20T03:00:00.000Z' }));
    // 5/1 is the first working day after the 1–4 January break (2/1 swapped, 3–4 a weekend).
    expect(early?.remindAt[0]).toBe('2026-01-05T01:00:00.000Z');
    // Five working days after 5/1: 6, 7, 8, 9 and Saturday 10/1, worked to make up for 2/1.
    expect(early?.dueAt).toBe('2026-01-10T17:00:00.000Z');
  });

  it('counts a request made before a school year from the first working day of its period, not of 1 January', () => {
    // Friday 28/8, before a period starting Tuesday 1/9: 1 and 2/9 are Quốc khánh, so Thursday 3/9.
    const [early] = placeRequestedOccurrences(input({ requestedAt: '2026-08-28T03:00:00.000Z', periodStart: '2026-09-01' }));
    expect(early?.remindAt[0]).toBe('2026-09-03T01:00:00.000Z');
    // Five working days after 3/9: 4, 7, 8, 9 and 10/9.
    expect(early?.dueAt).toBe('2026-09-10T17:00:00.000Z');
  });

  it('refuses a passed deadline and a date outside the calendar, in Vietnamese', () => {
    expect(() => placeRequestedOccurrences(input({ deadline: '2026-04-20' }))).toThrow(new RequestPlacementError('hạn nộp 20/04/2026 đã qua (yêu cầu ngày 28/04/2026)'));
    expect(() => placeRequestedOccurrences(input({ deadline: '2029-01-10' }))).toThrow(/Chưa có lịch làm việc của năm 2029/);
  });
});
