import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { planJsonSchemaText, PLAN_SCHEMA_FILE } from '../../../domain/plan/json-schema';
import { loadPlanFile, parsePlan } from '../../../domain/plan/load';
import { formatProblem } from '../../../domain/plan/problems';

const FIXTURES = 'test/fixtures/plans';
const HA_DONG = 'plans/ha-dong-2026.yaml';

describe('the Hà Đông 2026 plan', () => {
  it('is accepted', async () => {
    const result = await loadPlanFile(HA_DONG);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.plan.plan.year).toBe(2026);
    expect(result.plan.plan.signer.name).toBe('Hoàng Văn Đại');
  });

  it('uses only reserved example domains for contact addresses', async () => {
    const result = await loadPlanFile(HA_DONG);
    if (!result.ok) throw new Error('plan rejected');
    const emails = result.plan.units.flatMap((unit) => unit.emails);
    expect(emails.length).toBeGreaterThan(40);
    for (const email of emails) expect(email).toMatch(/@([a-z0-9-]+\.)*(example|invalid)$/);
  });

  it('cites a section of the seed for every duty', async () => {
    const result = await loadPlanFile(HA_DONG);
    if (!result.ok) throw new Error('plan rejected');
    for (const duty of result.plan.duties) expect(duty.source).toMatch(/^(II|III)\.\d/);
    const sources = new Set(result.plan.duties.flatMap((duty) => duty.source.split(/;\s*/)));
    for (const section of ['II.1', 'III.1', 'III.2', 'III.3', 'III.4', 'III.5', 'III.6', 'III.7']) {
      expect(sources, section).toContain(section);
    }
  });

  it('encodes the 2026 calendar of domain.md §6 as confirmed, each day with its notice', async () => {
    const result = await loadPlanFile(HA_DONG);
    if (!result.ok) throw new Error('plan rejected');
    const year2026 = result.plan.calendars.find((calendar) => calendar.year === 2026);
    expect(year2026?.provisional).toBe(false);
    const off = year2026?.daysOff.map((entry) => entry.date) ?? [];
    for (const date of ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02', '2026-11-24']) {
      expect(off).toContain(date);
    }
    expect(off).not.toContain('2026-08-31');
    expect(year2026?.makeUpWorkingDays.map((entry) => entry.date)).toEqual(['2026-01-10']);
    for (const entry of year2026?.daysOff ?? []) expect(entry.notice.length).toBeGreaterThan(3);
    expect(result.plan.calendars.find((calendar) => calendar.year === 2027)?.provisional).toBe(true);
  });
});

describe('report fields of the Hà Đông plan', () => {
  it('are counts (people, meetings, documents) or text', async () => {
    const result = await loadPlanFile(HA_DONG);
    if (!result.ok) throw new Error('plan rejected');
    const types = new Set(result.plan.duties.flatMap((duty) => duty.fields.map((field) => field.type)));
    expect([...types].sort()).toEqual(['count', 'text']);
  });
});

describe('the Hà Đông 2027 plan (next year, drafted with plan new)', () => {
  it('is accepted, on a provisional calendar whose every day says why it is not confirmed', async () => {
    const result = await loadPlanFile('plans/ha-dong-2027.yaml');
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.plan.plan.year).toBe(2027);
    expect(result.plan.plan.id).toBe('ha-dong-2027');
    expect(result.plan.calendars.map((calendar) => [calendar.year, calendar.provisional])).toEqual([
      [2027, true],
      [2028, true],
    ]);
    const days2027 = result.plan.calendars[0]?.daysOff ?? [];
    expect(days2027.map((day) => day.date)).toEqual(expect.arrayContaining(['2027-02-05', '2027-02-09', '2027-04-16', '2027-09-03']));
    for (const day of days2027) expect(day.note ?? '', day.date).not.toBe('');
  });

  it('lists its unconfirmed facts at the top of the file', () => {
    const text = readFileSync('plans/ha-dong-2027.yaml', 'utf8');
    expect(text).toContain('# CÁC ĐIỂM CHƯA XÁC NHẬN');
    expect(text).not.toMatch(/^ {4}title: .*năm 2025/m);
  });
});

describe('the committed JSON Schema', () => {
  it('is exactly what the zod schema generates', () => {
    expect(readFileSync(PLAN_SCHEMA_FILE, 'utf8')).toBe(planJsonSchemaText());
  });

  it('describes every field in Vietnamese, for the hover text of an editor', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${where}[${index}]`));
      if (node === null || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties ?? {};
      for (const [key, property] of Object.entries(properties)) {
        const description = property.description ?? '';
        // Vietnamese: at least one letter with a diacritic.
        if (!/[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i.test(description)) {
          undescribed.push(`${where}.${key}`);
        }
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${where}/${key}`);
    };
    walk(JSON.parse(readFileSync(PLAN_SCHEMA_FILE, 'utf8')), '');
    expect(undescribed).toEqual([]);
  });
});

interface Expected {
  file: string;
  path: string;
  line: number;
  message: RegExp;
}

const CORPUS: Expected[] = [
  { file: 'malformed-yaml.yaml', path: '(cú pháp YAML)', line: 3, message: /lỗi cú pháp YAML/ },
  { file: 'unknown-field.yaml', path: 'units[0].reportTo', line: 15, message: /trường không có trong định dạng kế hoạch: "reportTo"/ },
  { file: 'unknown-field.yaml', path: 'duties[0].cadence.every', line: 23, message: /giá trị của "every" không hợp lệ/ },
  { file: 'duplicate-ids.yaml', path: 'units[2].id', line: 21, message: /mã đơn vị "phong-vhxh" bị trùng/ },
  { file: 'unknown-assignee.yaml', path: 'duties[0].assignees[1]', line: 30, message: /Đơn vị được giao 'truong-abc' không có trong danh sách đơn vị hoặc nhóm/ },
  { file: 'chain-cycle.yaml', path: 'units[0].reportsTo', line: 19, message: /chuỗi cấp trên bị vòng lặp: chu-tich → truong-a → phong-vhxh → chu-tich/ },
  { file: 'impossible-date.yaml', path: 'calendars[0].daysOff[1].date', line: 18, message: /ngày 2026-02-30 không có thật/ },
  { file: 'reminder-after-deadline.yaml', path: 'duties[0].reminders.daysBefore[1]', line: 33, message: /lời nhắc phải trước hạn chót/ },
  { file: 'unplaceable-cadence.yaml', path: 'duties[0].deadline.rule', line: 32, message: /không xếp được nhiệm vụ lặp lại "quarterly"/ },
  { file: 'missing-period.yaml', path: 'duties[0].cadence.only[0]', line: 31, message: /không có kỳ "H3"/ },
  { file: 'missing-calendar-year.yaml', path: 'calendars', line: 14, message: /chưa có lịch làm việc năm 2026/ },
  { file: 'meeting-without-event.yaml', path: 'duties[0].deadline.from', line: 32, message: /nhiệm vụ không có cuộc họp/ },
  { file: 'bad-report-fields.yaml', path: 'duties[0].fields[0].sum', line: 34, message: /chỉ cộng dồn được chỉ tiêu kiểu count, number, money/ },
  { file: 'bad-report-fields.yaml', path: 'duties[0].fields[1].decimals', line: 35, message: /count và money luôn là số nguyên/ },
  { file: 'bad-report-fields.yaml', path: 'duties[0].fields[2].max', line: 36, message: /giới hạn max \(10\) nhỏ hơn min \(1000\)/ },
  { file: 'bad-report-fields.yaml', path: 'duties[0].fields[3].type', line: 37, message: /kiểu chỉ tiêu phải là một trong: count, number, money, percent, date, yesno, text/ },
];

describe('the broken-plan corpus', () => {
  it('accepts the base plan the broken ones are made from', async () => {
    expect((await loadPlanFile(path.join(FIXTURES, 'base.yaml'))).ok).toBe(true);
  });

  it.each(CORPUS)('$file: $path', async ({ file, path: fieldPath, line, message }) => {
    const result = await loadPlanFile(path.join(FIXTURES, file));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const match = result.problems.find((problem) => problem.path === fieldPath && message.test(problem.message));
    expect(match, result.problems.map(formatProblem).join('\n')).toBeDefined();
    expect(match?.line).toBe(line);
    expect(match?.column).toBeGreaterThan(0);
    expect(match?.file).toBe(path.join(FIXTURES, file));
  });

  it('reports structural and reference problems of one file together', async () => {
    const result = await loadPlanFile(path.join(FIXTURES, 'many-problems.yaml'));
    if (result.ok) throw new Error('accepted a broken plan');
    const paths = result.problems.map((problem) => problem.path);
    expect(paths).toEqual(expect.arrayContaining(['units[2].kind', 'duties[0].priority', 'plan.supervisor', 'duties[0].assignees[0]']));
  });

  it('formats a problem as file:line:column  path  message', () => {
    expect(formatProblem({ file: 'a.yaml', line: 3, column: 7, path: 'units[0].id', message: 'mã bị trùng' })).toBe(
      'a.yaml:3:7  units[0].id  mã bị trùng',
    );
  });

  it('reports a missing file without throwing', async () => {
    const result = await loadPlanFile(path.join(FIXTURES, 'no-such-plan.yaml'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/không tìm thấy tệp/);
  });
});

describe('the validator on random malformed plans', () => {
  const base = readFileSync(path.join(FIXTURES, 'base.yaml'), 'utf8');

  it('never crashes on random edits of the text, and locates every problem in the file', () => {
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(40), fc.string({ maxLength: 12 }), (at, cut, insert) => {
        const text = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut));
        const result = parsePlan(text, 'random.yaml');
        if (result.ok) return;
        expect(result.problems.length).toBeGreaterThan(0);
        const lines = text.split('\n').length;
        for (const problem of result.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lines);
          expect(problem.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 20260101 },
    );
  });

  it('never crashes on random YAML values in place of any part of the plan', () => {
    const parsed = parsePlan(base, 'base.yaml');
    if (!parsed.ok) throw new Error('base rejected');
    const keys = ['plan', 'calendars', 'units', 'groups', 'duties', 'settings', 'events'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), (key, value) => {
        const document = { ...(JSON.parse(JSON.stringify(parsed.plan)) as Record<string, unknown>), [key]: value };
        const result = parsePlan(stringify(document), 'random.yaml');
        if (!result.ok) expect(result.problems.every((problem) => problem.message.length > 0)).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
