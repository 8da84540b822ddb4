/** The period of an expanded plan; schedules expanded before it existed cover their calendar year. */
import type { ExpandedPlan } from './types';

export function periodOfPlan(plan: Pick<ExpandedPlan, 'year' | 'period'>): { from: string; to: string } {
  return plan.period ?? { from: `${plan.year}-01-01`, to: `${plan.year}-12-31` };
}

export function isCalendarYearPlan(plan: Pick<ExpandedPlan, 'year' | 'period'>): boolean {
  const { from, to } = periodOfPlan(plan);
  return from === `${plan.year}-01-01` && to === `${plan.year}-12-31`;
}
