/**
 * The plan period, phases and the day-off rule as the validator reports them: every problem at once,
 * located, in Vietnamese, with a suggestion where one is likely. Expected messages are written out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/load';
import { formatProblem } from '../../../domain/plan/problems';

const base = readFileSync('test/fixtures/plans/base.yaml', 'utf8');
const haDong = readFileSync('plans/ha-dong-2026.yaml', 'utf8');
const calendars2026and2027 = haDong.slice(haDong.indexOf('calendars:\n'), haDong.indexOf('\nunits:\n') + 1);

function edit(text: string, ...replacements: [string, string][]): string {
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

function shown(text: string): string[] {
  const result = parsePlan(text, 'ke-hoach.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const SCHOOL_YEAR: [string, string] = ['  year: 2026\n', '  year: 2026\n  period: { from: 2026-09-01, to: 2027-05-31 }\n'];
const BOTH_CALENDARS: [string, string] = [base.slice(base.indexOf('calendars:\n'), base.indexOf('units:\n')), calendars2026and2027];

describe('plan period', () => {
  it('asks for the calendar of every year the period touches', () => {
    expect(shown(edit(base, SCHOOL_YEAR))).toEqual([
      'ke-hoach.yaml:15:3  calendars  chưa có lịch làm việc năm 2027 (ngày nghỉ lễ, nghỉ bù, làm bù kèm số văn bản thông báo); ' +
        'thêm một mục "year: 2027" vào calendars (thời gian kế hoạch 01/09/2026–31/05/2027 có những ngày thuộc năm 2027)',
    ]);
    expect(shown(edit(base, SCHOOL_YEAR, BOTH_CALENDARS))).toEqual([]);
  });

  it('must start in the plan year and last at most twelve months', () => {
    expect(shown(edit(base, ['  year: 2026\n', '  year: 2026\n  period: { from: 2027-09-01, to: 2028-09-15 }\n']))).toEqual([
      'ke-hoach.yaml:10:19  plan.period.from  thời gian kế hoạch phải bắt đầu trong năm kế hoạch 2026 (year là năm bắt đầu, ví dụ năm học ' +
        '2026–2027 ghi year: 2026); ngày bắt đầu 2027-09-01 thuộc năm 2027',
      'ke-hoach.yaml:10:35  plan.period.to  thời gian kế hoạch dài quá 12 tháng (01/09/2027–15/09/2028); ngày kết thúc muộn nhất là ' +
        '2028-08-31. Việc kéo dài hơn thì lập kế hoạch riêng cho kỳ sau',
    ]);
  });

  it('rejects a written date outside the period instead of moving it, and names the periods there are', () => {
    const text = edit(
      base,
      SCHOOL_YEAR,
      BOTH_CALENDARS,
      ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: monthly, periods: calendar, only: ["06"] }'],
    );
    expect(shown(text)).toEqual([
      'ke-hoach.yaml:83:58  duties[0].cadence.only[0]  chu kỳ "monthly" không có kỳ "06" trong thời gian kế hoạch (01/09/2026–31/05/2027); ' +
        'các kỳ có: 2026-09, 2026-10, 2026-11, 2026-12, 2027-01, 2027-02, 2027-03, 2027-04, 2027-05',
    ]);
    const once = edit(base, SCHOOL_YEAR, BOTH_CALENDARS, ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: once, date: 2026-06-15 }']);
    expect(shown(once)).toEqual([
      'ke-hoach.yaml:83:35  duties[0].cadence.date  ngày 2026-06-15 nằm ngoài thời gian kế hoạch (01/09/2026–31/05/2027); ' +
        'ngày ngoài thời gian kế hoạch không được dời vào trong',
    ]);
  });
});

describe('a date computed before the period starts', () => {
  it('is named as such, not as a missing calendar of the year before', () => {
    const text = edit(
      base,
      ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: once, date: 2026-01-05 }\n    event: { time: "08:00" }'],
      ['deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }', 'deadline: { rule: daysBefore, from: event, days: 10 }'],
    );
    expect(shown(text)).toEqual([
      'ke-hoach.yaml:33:15  duties[0].deadline  nhiệm vụ "bao-cao-quy", ngày 05/01/2026: hạn chót tính được là 26/12/2025, trước khi ' +
        'thời gian kế hoạch bắt đầu (01/01/2026–31/12/2026); hạn chót phải nằm trong hoặc sau thời gian kế hoạch: sửa quy tắc ngày hoặc ' +
        'ngày của nhiệm vụ',
    ]);
  });
});

describe('phases', () => {
  const phases =
    'phases:\n  - { id: gd1, name: Giai đoạn 1, from: 2026-03-01, to: 2026-06-30 }\n  - { id: gd2, name: Giai đoạn 2, from: 2026-06-30, to: 2027-01-10 }\nduties:';

  it('must follow each other inside the period; a duty names phases that exist', () => {
    const text = edit(base, ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: phase, when: after, only: [gd-1] }'], ['duties:', phases]);
    expect(shown(text)).toEqual([
      'ke-hoach.yaml:26:41  phases[1].from  giai đoạn "gd2" bắt đầu 2026-06-30, không sau ngày kết thúc 2026-06-30 của giai đoạn trước "gd1"; ' +
        'các giai đoạn phải xếp theo thứ tự thời gian và không chồng lên nhau',
      'ke-hoach.yaml:26:57  phases[1].to  ngày 2027-01-10 của giai đoạn "gd2" nằm ngoài thời gian kế hoạch (01/01/2026–31/12/2026)',
      'ke-hoach.yaml:34:50  duties[0].cadence.only[0]  giai đoạn "gd-1" không có trong danh sách giai đoạn (phases). Có phải ý bạn là "gd1"?',
    ]);
  });

  it('"after each phase" needs phases and a deadline after the phase ends', () => {
    const text = edit(
      base,
      ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: phase, when: after }'],
      ['deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }', 'deadline: { rule: fixedDate, date: 06-30 }'],
    );
    expect(shown(text)).toEqual([
      'ke-hoach.yaml:31:23  duties[0].cadence.every  chu kỳ "phase" cần các giai đoạn của kế hoạch: thêm mục "phases" (mã, tên, từ ngày, đến ngày)',
      'ke-hoach.yaml:32:15  duties[0].deadline  nhiệm vụ "sau mỗi giai đoạn" (when: after) cần hạn chót tính sau ngày cuối giai đoạn, ví dụ ' +
        '{ rule: workingDaysAfter, from: periodEnd, days: 5 }',
    ]);
  });
});

describe('a deadline on a day off', () => {
  it('accepts forward, back or keep, and suggests the one meant', () => {
    const text = edit(base, [
      'deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }',
      'deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }\n    onDayOff: foward',
    ]);
    expect(shown(text)).toEqual([
      'ke-hoach.yaml:33:15  duties[0].onDayOff  cách xử lý hạn rơi vào ngày nghỉ phải là một trong: forward, back, keep. Có phải ý bạn là "forward"?',
    ]);
    expect(shown(base.replace('calendars:', 'settings:\n  onDayOff: keep\ncalendars:'))).toEqual([]);
  });
});
