/**
 * The simulation tells its caller each month of the plan period the clock enters, once and in
 * order; without a caller listening it must still count (the benchmark plays a year that way).
 */
import { describe, expect, it } from 'vitest';
import { monthCounter } from '../../simulation/progress';

const ZONE = 'Asia/Ho_Chi_Minh';

describe('the months a simulated clock enters', () => {
  it('announces each month once, in order, however often an instant of it comes', () => {
    const announced: number[] = [];
    const enterUpTo = monthCounter('2026-01-01', ZONE, (month) => announced.push(month));
    expect(enterUpTo('2025-12-31T17:00:00Z')).toBe(1); // 1 January 00:00 in Hà Nội
    expect(enterUpTo('2026-03-15T03:00:00Z')).toBe(3);
    expect(enterUpTo('2026-03-20T03:00:00Z')).toBe(3);
    expect(announced).toEqual([1, 2, 3]);
    expect(enterUpTo('2026-12-31T16:59:00Z')).toBe(12); // 31 December 23:59 in Hà Nội
    expect(enterUpTo('2027-02-01T00:00:00Z')).toBe(12);
    expect(announced).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('counts a school year from its own first month', () => {
    const announced: number[] = [];
    const enterUpTo = monthCounter('2026-09-01', ZONE, (month) => announced.push(month));
    expect(enterUpTo('2026-08-31T16:59:00Z')).toBe(0); // the day before the period
    expect(enterUpTo('2027-01-10T03:00:00Z')).toBe(5);
    expect(announced).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts without anyone listening', () => {
    const enterUpTo = monthCounter('2026-01-01', ZONE);
    expect(enterUpTo('2026-06-15T03:00:00Z')).toBe(6);
    expect(enterUpTo('2026-12-31T16:59:00Z')).toBe(12);
  });
});
