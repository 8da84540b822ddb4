/**
 * The mail of a deadline moved by an approved extension is placed like the plan's own: never before
 * the plan period starts. The school year 2026–2027 (plans/examples) starts Tuesday 01/09/2026; 1
 * and 2 September are Quốc khánh days off in its calendar, so its first working day is Thursday
 * 03/09. Expected instants are written out (07:30 in Hà Nội is 00:30 UTC).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../domain/plan/load';
import { expandPlan } from '../../domain/schedule/expand';
import { approvedExtensionMail } from '../../operations/plan-client';
import { periodOfPlanInFiles, periodOfRunningPlan } from '../../operations/plan-catalog';
import type { CalendarYearInfo } from '../../domain/schedule/types';
import type { DutyStatusView, OccurrenceView } from '../../workflows/types';

const SCHOOL_FILE = path.resolve('plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml');
const SCHOOL_REF = { planId: 'thcs-ha-dong-nam-hoc', year: 2026 };

async function schoolPlan() {
  const loaded = await loadPlanFile(SCHOOL_FILE);
  if (!loaded.ok) throw new Error('the example school plan no longer validates');
  return expandPlan(loaded.plan);
}

/** A duty of the school plan with one occurrence whose extension to Monday 07/09/2026 awaits a decision. */
function statusWithPendingExtension(calendar: CalendarYearInfo[]): DutyStatusView {
  const occurrence = {
    key: 'bao-cao:to-toan:2026-08',
    unitId: 'to-toan',
    unitName: 'Tổ Toán',
    periodKey: '2026-08',
    periodLabel: 'tháng 8/2026',
    scheduledDueAt: '2026-09-03T17:00:00.000Z',
    dueAt: '2026-09-03T17:00:00.000Z',
    status: 'pending',
    extensions: [{ requestedAt: '2026-08-20T02:00:00.000Z', previousDueAt: '2026-09-03T17:00:00.000Z', until: '2026-09-07T17:00:00.000Z', reason: 'Chờ họp tổ', status: 'pending' }],
    escalatedLevels: [],
  } as OccurrenceView;
  return {
    planId: SCHOOL_REF.planId,
    year: SCHOOL_REF.year,
    timeZone: 'Asia/Ho_Chi_Minh',
    dutyId: 'bao-cao',
    dutyTitle: 'Báo cáo',
    dutyKind: 'report',
    fields: [],
    status: 'on-track',
    occurrences: [occurrence],
    runs: 1,
    rules: {
      calendar,
      utcOffsetMinutes: 420,
      mailPolicy: { notifyTime: '07:30', reminders: { daysBefore: [7, 3, 1], relativeTo: 'due' }, escalation: [{ level: 1, afterWorkingDays: 1 }] },
    },
  };
}

describe("an approved extension's mail", () => {
  it('of a school-year plan sends no reminder before the period starts, even when approved in August', async () => {
    const plan = await schoolPlan();
    const status = statusWithPendingExtension(plan.calendar);
    const period = periodOfRunningPlan([{ plan }], SCHOOL_REF);
    expect(period).toEqual({ from: '2026-09-01', to: '2027-05-31' });
    const mail = approvedExtensionMail(status, '2026-08', period);
    // 7 days before Mon 07/09 is Mon 31/08, before the period: it goes on its first working day,
    // Thu 03/09; 3 days before is Fri 04/09; 1 day before (Sun 06/09) falls back to Fri 04/09,
    // so the 3-day one moves to Thu 03/09 as well.
    expect(mail?.remindAt).toEqual(['2026-09-03T00:30:00.000Z', '2026-09-04T00:30:00.000Z']);
    expect(mail?.overdueAt).toBe('2026-09-08T00:30:00.000Z');
  });

  it('of a calendar-year plan is placed from 1 January as before', async () => {
    const plan = await schoolPlan();
    const mail = approvedExtensionMail(statusWithPendingExtension(plan.calendar), '2026-08', { from: '2026-01-01', to: '2026-12-31' });
    expect(mail?.remindAt).toEqual(['2026-08-31T00:30:00.000Z', '2026-09-03T00:30:00.000Z', '2026-09-04T00:30:00.000Z']);
  });
});

describe('the period of a running plan', () => {
  it('comes from its file in the plans folder; a plan without one there covers its calendar year', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-period-'));
    copyFileSync(SCHOOL_FILE, path.join(dir, 'truong.yaml'));
    expect(await periodOfPlanInFiles({ kind: 'dir', dir }, SCHOOL_REF)).toEqual({ from: '2026-09-01', to: '2027-05-31' });
    expect(await periodOfPlanInFiles({ kind: 'dir', dir }, { planId: 'khac', year: 2026 })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(await periodOfPlanInFiles({ kind: 'dir', dir: path.join(dir, 'khong-co') }, SCHOOL_REF)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodOfRunningPlan([], SCHOOL_REF)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});
