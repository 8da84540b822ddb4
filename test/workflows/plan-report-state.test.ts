/**
 * The plan's rules for its year-end report versions (pure functions over its state): version 1 at
 * the report instant, a newer one only after a duty reports more submissions than the last version
 * counted for it, at the next working day's mail time after the plan heard of them, at most one a
 * day; nothing once the plan is cancelling.
 */
import { describe, expect, it } from 'vitest';
import { applyReport, initialPlanState, nextReportAt, recordReportFailure, recordReportVersion } from '../../workflows/plan-state';
import type { PlanManifest, PlanState, ReportVersionRecord } from '../../workflows/types';

const AT = '2026-12-15T01:00:00.000Z';
const SLOTS = ['2026-12-16T01:00:00.000Z', '2026-12-17T01:00:00.000Z', '2026-12-18T01:00:00.000Z', '2026-12-21T01:00:00.000Z'];

function state(): PlanState {
  const manifest: PlanManifest = {
    planId: 'p',
    year: 2026,
    title: 'Kế hoạch',
    timeZone: 'Asia/Ho_Chi_Minh',
    supervisorUnitId: 'office',
    settings: { utcOffsetMinutes: 420, closesAt: '2027-01-10T00:00:00.000Z', mailCollectionWindowMs: 300_000, historyEventLimit: 2000 },
    duties: [
      { dutyId: 'a', title: 'A', scheduleHash: 'h' },
      { dutyId: 'b', title: 'B', scheduleHash: 'h' },
    ],
    yearEndReport: {
      at: AT,
      slots: SLOTS,
      document: {} as never,
      groups: [],
      office: { unitId: 'office', name: 'Phòng', emails: ['o@x'] },
    },
  };
  const s = initialPlanState(manifest);
  s.status = 'running';
  return s;
}

function version(n: number, asOf: string, submissions: Record<string, number>): ReportVersionRecord {
  return { version: n, asOf, file: `v${n}.docx`, hash: 'h', messageId: `<m${n}>`, outcome: 'sent', submissions };
}

describe('next year-end report version', () => {
  it('is the report instant first, and nothing for a plan without the report or while cancelling', () => {
    const s = state();
    expect(nextReportAt(s)).toBe(AT);
    s.status = 'cancelling';
    expect(nextReportAt(s)).toBeUndefined();
    const old = state();
    delete old.manifest.yearEndReport;
    expect(nextReportAt(old)).toBeUndefined();
  });

  it('waits for a duty to report more than the last version counted, then takes the next day\'s mail time', () => {
    const s = state();
    recordReportVersion(s, version(1, AT, { a: 3, b: 0 }));
    expect(nextReportAt(s)).toBeUndefined();
    // A stale, lower count (a duty that had not reported since the start) is no new submission.
    applyReport(s, { dutyId: 'a', lifecycle: 'running', submissions: 3 }, '2026-12-15T03:00:00.000Z');
    expect(nextReportAt(s)).toBeUndefined();
    // 10:00 on Wednesday 16/12: the next mail time is Thursday's, not Wednesday's 08:00 that passed.
    applyReport(s, { dutyId: 'b', lifecycle: 'running', submissions: 1 }, '2026-12-16T03:00:00.000Z');
    expect(nextReportAt(s)).toBe('2026-12-17T01:00:00.000Z');
    // More submissions the same day change nothing: one version a day.
    applyReport(s, { dutyId: 'a', lifecycle: 'running', submissions: 5 }, '2026-12-16T04:00:00.000Z');
    expect(nextReportAt(s)).toBe('2026-12-17T01:00:00.000Z');
    recordReportVersion(s, version(2, '2026-12-17T01:00:00.000Z', { a: 5, b: 1 }));
    expect(nextReportAt(s)).toBeUndefined();
  });

  it('after a failed attempt, tries at the next slot; none after the last slot', () => {
    const s = state();
    recordReportFailure(s, AT);
    expect(nextReportAt(s)).toBe(SLOTS[0]);
    recordReportFailure(s, SLOTS[3] as string);
    expect(nextReportAt(s)).toBeUndefined();
  });
});
