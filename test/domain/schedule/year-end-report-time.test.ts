/**
 * When the plan mails its year-end report: the plan's date or the first working day after the
 * yearly cut-off, at the mail time, on a working day. Instants are written out here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/load';
import { formatProblem } from '../../../domain/plan/problems';
import { expandPlan } from '../../../domain/schedule/expand';

const base = readFileSync('test/fixtures/plans/base.yaml', 'utf8');

function withSettings(settings: string): string {
  return base.replace('calendars:', `settings:\n${settings}\ncalendars:`);
}

function reportAt(text: string): string | undefined {
  const loaded = parsePlan(text, 'ke-hoach.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return expandPlan(loaded.plan).yearEndReport?.at;
}

function problems(text: string): string[] {
  const loaded = parsePlan(text, 'ke-hoach.yaml');
  if (loaded.ok) throw new Error('accepted');
  return loaded.problems.map(formatProblem);
}

describe('year-end report instant', () => {
  it('defaults to 08:00 on the first working day after the yearly cut-off 14/12 (Tuesday 15/12/2026)', () => {
    expect(reportAt(base)).toBe('2026-12-15T01:00:00.000Z');
  });

  it('follows the cut-off day of the plan\'s yearly reporting duties and the plan\'s mail time', () => {
    const yearly = withSettings('  notifyTime: "07:30"').replace(
      'cadence: { every: quarterly, periods: reporting }',
      'cadence: { every: yearly, periods: reporting, cutOffDay: 18 }',
    );
    // 18/12/2026 is a Friday: the next working day is Monday 21/12.
    expect(reportAt(yearly)).toBe('2026-12-21T00:30:00.000Z');
  });

  it('takes the plan\'s date, moved off a weekend to the next working day', () => {
    expect(reportAt(withSettings('  yearEndReportDate: 2026-12-10'))).toBe('2026-12-10T01:00:00.000Z');
    // Saturday 19/12/2026 → Monday 21/12/2026.
    expect(reportAt(withSettings('  yearEndReportDate: 2026-12-19'))).toBe('2026-12-21T01:00:00.000Z');
  });

  it('refuses a date outside the plan year or not written as a date, in Vietnamese, at the field', () => {
    expect(problems(withSettings('  yearEndReportDate: 2027-01-05'))).toEqual([
      'ke-hoach.yaml:14:22  settings.yearEndReportDate  ngày gửi báo cáo tổng kết năm 2027-01-05 không thuộc năm kế hoạch 2026; ' +
        'hãy chọn một ngày trong năm 2026, ví dụ 2026-12-15, hoặc bỏ dòng này để dùng ngày làm việc đầu tiên sau ngày chốt số liệu năm',
    ]);
    expect(problems(withSettings('  yearEndReportDate: "15/12/2026"'))).toEqual([
      'ke-hoach.yaml:14:22  settings.yearEndReportDate  "15/12/2026" không phải ngày dạng YYYY-MM-DD (ví dụ 2026-03-31)',
    ]);
  });

  it('for a plan over a school year or a campaign, defaults to the last working day of its period', () => {
    // 31/05/2027 (end of the school year, mail at 07:30) is a Monday; 15/04/2027 (end of the campaign, 08:00) a Thursday.
    expect(reportAt(readFileSync('plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml', 'utf8'))).toBe('2027-05-31T00:30:00.000Z');
    expect(reportAt(readFileSync('plans/examples/ha-dong-tet-2027.yaml', 'utf8'))).toBe('2027-04-15T01:00:00.000Z');
  });
});
