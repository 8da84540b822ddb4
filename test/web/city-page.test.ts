/** The city's roll-up counts tracked items only, per commune over all its plans. */
import { describe, expect, it } from 'vitest';
import { cityView } from '../../web/city-page';
import type { DutyStatusView, OccurrenceStatus, OccurrenceView } from '../../workflows/types';

function occurrence(status: OccurrenceStatus, escalatedLevels: number[] = [], dueAt = '2027-03-10T17:00:00Z'): OccurrenceView {
  return {
    key: `k-${Math.random()}`,
    unitId: 'u',
    unitName: 'Đơn vị',
    periodKey: 'p',
    periodLabel: 'Kỳ',
    scheduledDueAt: '2027-03-10T17:00:00Z',
    dueAt,
    status,
    extensions: [],
    escalatedLevels,
  };
}

function duty(occurrences: OccurrenceView[]): DutyStatusView {
  return {
    planId: 'x',
    year: 2027,
    timeZone: 'Asia/Ho_Chi_Minh',
    dutyId: 'd',
    dutyTitle: 'Nhiệm vụ',
    dutyKind: 'report',
    fields: [],
    status: 'on-track',
    occurrences,
    runs: 1,
  };
}

describe('the city roll-up', () => {
  it('counts on time, late, overdue, due-soon and escalated items of each commune, never those before tracking', () => {
    // Read at 09:00 on 1 December 2026 (02:00 UTC): the week runs to 02:00 UTC on 8 December.
    const view = cityView(
      [
        {
          communeId: 'ha-dong',
          communeName: 'xã Hà Đông',
          plans: [
            { year: 2026, duties: [duty([occurrence('submitted'), occurrence('late', [1]), occurrence('overdue', [1, 2]), occurrence('before-tracking')])] },
            {
              year: 2027,
              duties: [
                duty([
                  occurrence('submitted'),
                  occurrence('pending'),
                  occurrence('waived'),
                  occurrence('removed', [1]),
                  // Due within the week: awaited ones count, a submitted one and one due a second after the week do not.
                  occurrence('pending', [], '2026-12-08T02:00:00Z'),
                  occurrence('extended', [], '2026-12-03T10:00:00Z'),
                  occurrence('submitted', [], '2026-12-04T10:00:00Z'),
                  occurrence('pending', [], '2026-12-08T02:00:01Z'),
                ]),
              ],
            },
          ],
        },
        { communeId: 'an-lao', communeName: 'xã An Lão', plans: [{ year: 2027, duties: [duty([occurrence('overdue')])] }] },
      ],
      '2026-12-01T02:00:00Z',
      'Asia/Ho_Chi_Minh',
    );
    expect(view.rows).toEqual([
      { communeName: 'xã An Lão', link: '/theo-doi?xa=an-lao', years: '2027', onTime: 0, late: 0, overdue: 1, dueSoon: 0, escalated: 0 },
      { communeName: 'xã Hà Đông', link: '/theo-doi?xa=ha-dong', years: '2026, 2027', onTime: 3, late: 1, overdue: 1, dueSoon: 2, escalated: 2 },
    ]);
    expect(view.asOf).toBe('09:00 ngày 01/12/2026 (Thứ Ba)');
  });
});
