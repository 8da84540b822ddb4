/**
 * `plan new`: this year's plan as next year's draft, written by editing the source text in place so
 * every comment, quote and line break stays as the clerk left it. Only the plan year moves: the
 * plan's year and id, dates written in the plan year (fields and the titles and notes that cite
 * them), the holiday calendars. Years that are not the plan year ("nhiệm kỳ 2026-2031", document
 * numbers such as "28/2026/QH16", legal bases) are left alone. Items marked `carryOver: false` are
 * dropped, with the duties that hang on them. Everything done and everything left to a person is
 * returned as lists for the clerk.
 */
import { isCalendarYear } from './period';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isLeapYear, isoWeekdayOfEpochDay, isWeekend, parseEpochDay, tryParseCivilDate } from '../calendar/local-date';
import { compareWithStatutory, provisionalCalendarYear } from '../calendar/statutory-holidays';
import { weekdayName } from '../calendar/vietnamese-format';
import { workingCalendarOf } from './calendar-data';
import { parsePlan } from './load';
import type { PlanProblem } from './problems';
import type { PlanFile } from './schema';

export type RollForwardResult =
  | {
      ok: true;
      text: string;
      plan: PlanFile;
      /** Every edit made, "dòng N: đường dẫn: cũ → mới", in file order. */
      changes: string[];
      /** Items left out of the new year, each with the reason. */
      dropped: string[];
      /** What a person must still check or decide. */
      warnings: string[];
    }
  | { ok: false; problems: PlanProblem[] };

interface Edit {
  start: number;
  end: number;
  text: string;
}

type Path = (string | number)[];

/** Keys whose free text may cite dates of the plan year; legal bases, notices and sources never change. */
const TEXT_KEYS = new Set(['title', 'name', 'note']);
const WEEKDAY_WORDS = /((?:[Tt]hứ (?:Hai|Ba|Tư|Năm|Sáu|Bảy)|[Cc]hủ nhật)\s+)$/;

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Plan-year dates inside a piece of source text, moved to the target year: 2026-04-15, 15/4/2026
 * (and the weekday written before it), tháng 3/2026, tháng 3 năm 2026, năm 2026. A year that is
 * part of a range (2026-2031) or of a document number (28/2026/QH16) is not a date and stays.
 */
export function rollYearInText(source: string, fromYear: number, toYear: number): { text: string; replaced: [string, string][] } {
  const year = String(fromYear);
  const replaced: [string, string][] = [];
  const pattern = new RegExp(
    [
      `(?<![\\d/-])${year}-(\\d{2})-(\\d{2})(?!\\d)`,
      `(?<![\\d/])(\\d{1,2})/(\\d{1,2})/${year}(?![\\d/])`,
      `(tháng \\d{1,2}(?:/| năm ))${year}(?![\\d/]|\\s*[-–]\\s*\\d)`,
      `(năm )${year}(?![\\d/]|\\s*[-–]\\s*\\d)`,
    ].join('|'),
    'g',
  );
  let text = '';
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    const [whole, isoMonth, isoDay, day, month, monthPrefix, yearPrefix] = match;
    const at = match.index;
    let replacement: string;
    let from = at;
    if (isoMonth !== undefined && isoDay !== undefined) {
      const moved = `${toYear}-${isoMonth}-${isoDay}`;
      if (tryParseCivilDate(moved) === undefined) continue;
      replacement = moved;
    } else if (day !== undefined && month !== undefined) {
      const iso = `${toYear}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
      if (tryParseCivilDate(iso) === undefined) continue;
      replacement = `${day}/${month}/${toYear}`;
      const before = WEEKDAY_WORDS.exec(source.slice(Math.max(last, at - 12), at));
      if (before?.[1] !== undefined) {
        const word = before[1];
        from = at - word.length;
        // "thứ Hai" is written lower-case inside a sentence; "Chủ nhật" always starts with a capital.
        const preceding = source.slice(0, from).trimEnd();
        const startsSentence = preceding === '' || /[.!?:]$/.test(preceding);
        const name = weekdayName(iso);
        const spelled = name.startsWith('Thứ') && !startsSentence ? lowerFirst(name) : name;
        replacement = `${spelled}${word.slice(word.trimEnd().length)}${replacement}`;
      }
    } else {
      replacement = `${monthPrefix ?? yearPrefix ?? ''}${toYear}`;
    }
    const original = source.slice(from, at + whole.length);
    text += source.slice(last, from) + replacement;
    last = at + whole.length;
    replaced.push([original, replacement]);
  }
  return { text: text + source.slice(last), replaced };
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function formatPath(path: Path): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

class Editor {
  readonly edits: Edit[] = [];
  readonly changes: { offset: number; line: string }[] = [];

  constructor(
    readonly source: string,
    readonly lines: LineCounter,
  ) {}

  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  replace(node: Node, path: Path, replacement: string): void {
    const [start, end] = node.range ?? [0, 0];
    this.edits.push({ start, end, text: replacement });
    this.changes.push({ offset: start, line: `dòng ${this.lineOf(start)}: ${formatPath(path)}: ${this.source.slice(start, end)} → ${replacement}` });
  }

  /** Edits inside a scalar's own source text, so its quoting and folding stay as they were. */
  rollScalar(node: Node, path: Path, fromYear: number, toYear: number): void {
    const [start, end] = node.range ?? [0, 0];
    const { text, replaced } = rollYearInText(this.source.slice(start, end), fromYear, toYear);
    if (replaced.length === 0) return;
    this.edits.push({ start, end, text });
    for (const [before, after] of replaced) {
      this.changes.push({ offset: start, line: `dòng ${this.lineOf(start)}: ${formatPath(path)}: "${before}" → "${after}"` });
    }
  }

  /** The whole lines of a block sequence item, without the comments and blank lines that follow it. */
  itemLines(seq: YAMLSeq, index: number): { start: number; end: number } {
    const item = seq.items[index] as Node;
    const start = this.source.lastIndexOf('\n', (item.range ?? [0])[0]) + 1;
    const next = seq.items[index + 1] as Node | undefined;
    const limit = next === undefined ? (seq.range ?? [0, 0, this.source.length])[2] : this.source.lastIndexOf('\n', (next.range ?? [0])[0]) + 1;
    const lines = this.source.slice(start, limit).split(/(?<=\n)/);
    while (lines.length > 1 && /^\s*(#.*)?\n?$/.test(lines[lines.length - 1] ?? '')) lines.pop();
    const end = start + lines.join('').length;
    return { start, end: this.source[end - 1] === '\n' || end === this.source.length ? end : this.source.indexOf('\n', end) + 1 || end };
  }

  removeItem(seq: YAMLSeq, index: number, description: string): void {
    const { start } = this.itemLines(seq, index);
    let { end } = this.itemLines(seq, index);
    // The first item goes with the blank lines after it, so the list does not open with a gap.
    if (index === 0) while (this.source[end] === '\n') end += 1;
    this.edits.push({ start, end, text: '' });
    this.changes.push({ offset: start, line: `dòng ${this.lineOf(start)}–${this.lineOf(Math.max(start, end - 1))}: ${description}` });
  }

  insertAfterItem(seq: YAMLSeq, index: number, text: string, description: string): void {
    const { end } = this.itemLines(seq, index);
    this.edits.push({ start: end, end, text });
    this.changes.push({ offset: end, line: `dòng ${this.lineOf(end)}: ${description}` });
  }

  result(): string {
    let text = this.source;
    for (const edit of [...this.edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    }
    return text;
  }
}

/** Visits every scalar under `node` with its path. */
function eachScalar(node: unknown, path: Path, visit: (scalar: Node, path: Path, key: string | undefined) => void, key?: string): void {
  if (isScalar(node)) visit(node, path, key);
  else if (isMap(node)) for (const pair of node.items) eachScalar(pair.value, [...path, keyText(pair)], visit, keyText(pair));
  else if (isSeq(node)) node.items.forEach((item, index) => eachScalar(item, [...path, index], visit, key));
}

function seqAt(doc: Document, key: string): YAMLSeq | undefined {
  const node = doc.get(key, true);
  return isSeq(node) ? node : undefined;
}

/** Duties and events marked `carryOver: false`, and duties that hang on them, transitively. */
function itemsToDrop(plan: PlanFile): { duties: Map<number, string>; events: Map<number, string> } {
  const events = new Map<number, string>();
  plan.events.forEach((event, index) => {
    if (event.carryOver === false) events.set(index, `sự kiện "${event.id}" (${event.name}): đánh dấu carryOver: false`);
  });
  const droppedEventIds = new Set([...events.keys()].map((index) => plan.events[index]?.id));
  const duties = new Map<number, string>();
  plan.duties.forEach((duty, index) => {
    if (duty.carryOver === false) duties.set(index, `nhiệm vụ "${duty.id}" (${duty.title}): đánh dấu carryOver: false`);
  });
  let grew = true;
  while (grew) {
    grew = false;
    plan.duties.forEach((duty, index) => {
      if (duties.has(index) || duty.cadence.every !== 'relative') return;
      const target = duty.cadence.to;
      const anchorIndex = 'duty' in target ? plan.duties.findIndex((candidate) => candidate.id === target.duty) : -1;
      if ('duty' in target && duties.has(anchorIndex)) {
        duties.set(index, `nhiệm vụ "${duty.id}" (${duty.title}): gắn với nhiệm vụ "${target.duty}" không được chuyển sang năm sau`);
        grew = true;
      } else if ('event' in target && droppedEventIds.has(target.event)) {
        duties.set(index, `nhiệm vụ "${duty.id}" (${duty.title}): gắn với sự kiện "${target.event}" không được chuyển sang năm sau`);
        grew = true;
      }
    });
  }
  return { duties, events };
}

/** A calendar year as the YAML of one item of `calendars`, days as one-line maps like the hand-written ones. */
function calendarItemText(calendar: ReturnType<typeof provisionalCalendarYear>, indent: string): string {
  const doc = parseDocument(stringify([calendar], { lineWidth: 0 }));
  const items = (doc.contents as YAMLSeq).items[0] as YAMLMap;
  for (const listKey of ['daysOff', 'makeUpWorkingDays']) {
    const list = items.get(listKey, true);
    if (isSeq(list)) {
      if (list.items.length === 0) list.flow = true;
      for (const day of list.items) if (isMap(day)) day.flow = true;
    }
  }
  const notices = items.get('notices', true);
  if (isSeq(notices) && notices.items.length === 0) notices.flow = true;
  const text = doc.toString({ lineWidth: 0 });
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `${indent}${line}\n`)
    .join('');
}

function indentOf(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset) + 1;
  return /^[ ]*/.exec(source.slice(lineStart))?.[0] ?? '';
}

function dayOffText(date: string): string {
  return `${weekdayName(date)} ${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function failure(file: string, path: string, message: string): RollForwardResult {
  return { ok: false, problems: [{ file, line: 0, column: 0, path, message }] };
}

export function rollPlanForward(sourceText: string, sourceFile: string, targetYear: number, targetFile: string): RollForwardResult {
  const source = parsePlan(sourceText, sourceFile);
  if (!source.ok) return source;
  const plan = source.plan;
  const fromYear = plan.plan.year;
  const years = targetYear - fromYear;
  if (!Number.isInteger(targetYear) || years <= 0) {
    return failure(sourceFile, 'plan.year', `năm mới (${targetYear}) phải sau năm của kế hoạch gốc (${fromYear})`);
  }
  // Dates of a period across two years would need both years moved; only the plan year is moved here.
  if (plan.plan.period !== undefined && !isCalendarYear(plan.plan.period)) {
    return failure(
      sourceFile,
      'plan.period',
      'lệnh "plan new" chưa chuyển được kế hoạch có thời gian riêng (period, ví dụ năm học); hãy sao chép tệp rồi sửa năm, ' +
        'thời gian, các ngày và lịch làm việc bằng tay, sau đó chạy "plan validate"',
    );
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(sourceText, { lineCounter });
  const editor = new Editor(sourceText, lineCounter);
  const warnings: string[] = [];
  const dropped: string[] = [];
  const planNode = doc.get('plan', true) as YAMLMap;

  // The plan's year and id.
  editor.replace(planNode.get('year', true) as Node, ['plan', 'year'], String(targetYear));
  const idNode = planNode.get('id', true) as Node;
  // The year only where it stands as a number of its own: digits around it belong to another one
  // (a commune code, a date stamp), which renamed would make the plan another commune's.
  const yearInId = new RegExp(`(?<![0-9])${fromYear}(?![0-9])`, 'g');
  const newId = yearInId.test(plan.plan.id) ? plan.plan.id.replace(yearInId, String(targetYear)) : `${plan.plan.id}-${targetYear}`;
  editor.replace(idNode, ['plan', 'id'], newId);

  // Dates written in the plan year, in date fields and in titles, names and notes. Calendars are
  // handled below; legal bases, notices, sources and document numbers are never touched.
  const { duties: droppedDuties, events: droppedEvents } = itemsToDrop(plan);
  const skipped = new Set(['calendars']);
  const rollNode = (node: unknown, path: Path) =>
    eachScalar(node, path, (scalar, scalarPath, key) => {
      const isDate = typeof scalar.toJSON() === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(String(scalar.toJSON()));
      const last = scalarPath[scalarPath.length - 1];
      const isText = typeof last === 'string' && TEXT_KEYS.has(last);
      if (key === 'documentDate') return;
      if (isDate && String(scalar.toJSON()).endsWith('-02-29') && !isLeapYear(targetYear)) {
        editor.replace(scalar, scalarPath, `${targetYear}-02-28`);
        warnings.push(`${formatPath(scalarPath)}: năm ${targetYear} không có ngày 29/02, đã đổi thành 28/02; kiểm tra lại.`);
      } else if (isDate || isText) {
        editor.rollScalar(scalar, scalarPath, fromYear, targetYear);
      }
    });
  for (const pair of (doc.contents as YAMLMap).items) {
    const key = keyText(pair);
    if (skipped.has(key)) continue;
    if (key === 'duties' || key === 'events') {
      const list = pair.value as YAMLSeq;
      const drop = key === 'duties' ? droppedDuties : droppedEvents;
      list.items.forEach((item, index) => {
        if (!drop.has(index)) rollNode(item, [key, index]);
      });
    } else if (key === 'plan') {
      for (const metaPair of planNode.items) {
        const metaKey = keyText(metaPair);
        if (metaKey === 'title' || metaKey === 'note') rollNode(metaPair.value, ['plan', metaKey]);
      }
    } else {
      rollNode(pair.value, [key]);
    }
  }

  // One-off items.
  for (const [key, drop] of [
    ['duties', droppedDuties],
    ['events', droppedEvents],
  ] as const) {
    const list = seqAt(doc, key);
    for (const [index, reason] of drop) {
      if (list === undefined || list.flow === true) {
        warnings.push(`Không tự bỏ được ${reason.split(':')[0]} vì danh sách viết trên một dòng; hãy xóa bằng tay.`);
        continue;
      }
      editor.removeItem(list, index, `bỏ ${reason.split(':')[0]} (không chuyển sang năm ${targetYear})`);
      dropped.push(reason);
    }
  }

  // Calendars: the years before the new plan year go; the new year and the next are kept when
  // typed by hand, computed (provisional) when missing.
  const calendars = seqAt(doc, 'calendars') as YAMLSeq;
  plan.calendars.forEach((calendar, index) => {
    if (calendar.year < targetYear) editor.removeItem(calendars, index, `bỏ lịch làm việc năm ${calendar.year} (đã qua)`);
  });
  const lastIndex = calendars.items.length - 1;
  // New items line up with the existing ones: the indentation of the line holding the first "- ".
  const indent = indentOf(sourceText, ((calendars.items[0] as Node).range ?? [0])[0]);
  let inserted = '';
  for (const year of [targetYear, targetYear + 1]) {
    const typed = plan.calendars.find((calendar) => calendar.year === year);
    if (typed === undefined) {
      const computed = provisionalCalendarYear(year);
      inserted += calendarItemText(computed, indent);
      warnings.push(
        `Lịch làm việc năm ${year} được tính tạm theo Bộ luật Lao động 2019 Điều 111–112 và lịch âm (${computed.daysOff.length} ngày nghỉ); ` +
          'chưa xác nhận: ngày nghỉ Tết cụ thể, ngày nghỉ thứ hai dịp Quốc khánh, các ngày hoán đổi và làm bù. Thay bằng thông báo chính thức khi có.',
      );
      continue;
    }
    if (!typed.provisional) continue;
    const { missing, extra } = compareWithStatutory(
      year,
      typed.daysOff.map((day) => day.date),
    );
    warnings.push(`Lịch làm việc năm ${year} là tạm tính (chưa có thông báo chính thức về ngày nghỉ): các hạn chót có thể thay đổi khi có thông báo.`);
    for (const day of missing) warnings.push(`Lịch năm ${year} thiếu ngày nghỉ theo luật: ${dayOffText(day.date)}, ${day.name}.`);
    for (const date of extra) warnings.push(`Lịch năm ${year} có ngày nghỉ ${dayOffText(date)} mà luật không quy định: cần văn bản hoán đổi.`);
  }
  if (inserted !== '') editor.insertAfterItem(calendars, lastIndex, inserted, `thêm lịch làm việc tạm tính ${inserted.match(/year: \d+/g)?.join(', ') ?? ''}`);

  const text = editor.result();
  const result = parsePlan(text, targetFile);
  if (!result.ok) return result;

  warnings.push(...workingDayWarnings(plan, result.plan, droppedDuties, droppedEvents));
  warnings.push(...keptYearWarnings(editor, doc, fromYear, targetYear));
  const documentDate = plan.plan.documentDate === undefined ? '' : ` và ngày ban hành ${plan.plan.documentDate}`;
  warnings.push(
    `Giữ nguyên số văn bản "${plan.plan.documentNumber}"${documentDate} của văn bản năm ${fromYear}; sửa khi văn bản năm ${targetYear} được ban hành. ` +
      'Căn cứ pháp lý, nơi nhận và các dòng chú thích (#) cũng giữ nguyên: hãy đọc lại.',
  );
  const changes = editor.changes.sort((a, b) => a.offset - b.offset).map((change) => change.line);
  return { ok: true, text, plan: result.plan, changes, dropped, warnings };
}

/** Moved dates that were working days and now fall on a weekend or a holiday. */
function workingDayWarnings(
  source: PlanFile,
  target: PlanFile,
  droppedDuties: Map<number, string>,
  droppedEvents: Map<number, string>,
): string[] {
  const before = workingCalendarOf(source);
  const after = workingCalendarOf(target);
  const warnings: string[] = [];
  const check = (what: string, oldDate: string, newDate: string) => {
    if (!before.hasYear(Number(oldDate.slice(0, 4))) || !after.hasYear(Number(newDate.slice(0, 4)))) return;
    if (before.isWorkingDay(oldDate) && !after.isWorkingDay(newDate)) {
      const kind = isWeekend(isoWeekdayOfEpochDay(parseEpochDay(newDate))) ? 'ngày nghỉ cuối tuần' : 'ngày nghỉ lễ';
      warnings.push(
        `${what}: ${dayOffText(newDate)} là ${kind} (ngày tương ứng năm ${oldDate.slice(0, 4)} là ngày làm việc); ` +
          'hạn sẽ lùi sang ngày làm việc kế tiếp, cuộc họp thì cần chọn lại ngày.',
      );
    }
  };
  const newDuties = source.duties.filter((_, index) => !droppedDuties.has(index));
  newDuties.forEach((duty, index) => {
    const moved = target.duties[index];
    if (moved === undefined) return;
    const where = `Nhiệm vụ "${duty.id}"`;
    if (duty.cadence.every === 'once' && moved.cadence.every === 'once') check(where, duty.cadence.date, moved.cadence.date);
    if (duty.cadence.every === 'dates' && moved.cadence.every === 'dates') {
      duty.cadence.dates.forEach((date, dateIndex) => check(where, date, moved.cadence.every === 'dates' ? (moved.cadence.dates[dateIndex] ?? date) : date));
    }
    for (const rule of [duty.event?.on, duty.deadline]) {
      if (rule?.rule === 'fixedDate' && rule.date.length === 5) check(`${where} (ngày cố định ${rule.date})`, `${source.plan.year}-${rule.date}`, `${target.plan.year}-${rule.date}`);
    }
  });
  const newEvents = source.events.filter((_, index) => !droppedEvents.has(index));
  newEvents.forEach((event, index) => {
    const moved = target.events[index];
    event.dates.forEach((date, dateIndex) => check(`Sự kiện "${event.id}"`, date, moved?.dates[dateIndex] ?? date));
    if (event.provisional) warnings.push(`Sự kiện "${event.id}": ngày đã dời sang năm ${target.plan.year} nhưng vẫn là tạm tính; cần xác nhận theo lịch thực tế.`);
  });
  return warnings;
}

/** The plan year and the year before, left in titles and notes because they are not written as dates there. */
function keptYearWarnings(editor: Editor, doc: Document, fromYear: number, targetYear: number): string[] {
  const warnings: string[] = [];
  const visit = (node: unknown, path: Path) =>
    eachScalar(node, path, (scalar, scalarPath) => {
      const last = scalarPath[scalarPath.length - 1];
      if (typeof last !== 'string' || !TEXT_KEYS.has(last)) return;
      const [start, end] = scalar.range ?? [0, 0];
      const rolled = rollYearInText(editor.source.slice(start, end), fromYear, targetYear).text;
      const kept = [fromYear - 1, fromYear].filter((year) => new RegExp(`(?<!\\d)${year}(?!\\d)`).test(rolled));
      if (kept.length > 0) {
        warnings.push(
          `dòng ${editor.lineOf(start)}: ${formatPath(scalarPath)} còn năm ${kept.join(', ')} không viết dưới dạng ngày của năm kế hoạch nên giữ nguyên; kiểm tra lại.`,
        );
      }
    });
  for (const pair of (doc.contents as YAMLMap).items) {
    const key = keyText(pair);
    if (key === 'calendars' || key === 'plan') continue;
    visit(pair.value, [key]);
  }
  const planNode = doc.get('plan', true);
  if (isMap(planNode)) for (const pair of planNode.items) if (isPair(pair) && keyText(pair) === 'title') visit(pair.value, ['plan', 'title']);
  return warnings;
}
