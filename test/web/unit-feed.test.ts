/**
 * A unit's calendar feed from hand-made status views: a meeting at its time and place, a deadline
 * on its last local day (an extended one on its new day), waived and removed items left out. Read
 * back with node-ical and ical4j in strict mode, neither of which shares code with the writer.
 */
import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { unitFeedIcs } from '../../web/unit-feed';
import { dutyView } from '../summary/fixtures';
import { ical4jProblems, strictIcsProblems } from '../support/ics-strict';

const reports = dutyView('bc-quy', 'Báo cáo quý; dân chủ, cơ sở', [], [
  // 24:00 on 30/06 local = 17:00 UTC on 30/06: the deadline's last day is 30/06.
  { unit: 'thon-1', period: '2026-Q2', status: 'pending', dueAt: '2026-06-30T17:00:00.000Z' },
  { unit: 'thon-1', period: '2026-Q3', status: 'waived', dueAt: '2026-09-30T17:00:00.000Z' },
  { unit: 'thon-1', period: '2026-Q4', status: 'removed', dueAt: '2026-12-31T17:00:00.000Z' },
]);
const extended = reports.occurrences[0]!;
const extendedView = {
  ...reports,
  occurrences: [
    {
      ...extended,
      status: 'extended' as const,
      dueAt: '2026-07-10T17:00:00.000Z',
      extensions: [{ requestedAt: '2026-06-20T02:00:00.000Z', previousDueAt: extended.dueAt, until: '2026-07-10T17:00:00.000Z', reason: 'Chờ số liệu', status: 'approved' as const }],
    },
    ...reports.occurrences.slice(1),
  ],
};
const meetings = dutyView('hop-dan', 'Hội nghị nhân dân', [], [{ unit: 'thon-1', period: '2026-H1', status: 'pending', dueAt: '2026-06-20T17:00:00.000Z' }], 'meeting');
meetings.occurrences[0] = { ...meetings.occurrences[0]!, eventAt: '2026-06-14T01:00:00.000Z', eventEndAt: '2026-06-14T03:30:00.000Z', place: 'Nhà văn hóa thôn 1, xóm Đông' };

function feed(duties = [reports, meetings]) {
  return unitFeedIcs({ planId: 'ha-dong-2026', planTitle: 'Kế hoạch 2026', timeZone: 'Asia/Ho_Chi_Minh', unitName: 'Tổ dân phố số 1', duties, nowIso: '2026-06-01T00:00:00.000Z' });
}

function events(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((entry) => entry?.type === 'VEVENT') as VEvent[];
}

describe("a unit's calendar feed", () => {
  it('has the deadline on its last local day and the meeting at its time and place, and leaves out waived and removed items', () => {
    const parsed = events(feed());
    expect(parsed.map((event) => event.uid).sort()).toEqual(['bc-quy:thon-1:2026-Q2@ha-dong-2026', 'hop-dan:thon-1:2026-H1@ha-dong-2026']);
    const deadline = parsed.find((event) => event.uid.startsWith('bc-quy'))!;
    expect(deadline.summary).toBe('Hạn: Báo cáo quý; dân chủ, cơ sở – Tổ dân phố số 1');
    expect((deadline.start as Date & { dateOnly?: boolean }).dateOnly).toBe(true);
    expect([deadline.start.getFullYear(), deadline.start.getMonth() + 1, deadline.start.getDate()]).toEqual([2026, 6, 30]);
    const meeting = parsed.find((event) => event.uid.startsWith('hop-dan'))!;
    expect(meeting.start.toISOString()).toBe('2026-06-14T01:00:00.000Z');
    expect(meeting.end?.toISOString()).toBe('2026-06-14T03:30:00.000Z');
    expect(meeting.location).toBe('Nhà văn hóa thôn 1, xóm Đông');
  });

  it('moves an extended deadline to its new day, with a higher SEQUENCE, keeping the UID', () => {
    const moved = events(feed([extendedView, meetings])).find((event) => event.uid === 'bc-quy:thon-1:2026-Q2@ha-dong-2026')!;
    expect([moved.start.getFullYear(), moved.start.getMonth() + 1, moved.start.getDate()]).toEqual([2026, 7, 10]);
    expect(Number(moved.sequence)).toBe(1);
    expect(moved.description).toContain('Hạn ban đầu');
  });

  it('is strict RFC 5545 for ical4j and for the line-level checks', async () => {
    const text = feed([extendedView, meetings]);
    expect(strictIcsProblems(text)).toEqual([]);
    expect(await ical4jProblems({ 'unit-feed.ics': text })).toEqual({});
  });
});
