import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rollPlanForward, rollYearInText } from '../../../domain/plan/roll-forward';
import { formatProblems } from '../../../domain/plan/problems';

const HA_DONG = 'plans/ha-dong-2026.yaml';
const haDongText = readFileSync(HA_DONG, 'utf8');

function roll(text: string, year: number) {
  const result = rollPlanForward(text, 'goc.yaml', year, 'moi.yaml');
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result;
}

/** Lines only in `a` and lines only in `b`, by longest common subsequence, with their line numbers. */
function lineDiff(a: string[], b: string[]): { removed: [number, string][]; added: [number, string][]; pairs: [string, string][] } {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      (table[i] as number[])[j] = a[i] === b[j] ? (table[i + 1] as number[])[j + 1]! + 1 : Math.max((table[i + 1] as number[])[j]!, (table[i] as number[])[j + 1]!);
    }
  }
  const removed: [number, string][] = [];
  const added: [number, string][] = [];
  const pairs: [string, string][] = [];
  let i = 0;
  let j = 0;
  let hunk: { removed: string[]; added: string[] } = { removed: [], added: [] };
  const flush = () => {
    if (hunk.removed.length === hunk.added.length) hunk.removed.forEach((line, k) => pairs.push([line, hunk.added[k] as string]));
    hunk = { removed: [], added: [] };
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      i += 1;
      j += 1;
    } else if (j < b.length && (i === a.length || (table[i] as number[])[j + 1]! >= (table[i + 1] as number[])[j]!)) {
      added.push([j + 1, b[j] as string]);
      hunk.added.push(b[j] as string);
      j += 1;
    } else {
      removed.push([i + 1, a[i] as string]);
      hunk.removed.push(a[i] as string);
      i += 1;
    }
  }
  flush();
  return { removed, added, pairs };
}

const WEEKDAYS = new Set(['Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy', 'Chủ', 'nhật', 'thứ', 'Thứ']);

/** True when the two lines differ only in dates of 2026 written for 2027 and the weekday before them. */
function differsOnlyInDates(before: string, after: string): boolean {
  const tokens = (line: string) => line.match(/[\p{L}\p{N}/-]+|\S/gu) ?? [];
  const a = tokens(before);
  const b = tokens(after);
  if (a.length !== b.length) return false;
  return a.every((token, index) => {
    const other = b[index] as string;
    if (token === other) return true;
    if (WEEKDAYS.has(token) && WEEKDAYS.has(other)) return true;
    if (/^2026-\d{2}-\d{2}$/.test(token)) return other === token.replace(/^2026/, '2027');
    if (/^\d{1,2}\/\d{1,2}\/2026$/.test(token)) return other === token.replace(/2026$/, '2027');
    if (token === '2026') return other === '2027' && (a[index - 1] === 'năm' || (a[index - 1] === ':' && a[index - 2] === 'year'));
    return token === 'ha-dong-2026' && other === 'ha-dong-2027';
  });
}

/** Line numbers (1-based) of the `calendars:` block, up to the next top-level key. */
function calendarBlock(lines: string[]): [number, number] {
  const start = lines.indexOf('calendars:') + 1;
  const end = lines.findIndex((line, index) => index >= start && /^[a-z]/.test(line));
  return [start, end];
}

describe('plan new on the Hà Đông plan, 2026 to 2027', () => {
  const result = roll(haDongText, 2027);
  const before = haDongText.split('\n');
  const after = result.text.split('\n');
  const diff = lineDiff(before, after);

  it('changes nothing but dates of the plan year, outside the holiday calendars', () => {
    const [sourceStart, sourceEnd] = calendarBlock(before);
    const [targetStart, targetEnd] = calendarBlock(after);
    const outsideSource = diff.removed.filter(([line]) => line < sourceStart || line > sourceEnd);
    const outsideTarget = diff.added.filter(([line]) => line < targetStart || line > targetEnd);
    expect(outsideSource.length).toBe(outsideTarget.length);
    expect(outsideSource.length).toBe(29);
    outsideSource.forEach(([, line], index) => {
      const changed = outsideTarget[index]?.[1] ?? '';
      expect(differsOnlyInDates(line, changed), `${line}\n→ ${changed}`).toBe(true);
    });
  });

  it('drops the 2026 calendar, keeps the hand-typed provisional 2027 one and computes 2028', () => {
    const removedCalendar = diff.removed.map(([, line]) => line).filter((line) => /^ {2}- year: /.test(line));
    const addedCalendar = diff.added.map(([, line]) => line).filter((line) => /^ {2}- year: /.test(line));
    expect(removedCalendar).toEqual(['  - year: 2026']);
    expect(addedCalendar).toEqual(['  - year: 2028']);
    expect(result.plan.calendars.map((calendar) => [calendar.year, calendar.provisional])).toEqual([
      [2027, true],
      [2028, true],
    ]);
    const tet2028 = result.plan.calendars[1]?.daysOff.find((day) => day.date === '2028-01-26');
    expect(tet2028?.name).toBe('Tết Âm lịch (mùng 1, tạm tính)');
    expect(tet2028?.note).toMatch(/Thủ tướng quyết định/);
  });

  it('keeps every comment, legal basis, document number and the years that are not dates', () => {
    const removedText = diff.removed.map(([, line]) => line);
    expect(removedText.filter((line) => /^\s*#/.test(line))).toEqual([]);
    expect(removedText.filter((line) => /^\s*(legalBasis|documentNumber|source):|^ {4}- (Luật|Nghị định|Nghị quyết|Quyết định|Thông tư)/.test(line))).toEqual([]);
    expect(result.text).toContain('Hội nghị cán bộ, công chức, viên chức, người lao động năm 2025 của cơ quan, đơn vị');
    expect(result.plan.plan.documentNumber).toBe('/KH-UBND');
    expect(result.warnings).toContain(
      'Giữ nguyên số văn bản "/KH-UBND" của văn bản năm 2026; sửa khi văn bản năm 2027 được ban hành. ' +
        'Căn cứ pháp lý, nơi nhận và các dòng chú thích (#) cũng giữ nguyên: hãy đọc lại.',
    );
  });

  it('lists every change, and what a person must decide', () => {
    expect(result.changes).toContain('dòng 30: plan.year: 2026 → 2027');
    expect(result.changes).toContain('dòng 616: duties[27].note: "Chủ nhật 13/12/2026" → "thứ Hai 13/12/2027"');
    expect(result.changes.filter((change) => /→/.test(change))).toHaveLength(30);
    expect(result.warnings).toContain(
      'Nhiệm vụ "hoi-nghi-vc-truong" (ngày cố định 12-18): Thứ Bảy 18/12/2027 là ngày nghỉ cuối tuần (ngày tương ứng năm 2026 là ngày làm việc); ' +
        'hạn sẽ lùi sang ngày làm việc kế tiếp, cuộc họp thì cần chọn lại ngày.',
    );
    expect(result.warnings).toContain(
      'dòng 429: duties[13].title còn năm 2025 không viết dưới dạng ngày của năm kế hoạch nên giữ nguyên; kiểm tra lại.',
    );
    expect(result.dropped).toEqual([]);
  });
});

describe('plan new on a plan with one-off items and years that are not dates', () => {
  const base = readFileSync('test/fixtures/plans/base.yaml', 'utf8')
    .replace('title: Kế hoạch mẫu năm 2026', 'title: Kế hoạch mẫu năm 2026 (nhiệm kỳ 2026-2031)')
    .replace('documentNumber: /KH-UBND', 'documentNumber: 15/KH-UBND\n  documentDate: 2026-03-10')
    .concat(
      [
        '  - id: dai-hoi-nhiem-ky',
        '    title: Đại hội nhiệm kỳ 2026-2031 theo Nghị quyết 28/2026/QH16',
        '    kind: conference',
        '    source: II.1',
        '    legalBasis: Nghị quyết 28/2026/QH16',
        '    carryOver: false',
        '    assignees: [chu-tich]',
        '    cadence: { every: once, date: 2026-06-15 }',
        '  - id: bao-cao-dai-hoi',
        '    title: Báo cáo kết quả Đại hội',
        '    kind: report',
        '    source: II.1',
        '    legalBasis: Luật Thực hiện dân chủ ở cơ sở 2022',
        '    assignees: [chu-tich]',
        '    cadence: { every: relative, to: { duty: dai-hoi-nhiem-ky } }',
        '    deadline: { rule: workingDaysAfter, from: anchor, days: 5 }',
        '',
      ].join('\n'),
    );
  const result = roll(base, 2027);

  it('drops the one-off duty and the duty hanging on it, and lists both', () => {
    expect(result.plan.duties.map((duty) => duty.id)).toEqual(['bao-cao-quy']);
    expect(result.dropped).toEqual([
      'nhiệm vụ "dai-hoi-nhiem-ky" (Đại hội nhiệm kỳ 2026-2031 theo Nghị quyết 28/2026/QH16): đánh dấu carryOver: false',
      'nhiệm vụ "bao-cao-dai-hoi" (Báo cáo kết quả Đại hội): gắn với nhiệm vụ "dai-hoi-nhiem-ky" không được chuyển sang năm sau',
    ]);
    expect(result.text).not.toContain('dai-hoi');
  });

  it('keeps a term of office, the document number and its date', () => {
    expect(result.plan.plan.title).toBe('Kế hoạch mẫu năm 2027 (nhiệm kỳ 2026-2031)');
    expect(result.plan.plan.documentNumber).toBe('15/KH-UBND');
    expect(result.plan.plan.documentDate).toBe('2026-03-10');
    expect(result.warnings).toContain(
      'Giữ nguyên số văn bản "15/KH-UBND" và ngày ban hành 2026-03-10 của văn bản năm 2026; sửa khi văn bản năm 2027 được ban hành. ' +
        'Căn cứ pháp lý, nơi nhận và các dòng chú thích (#) cũng giữ nguyên: hãy đọc lại.',
    );
  });

  it('computes the provisional calendars the source lacks, with Tết and Giỗ Tổ', () => {
    const [calendar2027, calendar2028] = result.plan.calendars;
    expect(calendar2027?.year).toBe(2027);
    expect(calendar2027?.provisional).toBe(true);
    expect(calendar2027?.daysOff.map((day) => day.date)).toEqual(
      expect.arrayContaining(['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-04-16']),
    );
    expect(calendar2028?.year).toBe(2028);
    expect(result.text).toContain('  - year: 2027\n    provisional: true\n');
  });
});

describe("the rolled plan's id", () => {
  it('moves the year where it stands alone and leaves digits of another number alone', () => {
    const withId = (id: string) => haDongText.replace(/^ {2}id: ha-dong-2026$/m, `  id: ${id}`);
    expect(roll(withId('xa-1764672026123-2026'), 2027).plan.plan.id).toBe('xa-1764672026123-2027');
    expect(roll(withId('kh2026-ha-dong'), 2027).plan.plan.id).toBe('kh2027-ha-dong');
    expect(roll(withId('ha-dong'), 2027).plan.plan.id).toBe('ha-dong-2027');
  });
});

describe('moving the plan year inside a text', () => {
  it.each([
    ['Kế hoạch năm 2026', 'Kế hoạch năm 2027'],
    ['mặc định thứ Sáu 18/12/2026, 8 giờ', 'mặc định thứ Bảy 18/12/2027, 8 giờ'],
    ['Chủ nhật 13/12/2026', 'Thứ Hai 13/12/2027'],
    ['hạn 2026-04-15 và tháng 3/2026, tháng 3 năm 2026', 'hạn 2027-04-15 và tháng 3/2027, tháng 3 năm 2027'],
    ['nhiệm kỳ 2026-2031', 'nhiệm kỳ 2026-2031'],
    ['giai đoạn năm 2026 – 2030', 'giai đoạn năm 2026 – 2030'],
    ['Nghị quyết 28/2026/QH16', 'Nghị quyết 28/2026/QH16'],
    ['tổng kết năm 2025', 'tổng kết năm 2025'],
    ['ngày 29/02/2026', 'ngày 29/02/2026'],
  ])('%s → %s', (text, expected) => {
    expect(rollYearInText(text, 2026, 2027).text).toBe(expected);
  });
});
