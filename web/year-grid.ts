/**
 * The year at a glance: one plan's units × months, each cell the state of the unit's items due
 * that month (by the plan's local date of the deadline in force). Pure: built from the duty status
 * views the office page already queries; the page, the .xlsx and the CSV all read this one model.
 *
 * States a cell can show, by colour AND by a symbol and a word (never colour alone):
 * on time, late, overdue (with the highest escalation level already sent), waived, extended,
 * pending (submissions open, deadline ahead), not yet due (the period has not opened), before
 * tracking (its deadline had passed when the plan started: never reminded, never counted).
 * A cell holding several items shows the state that needs attention first and "done/owed".
 *
 * Counts and rates are those of the year-end report (domain/summary): over tracked items only;
 * waived, before-tracking and not-yet-due items were never owed.
 */
import { localDateOf } from '../domain/calendar';
import { emptyCounts, outcomeAt, ratesOf } from '../domain/summary/aggregate';
import type { OutcomeCounts, Rates } from '../domain/summary/types';
import { formatVietnamesePercent } from '../domain/summary/vietnamese-numbers';
import type { DutyStatusView, OccurrenceView } from '../workflows/types';
import { periodMonths, type PlanPeriod } from '../domain/plan/period';

export type ItemState = 'overdue' | 'extended' | 'pending' | 'late' | 'on-time' | 'waived' | 'not-yet-due' | 'before-tracking';

/** Most urgent first: a cell shows the first state any of its items has. */
export const ITEM_STATES: readonly ItemState[] = ['overdue', 'extended', 'pending', 'not-yet-due', 'late', 'on-time', 'waived', 'before-tracking'];

export const ITEM_STATE_TEXT: Record<ItemState, { symbol: string; word: string; legend: string }> = {
  overdue: { symbol: '✕', word: 'Quá hạn', legend: 'quá hạn chưa nộp (kèm cấp đã được báo)' },
  extended: { symbol: '↻', word: 'Gia hạn', legend: 'đã được gia hạn, chưa nộp' },
  pending: { symbol: '○', word: 'Chờ nộp', legend: 'đang nhận, chưa đến hạn' },
  'not-yet-due': { symbol: '·', word: 'Chưa đến kỳ', legend: 'kỳ báo cáo chưa bắt đầu' },
  late: { symbol: '◑', word: 'Muộn', legend: 'đã nộp sau hạn' },
  'on-time': { symbol: '✓', word: 'Đúng hạn', legend: 'đã nộp đúng hạn' },
  waived: { symbol: '–', word: 'Miễn', legend: 'được miễn' },
  'before-tracking': { symbol: '⌀', word: 'Trước theo dõi', legend: 'hạn đã qua trước khi bắt đầu theo dõi, không tính' },
};

/** The state of one item as the grid shows it; undefined = not shown (removed from the plan, never submitted). */
export function itemState(occ: OccurrenceView, nowMs: number): ItemState | undefined {
  if (occ.submission) return occ.submission.late ? 'late' : 'on-time';
  switch (occ.status) {
    case 'removed':
      return undefined;
    case 'waived':
    case 'overdue':
    case 'extended':
    case 'before-tracking':
      return occ.status;
    default:
      return occ.opensAt !== undefined && Date.parse(occ.opensAt) > nowMs ? 'not-yet-due' : 'pending';
  }
}

export interface GridItem {
  dutyId: string;
  dutyTitle: string;
  occurrence: OccurrenceView;
  state: ItemState;
  /** 'YYYY-MM' of the deadline in force, in the plan's zone. */
  month: string;
  /** Highest escalation level sent (0 = none). */
  escalatedLevel: number;
}

export interface GridFilter {
  dutyId?: string;
  /** Units of the chosen group; undefined = every unit. */
  unitIds?: ReadonlySet<string>;
  state?: ItemState;
}

export interface GridCell {
  month: string;
  items: GridItem[];
  /** Undefined for an empty cell. */
  state?: ItemState;
  /** Items submitted (on time or late) and items owed so far, for "2/3". */
  done: number;
  owed: number;
  escalatedLevel: number;
}

export interface GridRow {
  unitId: string;
  unitName: string;
  cells: GridCell[];
  counts: OutcomeCounts;
  rates: Rates;
}

export interface YearGrid {
  months: string[];
  rows: GridRow[];
  counts: OutcomeCounts;
  rates: Rates;
  /** Items per state over the filtered grid. */
  byState: Record<ItemState, number>;
  items: GridItem[];
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** Every item of the plan the filter keeps, sorted by deadline, duty and unit. */
export function gridItems(duties: DutyStatusView[], nowIso: string, filter: GridFilter = {}): GridItem[] {
  const nowMs = Date.parse(nowIso);
  const items: GridItem[] = [];
  for (const duty of duties) {
    if (filter.dutyId && duty.dutyId !== filter.dutyId) continue;
    for (const occurrence of duty.occurrences) {
      if (filter.unitIds && !filter.unitIds.has(occurrence.unitId)) continue;
      const state = itemState(occurrence, nowMs);
      if (!state || (filter.state && state !== filter.state)) continue;
      items.push({
        dutyId: duty.dutyId,
        dutyTitle: duty.dutyTitle,
        occurrence,
        state,
        month: localDateOf(occurrence.dueAt, duty.timeZone).slice(0, 7),
        escalatedLevel: Math.max(0, ...occurrence.escalatedLevels),
      });
    }
  }
  return items.sort(
    (a, b) =>
      a.occurrence.dueAt.localeCompare(b.occurrence.dueAt) ||
      collator.compare(a.dutyTitle, b.dutyTitle) ||
      collator.compare(a.occurrence.unitName, b.occurrence.unitName),
  );
}

function countInto(counts: OutcomeCounts, occurrence: OccurrenceView, nowMs: number): void {
  const outcome = outcomeAt(occurrence, nowMs);
  counts[outcome] += 1;
  counts.total += 1;
}

/**
 * The months of the plan period (January to December of a calendar-year plan), plus any month
 * outside it an item falls in (a report due in the month after the period).
 */
function monthsOf(period: PlanPeriod, items: GridItem[]): string[] {
  const last = period.to.slice(0, 7);
  const months = new Set(
    periodMonths(period.from)
      .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`)
      .filter((month) => month <= last),
  );
  for (const item of items) months.add(item.month);
  return [...months].sort();
}

function cellOf(month: string, items: GridItem[], nowMs: number): GridCell {
  const counts = emptyCounts();
  for (const item of items) countInto(counts, item.occurrence, nowMs);
  const state = ITEM_STATES.find((candidate) => items.some((item) => item.state === candidate));
  return {
    month,
    items,
    ...(state ? { state } : {}),
    done: counts['on-time'] + counts.late,
    owed: ratesOf(counts).owed,
    escalatedLevel: Math.max(0, ...items.map((item) => item.escalatedLevel)),
  };
}

export function yearGrid(duties: DutyStatusView[], period: PlanPeriod, nowIso: string, filter: GridFilter = {}): YearGrid {
  const nowMs = Date.parse(nowIso);
  const items = gridItems(duties, nowIso, filter);
  const months = monthsOf(period, items);
  const byUnit = new Map<string, { unitName: string; items: GridItem[] }>();
  // Every unit of the filtered duties has a row, even with no item left after the state filter.
  for (const duty of duties) {
    if (filter.dutyId && duty.dutyId !== filter.dutyId) continue;
    for (const occurrence of duty.occurrences) {
      if (filter.unitIds && !filter.unitIds.has(occurrence.unitId)) continue;
      if (!byUnit.has(occurrence.unitId)) byUnit.set(occurrence.unitId, { unitName: occurrence.unitName, items: [] });
    }
  }
  for (const item of items) byUnit.get(item.occurrence.unitId)?.items.push(item);
  const total = emptyCounts();
  const byState = Object.fromEntries(ITEM_STATES.map((state) => [state, 0])) as Record<ItemState, number>;
  for (const item of items) {
    countInto(total, item.occurrence, nowMs);
    byState[item.state] += 1;
  }
  const rows = [...byUnit.entries()]
    .filter(([, unit]) => !filter.state || unit.items.length > 0)
    .map(([unitId, unit]) => {
      const counts = emptyCounts();
      for (const item of unit.items) countInto(counts, item.occurrence, nowMs);
      return {
        unitId,
        unitName: unit.unitName,
        cells: months.map((month) => cellOf(month, unit.items.filter((item) => item.month === month), nowMs)),
        counts,
        rates: ratesOf(counts),
      };
    })
    .sort((a, b) => collator.compare(a.unitName, b.unitName) || (a.unitId < b.unitId ? -1 : 1));
  return { months, rows, counts: total, rates: ratesOf(total), byState, items };
}

/** "T3" for March of the plan year, "T1/2028" for a month of another year. */
export function monthLabel(month: string, year: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y === year ? `T${m}` : `T${m}/${y}`;
}

/** "tháng 3/2027": how a screen reader and an export name the month. */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `tháng ${m}/${y}`;
}

/** What a cell says in one line: "✕ Quá hạn · cấp 2", "✓ Đúng hạn 3/3", "" when empty. */
export function cellText(cell: GridCell): string {
  if (!cell.state) return '';
  const { symbol, word } = ITEM_STATE_TEXT[cell.state];
  const level = cell.state === 'overdue' && cell.escalatedLevel > 0 ? ` · cấp ${cell.escalatedLevel}` : '';
  const ratio = cell.items.length > 1 && cell.owed > 0 ? ` ${cell.done}/${cell.owed}` : '';
  return `${symbol} ${word}${level}${ratio}`;
}

/** Every item of a cell by state, for its tooltip and screen readers: "1 quá hạn (đã báo cấp 1), 2 đúng hạn". */
export function cellDetail(cell: GridCell): string {
  if (cell.items.length === 0) return 'không có việc';
  const parts = ITEM_STATES.flatMap((state) => {
    const count = cell.items.filter((item) => item.state === state).length;
    if (count === 0) return [];
    const level = state === 'overdue' && cell.escalatedLevel > 0 ? ` (đã báo cấp ${cell.escalatedLevel})` : '';
    return [`${count} ${ITEM_STATE_TEXT[state].word.toLowerCase()}${level}`];
  });
  return parts.join(', ');
}

/** "85,0%" or "—" when nothing was owed. */
export function percentText(rate: number | null): string {
  return rate === null ? '—' : formatVietnamesePercent(rate);
}
