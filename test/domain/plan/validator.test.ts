/**
 * Every problem of a plan file in one run, each once, in words a clerk can act on. Each broken plan
 * is the smallest valid plan (test/fixtures/plans/base.yaml) with one edit; expected messages are
 * written out here, not derived from the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan, type PlanLoadResult } from '../../../domain/plan/load';
import { formatProblem, type PlanProblem } from '../../../domain/plan/problems';
import { closestMatch, editDistance } from '../../../domain/plan/suggest';

const base = readFileSync('test/fixtures/plans/base.yaml', 'utf8');

function edit(...replacements: [string, string][]): string {
  let text = base;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`the base plan has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

function problemsOf(text: string): PlanProblem[] {
  const result: PlanLoadResult = parsePlan(text, 'ke-hoach.yaml');
  if (result.ok) throw new Error('accepted a broken plan');
  return result.problems;
}

const shown = (problems: PlanProblem[]): string[] => problems.map(formatProblem);

const UNKNOWN_ASSIGNEE: [string, string] = ['assignees: [cac-truong]', 'assignees: [cac-truogn]'];
const ASSIGNEE_PROBLEM =
  "ke-hoach.yaml:30:17  duties[0].assignees[0]  Đơn vị được giao 'cac-truogn' không có trong danh sách đơn vị hoặc nhóm. " +
  'Có phải ý bạn là "cac-truong"?';

describe('YAML syntax errors', () => {
  it('points at an unclosed "{" and says to close it, instead of "wrong indentation"', () => {
    expect(shown(problemsOf(edit(['emails: [ct@xa-mau.example] }', 'emails: [ct@xa-mau.example]'])))).toEqual([
      'ke-hoach.yaml:19:5  (cú pháp YAML)  lỗi cú pháp YAML: dấu "{" mở ở đây chưa được đóng; thêm "}" vào cuối mục này ' +
        '(mọi mục viết trên một dòng trong "{ }" phải kết thúc trên chính dòng đó)',
    ]);
  });

  it('says a Tab was used and what to type instead, and checks the rest as if it were spaces', () => {
    expect(shown(problemsOf(edit(['  issuingBody:', '\tissuingBody:'], UNKNOWN_ASSIGNEE)))).toEqual([
      'ke-hoach.yaml:6:1  (cú pháp YAML)  lỗi cú pháp YAML: dòng này thụt lề bằng ký tự Tab, mà YAML chỉ chấp nhận dấu cách; ' +
        'hãy xóa Tab và thụt lề bằng dấu cách (mỗi cấp 2 dấu cách)',
      ASSIGNEE_PROBLEM,
    ]);
  });

  it('reports every syntax error with its line and column and still checks what parsed', () => {
    const problems = problemsOf(
      edit(
        ['emails: [ct@xa-mau.example] }', 'emails: [ct@xa-mau.example]'],
        ['  place: Mẫu', '\tplace: Mẫu'],
        UNKNOWN_ASSIGNEE,
      ),
    );
    expect(problems.map(({ line, column, path }) => `${line}:${column} ${path}`)).toEqual([
      '8:1 (cú pháp YAML)',
      '19:5 (cú pháp YAML)',
      '30:17 duties[0].assignees[0]',
    ]);
  });
});

describe('values and keys', () => {
  it('explains a comma in an unquoted value inside "{ }" instead of reporting an unknown field', () => {
    expect(shown(problemsOf(edit(['name: Tết Dương lịch,', 'name: Tết Dương lịch, Tết Tây,'])))).toEqual([
      'ke-hoach.yaml:17:35  calendars[0].daysOff[0].name  giá trị có dấu phẩy nhưng không đặt trong dấu nháy: trong "{ }" dấu phẩy ' +
        'ngăn cách các trường, nên "Tết Tây" bị đọc thành trường riêng; hãy đặt cả giá trị trong dấu nháy kép: name: "Tết Dương lịch, Tết Tây"',
    ]);
  });

  it('says to quote "04" when YAML read it as the number 4', () => {
    const text = edit(['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: monthly, periods: reporting, only: [04] }']);
    expect(shown(problemsOf(text))).toEqual([
      'ke-hoach.yaml:31:59  duties[0].cadence.only[0]  phải là chữ, không phải số (đọc "04" thành số 4): YAML hiểu giá trị không có ' +
        'dấu nháy là số; hãy đặt trong dấu nháy kép, ví dụ only: ["04"]',
    ]);
    const quoted = parsePlan(text.replace('only: [04]', 'only: ["04"]'), 'ke-hoach.yaml');
    expect(quoted.ok).toBe(true);
  });

  it('suggests the known key for a misspelt one, and does not also report the real key as missing', () => {
    expect(shown(problemsOf(edit(['reportsTo: chu-tich', 'reportTo: chu-tich'], ['    title: Báo cáo quý', '    titel: Báo cáo quý'])))).toEqual([
      'ke-hoach.yaml:20:102  units[1].reportTo  trường không có trong định dạng kế hoạch: "reportTo". Có phải ý bạn là "reportsTo"? ' +
        'Nếu không, hãy xóa trường này.',
      'ke-hoach.yaml:26:5  duties[0].titel  trường không có trong định dạng kế hoạch: "titel". Có phải ý bạn là "title"? ' +
        'Nếu không, hãy xóa trường này.',
    ]);
  });

  it('suggests the unit or group id and the value of a choice that was meant', () => {
    const problems = shown(problemsOf(edit(['assignees: [cac-truong]', 'assignees: [cac-truogn, phong-vhx]'], ['every: quarterly', 'every: quartely'])));
    expect(problems).toEqual([
      'ke-hoach.yaml:30:17  duties[0].assignees[0]  Đơn vị được giao \'cac-truogn\' không có trong danh sách đơn vị hoặc nhóm. Có phải ý bạn là "cac-truong"?',
      'ke-hoach.yaml:30:29  duties[0].assignees[1]  Đơn vị được giao \'phong-vhx\' không có trong danh sách đơn vị hoặc nhóm. Có phải ý bạn là "phong-vhxh"?',
      'ke-hoach.yaml:31:23  duties[0].cadence.every  giá trị của "every" không hợp lệ; chọn một trong: monthly, quarterly, half-yearly, ' +
        'nine-month, yearly, phase, once, dates, on-request, ongoing, relative. Có phải ý bạn là "quarterly"?',
    ]);
  });

  it('reports a misspelt unit kind once, without the group it empties', () => {
    expect(shown(problemsOf(edit(['kind: school', 'kind: schol'])))).toEqual([
      'ke-hoach.yaml:21:52  units[2].kind  loại đơn vị phải là một trong: leader, department, public-unit, school, fatherland-front, ' +
        'mass-organisation, people-inspection, residential-group, enterprise, other. Có phải ý bạn là "school"?',
    ]);
  });

  it('finds the nearest word only within a slip of the keyboard', () => {
    expect(editDistance('reportTo', 'reportsTo')).toBe(1);
    expect(editDistance('quartelry', 'quarterly')).toBe(1);
    expect(closestMatch('tdp-1', ['tdp-01', 'tdp-10'])).toBe('tdp-01');
    expect(closestMatch('truong-xyz', ['phong-vhxh', 'chu-tich'])).toBeUndefined();
  });
});

describe('a plan that fails the schema', () => {
  it('still has its references checked when a unit lacks its name and a duty its cadence', () => {
    const text = edit(
      ['{ id: truong-a, name: Trường Tiểu học A, kind: school,', '{ id: truong-a, kind: school,'],
      ['    cadence: { every: quarterly, periods: reporting }\n', ''],
      UNKNOWN_ASSIGNEE,
    );
    expect(problemsOf(text).map((problem) => `${problem.line} ${problem.path}`)).toEqual([
      '21 units[2].name',
      '25 duties[0].cadence',
      '30 duties[0].assignees[0]',
    ]);
  });
});

describe('the plan year', () => {
  it('reports a mistyped year once instead of every date as outside it', () => {
    const text = edit(
      ['year: 2026\n  legal', 'year: 2062\n  legal'],
      ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: dates, dates: [2026-03-02, 2026-06-01] }'],
      ['    deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }\n', ''],
    );
    expect(shown(problemsOf(text))).toEqual([
      'ke-hoach.yaml:9:9  plan.year  năm kế hoạch 2062 không khớp với phần còn lại của tệp: lịch làm việc và 2/2 ngày ghi trong tệp ' +
        'thuộc năm 2026. Nếu đây là kế hoạch năm 2026, sửa thành "year: 2026"; nếu đúng là năm 2062, hãy tạo tệp bằng lệnh ' +
        '"plan new --year 2062" để dời các ngày và thêm lịch năm 2062. Các ngày chưa được kiểm tra theo năm kế hoạch.',
    ]);
  });

  it('checks nothing against a year that failed the schema', () => {
    expect(shown(problemsOf(edit(['year: 2026\n  legal', 'year: "2026"\n  legal'])))).toEqual([
      'ke-hoach.yaml:9:9  plan.year  phải là một số, không phải "2026"',
    ]);
  });
});

describe('dates that cannot be placed', () => {
  it('are all reported in one run, one per duty', () => {
    const second = [
      '  - id: bao-cao-6-thang',
      '    title: Báo cáo 6 tháng',
      '    kind: report',
      '    source: III.2',
      '    legalBasis: NĐ 09/2019/NĐ-CP',
      '    assignees: [cac-truong]',
      '    cadence: { every: half-yearly, periods: reporting, only: [H3] }',
      '    deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }',
      '',
    ].join('\n');
    const text = `${edit(['deadline: { rule: workingDaysAfter, from: periodEnd, days: 2 }', 'deadline: { rule: fixedDate, date: 03-31 }'])}${second}`;
    const problems = problemsOf(text);
    expect(problems.map((problem) => `${problem.line} ${problem.path}`)).toEqual(['32 duties[0].deadline.rule', '39 duties[1].cadence.only[0]']);
    expect(problems[0]?.message).toMatch(/không xếp được nhiệm vụ lặp lại "quarterly"/);
    expect(problems[1]?.message).toBe('chu kỳ "half-yearly" không có kỳ "H3"; các kỳ có: H1, H2');
  });
});

describe('Vietnamese text', () => {
  it('accepts a unit name typed decomposed (NFD) and keeps it composed (NFC)', () => {
    const decomposed = 'Trường Tiểu học A'.normalize('NFD');
    expect(decomposed).not.toBe('Trường Tiểu học A');
    const result = parsePlan(edit(['Trường Tiểu học A', decomposed]), 'ke-hoach.yaml');
    if (!result.ok) throw new Error(shown(result.problems).join('\n'));
    expect(result.plan.units[2]?.name).toBe('Trường Tiểu học A'.normalize('NFC'));
  });

  it('reports two units with the same visible name, one of them decomposed', () => {
    const text = edit(['Phòng Văn hóa - Xã hội', 'Phòng Văn hóa - Xã hội'.normalize('NFD')], ['Trường Tiểu học A', ' Phòng Văn hóa - Xã hội']);
    expect(shown(problemsOf(text.replace('name:  Phòng', 'name: " Phòng').replace('Xã hội, kind: school', 'Xã hội", kind: school')))).toEqual([
      'ke-hoach.yaml:21:27  units[2].name  tên đơn vị "Phòng Văn hóa - Xã hội" trùng với tên đơn vị thứ 2 ("phong-vhxh"): người nhận ' +
        'thư không phân biệt được hai đơn vị; đặt tên khác cho một trong hai (ví dụ thêm số hoặc địa danh)',
    ]);
  });
});

describe('a file with many kinds of problems', () => {
  it('gets them all in one run, each once', () => {
    const text = edit(
      ['  place: Mẫu', '\tplace: Mẫu'],
      ['supervisor: phong-vhxh', 'supervisor: phong-vhhx'],
      ['name: Tết Dương lịch,', 'name: Tết Dương lịch, Tết Tây,'],
      ['emails: [ct@xa-mau.example] }', 'emails: [ct@xa-mau.example]'],
      ['reportsTo: chu-tich', 'reportTo: chu-tich'],
      ['kind: school', 'kind: schol'],
      UNKNOWN_ASSIGNEE,
      ['cadence: { every: quarterly, periods: reporting }', 'cadence: { every: monthly, periods: reporting, only: [04] }'],
    );
    const problems = problemsOf(text);
    expect(problems.map((problem) => `${problem.line} ${problem.path}`)).toEqual([
      '8 (cú pháp YAML)',
      '12 plan.supervisor',
      '17 calendars[0].daysOff[0].name',
      '19 (cú pháp YAML)',
      '20 units[1].reportTo',
      '21 units[2].kind',
      '30 duties[0].assignees[0]',
      '31 duties[0].cadence.only[0]',
    ]);
    const places = problems.map((problem) => `${problem.line}:${problem.column}:${problem.message}`);
    expect(new Set(places).size).toBe(places.length);
    expect(problems.find((problem) => problem.path === 'plan.supervisor')?.message).toMatch(/Có phải ý bạn là "phong-vhxh"\?/);
  });
});
