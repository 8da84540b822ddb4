/**
 * How the units of a simulated year behave: every occurrence of the plan gets one behaviour, drawn
 * from a seeded generator in the proportions the user chose, and the behaviour becomes messages at
 * fixed local times. Pure: no Temporal, no I/O.
 *
 * - on time: the unit submits at 10:00 on the deadline day;
 * - late: it submits at 10:00 on the day of the first escalation (the overdue notice and the
 *   first escalation have gone out), or the day after the deadline when the duty escalates nowhere;
 * - missing: it never submits, so every escalation goes out;
 * - extension: it asks at 10:00 two days before the deadline for 7 more days, the office approves
 *   five minutes later (requests of the same moment one at a time, 15 minutes apart, in key
 *   order), and it submits at 10:00 the day before the new deadline. Where the new
 *   deadline would fall after the plan period ends, the plan would close before it, so the unit
 *   submits on time instead;
 * - waived: the office waives the occurrence one hour after the plan starts, before any mail.
 *
 * Occurrences are drawn in the order of their keys, one number each, so the script depends only on
 * the plan, the seed and the proportions.
 */
import { addCalendarDays, localDateOf, localDateTimeToUtc } from '../domain/calendar';
import type { DutyInfo, ExpandedPlan, Occurrence } from '../domain/schedule/types';
import type { FieldValue, ReportField } from '../domain/report-fields/types';
import { mulberry32 } from './prng';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { formatVietnameseNumber } from '../domain/summary/vietnamese-numbers';

export const BEHAVIOURS = ['on-time', 'late', 'missing', 'extension', 'waived'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** Percentages of occurrences per behaviour; they add up to 100. */
export type BehaviourMix = Record<Behaviour, number>;

export const DEFAULT_MIX: BehaviourMix = { 'on-time': 60, late: 20, missing: 10, extension: 5, waived: 5 };

export const BEHAVIOUR_LABELS: Record<Behaviour, string> = {
  'on-time': 'nộp đúng hạn',
  late: 'nộp muộn',
  missing: 'không nộp',
  extension: 'xin gia hạn',
  waived: 'được miễn',
};

export const EXTENSION_DAYS = 7;
const WAIVE_AFTER_START_MS = 3_600_000;
const DECIDE_AFTER_REQUEST_MS = 5 * 60_000;
/**
 * Decisions are mailed at once, each digest after its own collection window. Java's time-skipping
 * server sometimes rejects a workflow task that completes while another such window fires a few
 * milliseconds later ("invalid history builder state for action") and the year then stalls; an
 * office deciding one request at a time never produces that interleaving.
 */
const DECISION_SPACING_MS = 15 * 60_000;

export type ScriptedAction =
  | { kind: 'submit'; at: string; occurrenceKey: string; fields: Record<string, FieldValue> }
  | { kind: 'request-extension'; at: string; occurrenceKey: string; untilLocalDate: string }
  | { kind: 'approve-extension'; at: string; occurrenceKey: string }
  | { kind: 'waive'; at: string; occurrenceKey: string };

export interface ScriptedOccurrence {
  key: string;
  dutyId: string;
  unitId: string;
  periodKey: string;
  /** What was drawn. */
  drawn: Behaviour;
  /** What the unit does: an extension that cannot fit in the year becomes on-time. */
  behaviour: Behaviour;
  /** The deadline had passed when the plan started: nothing is sent or done. */
  beforeStart: boolean;
}

export interface SimulationScript {
  seed: number;
  mix: BehaviourMix;
  occurrences: ScriptedOccurrence[];
  /** Sorted by instant. */
  actions: ScriptedAction[];
}

/** "nộp đúng hạn 60%, nộp muộn 20%, …", as the CLI, the preview and the office page say it. */
export function mixText(mix: BehaviourMix): string {
  return BEHAVIOURS.map((behaviour) => `${BEHAVIOUR_LABELS[behaviour]} ${formatVietnameseNumber(mix[behaviour])}%`).join(', ');
}

export function checkMix(mix: BehaviourMix): string[] {
  const problems: string[] = [];
  for (const behaviour of BEHAVIOURS) {
    const value = mix[behaviour];
    if (!Number.isFinite(value) || value < 0 || value > 100) problems.push(`tỷ lệ ${BEHAVIOUR_LABELS[behaviour]} phải từ 0 đến 100, nhận được ${value}`);
  }
  const total = BEHAVIOURS.reduce((sum, behaviour) => sum + mix[behaviour], 0);
  if (problems.length === 0 && Math.abs(total - 100) > 1e-9) problems.push(`các tỷ lệ phải cộng lại bằng 100, hiện là ${total}`);
  return problems;
}

function draw(random: () => number, mix: BehaviourMix): Behaviour {
  const r = random() * 100;
  let upTo = 0;
  for (const behaviour of BEHAVIOURS) {
    upTo += mix[behaviour];
    if (r < upTo) return behaviour;
  }
  return 'on-time';
}

/** A plausible canonical value for a field, from its own generator so the draws above never shift. */
function fieldValue(field: ReportField, random: () => number, deadlineDate: string): FieldValue {
  switch (field.type) {
    case 'count': {
      const min = field.min ?? 0;
      const max = field.max ?? min + 40;
      return min + Math.floor(random() * (max - min + 1));
    }
    case 'number':
      return Math.round((field.min ?? 0) * 100 + random() * 1000) / 100;
    case 'money':
      return (field.min ?? 0) + 500_000 * (1 + Math.floor(random() * 20));
    case 'percent':
      return 50 + Math.floor(random() * 51);
    case 'date':
      return deadlineDate;
    case 'yesno':
      return random() < 0.8;
    case 'text':
      return 'Đã thực hiện theo kế hoạch (số liệu mô phỏng).';
  }
}

function fieldsFor(duty: DutyInfo | undefined, random: () => number, deadlineDate: string): Record<string, FieldValue> {
  return Object.fromEntries((duty?.fields ?? []).map((field) => [field.id, fieldValue(field, random, deadlineDate)]));
}

export function buildScript(plan: ExpandedPlan, options: { seed: number; mix: BehaviourMix; startedAt: number }): SimulationScript {
  const zone = plan.timeZone;
  const random = mulberry32(options.seed);
  const values = mulberry32(options.seed ^ 0x5eed5eed);
  const duties = new Map(plan.duties.map((duty) => [duty.id, duty]));
  const at10 = (date: string) => localDateTimeToUtc(date, '10:00', zone);
  const lastDayOfYear = periodOfPlan(plan).to;
  const occurrences: ScriptedOccurrence[] = [];
  const actions: ScriptedAction[] = [];
  const sorted = [...plan.occurrences].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  for (const occ of sorted) {
    const drawn = draw(random, options.mix);
    const deadlineDate = localDateOf(new Date(Date.parse(occ.dueAt) - 1).toISOString(), zone);
    const extendedDate = addCalendarDays(deadlineDate, EXTENSION_DAYS);
    const behaviour: Behaviour = drawn === 'extension' && extendedDate > lastDayOfYear ? 'on-time' : drawn;
    const beforeStart = Date.parse(occ.dueAt) <= options.startedAt;
    occurrences.push({ key: occ.key, dutyId: occ.dutyId, unitId: occ.unitId, periodKey: occ.periodKey, drawn, behaviour, beforeStart });
    if (beforeStart) continue;
    const submit = (at: string) => actions.push({ kind: 'submit', at, occurrenceKey: occ.key, fields: fieldsFor(duties.get(occ.dutyId), values, deadlineDate) });
    switch (behaviour) {
      case 'on-time':
        submit(at10(deadlineDate));
        break;
      case 'late':
        submit(at10(lateDate(occ, deadlineDate, zone)));
        break;
      case 'missing':
        break;
      case 'extension': {
        const requestAt = at10(addCalendarDays(deadlineDate, -2));
        actions.push({ kind: 'request-extension', at: requestAt, occurrenceKey: occ.key, untilLocalDate: extendedDate });
        actions.push({ kind: 'approve-extension', at: new Date(Date.parse(requestAt) + DECIDE_AFTER_REQUEST_MS).toISOString(), occurrenceKey: occ.key });
        submit(at10(addCalendarDays(extendedDate, -1)));
        break;
      }
      case 'waived':
        actions.push({ kind: 'waive', at: new Date(options.startedAt + WAIVE_AFTER_START_MS).toISOString(), occurrenceKey: occ.key });
        break;
    }
  }
  spaceDecisions(actions);
  const order: Record<ScriptedAction['kind'], number> = { waive: 0, 'request-extension': 1, 'approve-extension': 2, submit: 3 };
  actions.sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind] || a.occurrenceKey.localeCompare(b.occurrenceKey));
  return { seed: options.seed, mix: options.mix, occurrences, actions };
}

/** Approvals of the same moment move 0, 15, 30 … minutes later, in key order. */
function spaceDecisions(actions: ScriptedAction[]): void {
  const byInstant = new Map<string, ScriptedAction[]>();
  for (const action of actions) {
    if (action.kind !== 'approve-extension') continue;
    byInstant.set(action.at, [...(byInstant.get(action.at) ?? []), action]);
  }
  for (const [at, group] of byInstant) {
    group.sort((a, b) => a.occurrenceKey.localeCompare(b.occurrenceKey));
    group.forEach((action, i) => {
      action.at = new Date(Date.parse(at) + i * DECISION_SPACING_MS).toISOString();
    });
  }
}

function lateDate(occ: Occurrence, deadlineDate: string, zone: string): string {
  const first = occ.escalations[0]?.at ?? occ.overdueAt;
  return first ? localDateOf(first, zone) : addCalendarDays(deadlineDate, 1);
}

/** Splits an occurrence key into the parts the client functions take. */
export function occurrenceTarget(plan: ExpandedPlan, key: string): { dutyId: string; unitId: string; periodKey: string } {
  const occ = plan.occurrences.find((candidate) => candidate.key === key);
  if (!occ) throw new Error(`unknown occurrence ${key}`);
  return { dutyId: occ.dutyId, unitId: occ.unitId, periodKey: occ.periodKey };
}
