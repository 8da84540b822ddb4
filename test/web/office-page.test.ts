import { describe, expect, it } from 'vitest';
import { officeView } from '../../web/office-page';
import { renderPage } from '../../web/pages';
import { dutyView } from '../summary/fixtures';

/** Thursday 10 December 2026, 10:00 in Hà Đông. */
const NOW = '2026-12-10T03:00:00.000Z';

function views() {
  return [
    dutyView('bao-cao-thang', 'Báo cáo tháng', [], [
      // A deadline "end of Friday 11/12" is 00:00 local on the 12th.
      { unit: 'thon-2', period: '2026-12', status: 'pending', dueAt: '2026-12-11T17:00:00.000Z' },
      { unit: 'thon-1', period: '2026-12', status: 'extended', dueAt: '2026-12-11T17:00:00.000Z' },
      // Exactly seven days ahead: still in; a millisecond later: out.
      { unit: 'thon-10', period: '2026-12', status: 'pending', dueAt: '2026-12-17T03:00:00.000Z' },
      { unit: 'tram-y-te', period: '2026-12', status: 'pending', dueAt: '2026-12-17T03:00:00.001Z' },
      // Already in, or no longer awaited: not listed however close the deadline.
      { unit: 'truong-mn', period: '2026-12', status: 'submitted', dueAt: '2026-12-12T17:00:00.000Z' },
      { unit: 'thon-1', period: '2026-11', status: 'waived', dueAt: '2026-12-12T17:00:00.000Z' },
      { unit: 'thon-2', period: '2026-11', status: 'overdue', dueAt: '2026-12-09T17:00:00.000Z' },
    ]),
    dutyView('hoi-nghi', 'Hội nghị tổ dân phố', [], [
      { unit: 'thon-2', period: '2026-Y', status: 'pending', dueAt: '2026-12-14T17:00:00.000Z' },
      // A deadline that has just passed is the overdue list's, not this one.
      { unit: 'thon-10', period: '2026-Y', status: 'pending', dueAt: '2026-12-10T02:59:59.999Z' },
    ], 'conference'),
  ];
}

describe('the office page: what falls due in the next seven days', () => {
  it('lists the awaited items due after now and within seven days, soonest first, then by unit', () => {
    const view = officeView('Kế hoạch', views(), undefined, NOW);
    expect(view.dueSoon.map((row) => [row.dutyTitle, row.unitName, row.deadline, row.statusLabel])).toEqual([
      ['Báo cáo tháng', 'Tổ dân phố số 1', 'Thứ Sáu, 11/12/2026', 'đã gia hạn'],
      ['Báo cáo tháng', 'Tổ dân phố số 2', 'Thứ Sáu, 11/12/2026', 'đang chờ'],
      ['Hội nghị tổ dân phố', 'Tổ dân phố số 2', 'Thứ Hai, 14/12/2026', 'đang chờ'],
      ['Báo cáo tháng', 'Tổ dân phố số 10', '10:00 ngày 17/12/2026 (Thứ Năm)', 'đang chờ'],
    ]);
    expect(view.dueSoonCount).toBe(4);
  });

  it('shows them under their own heading, and says so when nothing falls due', () => {
    const page = renderPage('office', { ...officeView('Kế hoạch', views(), undefined, NOW), planId: 'p', year: 2026 });
    expect(page).toContain('Đến hạn trong 7 ngày tới (4)');
    expect(page.match(/<table id="due-soon"[\s\S]*?<\/table>/)?.[0].match(/<tr>/g)).toHaveLength(5);
    const quiet = renderPage('office', { ...officeView('Kế hoạch', views(), undefined, '2027-01-10T03:00:00.000Z'), planId: 'p', year: 2026 });
    expect(quiet).toContain('Đến hạn trong 7 ngày tới (0)');
    expect(quiet).toContain('Không có việc nào đến hạn trong 7 ngày tới.');
    expect(quiet).not.toContain('id="due-soon"');
  });
});
