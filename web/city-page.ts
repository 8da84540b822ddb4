/**
 * The city's roll-up: one row per commune with the plans it runs and, over tracked items only
 * (nothing from before tracking began, nothing removed by an amendment), how many were submitted on
 * time, late, are overdue, fall due within the week (`isDueSoon`, as on the office's page), and were
 * escalated. Each row links to the commune's office page.
 */
import { formatInstant } from '../domain/calendar';
import { yearsText } from '../domain/plan/period';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import type { DutyStatusView } from '../workflows/types';
import { DUE_SOON_DAYS, isDueSoon } from '../domain/statuses';
import { countsOf } from './office-page';

export interface CommunePlans {
  communeId: string;
  communeName: string;
  /** `period` when the plan names one (domain/plan/period.ts); otherwise its calendar year. */
  plans: { year: number; period?: { from: string; to: string }; duties: DutyStatusView[] }[];
}

export function cityTally(duties: readonly DutyStatusView[], nowMs: number) {
  const tally = { onTime: 0, late: 0, overdue: 0, dueSoon: 0, escalated: 0 };
  for (const duty of duties) {
    const counts = countsOf(duty);
    tally.onTime += counts.submitted;
    tally.late += counts.late;
    tally.overdue += counts.overdue;
    for (const o of duty.occurrences) {
      if (isDueSoon(o, nowMs)) tally.dueSoon += 1;
      if (o.escalatedLevels.length > 0 && o.status !== 'before-tracking' && o.status !== 'removed') tally.escalated += 1;
    }
  }
  return tally;
}

export function cityView(communes: readonly CommunePlans[], nowIso: string, zone: string) {
  const rows = [...communes]
    .sort((a, b) => a.communeName.localeCompare(b.communeName, 'vi'))
    .map((commune) => ({
      communeName: commune.communeName,
      link: `/theo-doi?xa=${encodeURIComponent(commune.communeId)}`,
      years: [...new Set(commune.plans.map((plan) => yearsText(periodOfPlan(plan))))].sort().join(', '),
      ...cityTally(commune.plans.flatMap((plan) => plan.duties), Date.parse(nowIso)),
    }));
  return {
    pageTitle: 'Tổng hợp thực hiện kế hoạch các xã',
    wide: true,
    asOf: formatInstant(nowIso, zone, { weekday: true }),
    rows,
    hasRows: rows.length > 0,
    dueSoonDays: DUE_SOON_DAYS,
  };
}
