/**
 * A duty's schedule and state packed by period, for everything that travels through Temporal
 * payloads (the start input, `loadSchedule`, continue-as-new). The occurrences of one period share
 * everything but the unit (deadline, opening, reminders, minutes request, overdue notice,
 * escalations), so a packed schedule holds each period's shared schedule once with the units that
 * follow it; a unit whose schedule differs (its own deadline, another escalation chain) forms its
 * own group. Runtime state keeps only what differs from the defaults, and notification ids are
 * stored once per suffix with the occurrences that were sent it.
 *
 * Workflow code works on the expanded shapes (`Occurrence[]`, `DutyState`); packing and expanding
 * are pure and deterministic, so they run inside workflows. A monthly duty of 200 units (2 400
 * occurrences, ~1.5 MB whole) packs into a few tens of KB.
 */
import type { Occurrence } from '../domain/schedule/types';
import type { DutyState, ExtensionRecord, FieldValue, MailSchedule, OccurrenceState, ScheduledNotice, SubmissionRecord, WaiverRecord } from './types';

/**
 * What every occurrence of a group shares: the occurrence without its key, duty and unit. An
 * escalation step without `notifyUnitId` notifies the unit's own chain (`PackedSchedule.chains`).
 */
export type SharedSchedule = Omit<Occurrence, 'key' | 'dutyId' | 'unitId' | 'escalations'> & {
  escalations: { level: number; at: string; notifyUnitId?: string }[];
};

export interface PackedGroup {
  schedule: SharedSchedule;
  /** Positions in `PackedSchedule.unitIds`, as ascending ranges: "0-41,43,45-60". */
  units: string;
}

export interface PackedSchedule {
  dutyId: string;
  unitIds: string[];
  groups: PackedGroup[];
  /**
   * Whom each unit's escalations notify, level by level (ids joined by spaces) → unit positions.
   * Chains differ by unit (each reports to its own office), not by period, so they are kept apart
   * from the periods' schedules.
   */
  chains?: Record<string, string>;
  /**
   * Occurrence keys that are not `${dutyId}:${unitId}:${periodKey}` (the expander never makes
   * one; hand-made schedules may), by `${unitIndex}|${periodKey}`.
   */
  keys?: Record<string, string>;
}

/**
 * An occurrence's runtime state where it differs from the defaults (short keys: a monthly duty
 * of 200 units has 2 400 of these once every unit has filed). `i` is its position.
 */
export interface PackedOccurrenceState {
  i: number;
  /** Deadline in force, only when an extension moved it. */
  dueAt?: string;
  extensions?: ExtensionRecord[];
  reschedule?: MailSchedule;
  notices?: ScheduledNotice[];
  /** The submission. */
  s?: PackedSubmission;
  waiver?: WaiverRecord;
}

/**
 * A submission: `n` its number when the reference follows the duty's numbering (else `ref`), `at`
 * when it was received (milliseconds since 1970), `f` its fields, `by` the submitter as a position in
 * `PackedDutyState.people`.
 */
export interface PackedSubmission {
  n?: number;
  ref?: string;
  at?: number;
  receivedAt?: string;
  f: Record<string, FieldValue>;
  late?: 1;
  by?: number;
  note?: string;
}

export interface PackedDutyState extends Omit<DutyState, 'occurrences' | 'sentNotificationIds'> {
  format: 'packed-by-period';
  /** Occurrences in force, then those an amendment dropped that are kept for their records. */
  schedule: PackedSchedule;
  removed?: PackedSchedule;
  /** Tracking start of each occurrence: instant → positions (ranges). */
  remindFrom: Record<string, string>;
  /** Positions of occurrences whose deadline had passed when tracking began. */
  beforeTracking?: string;
  records: PackedOccurrenceState[];
  /** Who filed submissions, each name once. */
  people?: string[];
  /** Notifications handed over: id suffix (after the occurrence key) → positions. */
  sent: Record<string, string>;
  /** Handed-over ids of occurrences the state no longer holds (an amendment may bring them back). */
  sentOther?: string[];
}

// ----- index ranges -----

export function encodeRanges(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end += 1;
      i += 1;
    }
    i += 1;
    parts.push(end === start ? String(start) : `${start}-${end}`);
  }
  return parts.join(',');
}

export function decodeRanges(ranges: string): number[] {
  if (ranges === '') return [];
  const indexes: number[] = [];
  for (const part of ranges.split(',')) {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    for (let i = from; i <= (to ?? from); i += 1) indexes.push(i);
  }
  return indexes;
}

// ----- schedules -----

function standardKey(dutyId: string, unitId: string, periodKey: string): string {
  return `${dutyId}:${unitId}:${periodKey}`;
}

/** The expander's order: by deadline, then key. */
function byDueThenKey(a: Occurrence, b: Occurrence): number {
  return a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function chainOf(occ: Occurrence): string {
  return occ.escalations.map((step) => step.notifyUnitId).join(' ');
}

export function packSchedule(dutyId: string, occurrences: Occurrence[]): PackedSchedule {
  const unitIds: string[] = [];
  const unitIndex = new Map<string, number>();
  const unitChains: string[] = [];
  const groups = new Map<string, { schedule: SharedSchedule; units: number[] }>();
  const keys: Record<string, string> = {};
  for (const occ of occurrences) {
    if (occ.dutyId !== dutyId) throw new Error(`occurrence ${occ.key} belongs to ${occ.dutyId}, not ${dutyId}`);
    let index = unitIndex.get(occ.unitId);
    if (index === undefined) {
      index = unitIds.length;
      unitIds.push(occ.unitId);
      unitIndex.set(occ.unitId, index);
      // A unit's chain is the one of its first occurrence; an occurrence with another keeps its own.
      unitChains.push(chainOf(occ));
    }
    const { key, dutyId: _duty, unitId: _unit, escalations, ...rest } = occ;
    if (key !== standardKey(dutyId, occ.unitId, occ.periodKey)) keys[`${index}|${occ.periodKey}`] = key;
    const ownChain = chainOf(occ) === unitChains[index];
    const schedule: SharedSchedule = {
      ...rest,
      escalations: escalations.map((step) => (ownChain ? { level: step.level, at: step.at } : { ...step })),
    };
    const groupKey = JSON.stringify(schedule);
    const group = groups.get(groupKey);
    if (group) group.units.push(index);
    else groups.set(groupKey, { schedule, units: [index] });
  }
  const chains = new Map<string, number[]>();
  unitChains.forEach((chain, index) => {
    if (chain === '') return;
    const list = chains.get(chain);
    if (list) list.push(index);
    else chains.set(chain, [index]);
  });
  return {
    dutyId,
    unitIds,
    groups: [...groups.values()].map((group) => ({ schedule: group.schedule, units: encodeRanges(group.units) })),
    ...(chains.size > 0 ? { chains: invert(chains) } : {}),
    ...(Object.keys(keys).length > 0 ? { keys } : {}),
  };
}

/** Every occurrence of a packed schedule, in the expander's order (deadline, then key). */
export function expandSchedule(packed: PackedSchedule): Occurrence[] {
  const chainOfUnit: string[][] = [];
  for (const [chain, ranges] of Object.entries(packed.chains ?? {})) {
    for (const index of decodeRanges(ranges)) chainOfUnit[index] = chain.split(' ');
  }
  const occurrences: Occurrence[] = [];
  for (const group of packed.groups) {
    for (const index of decodeRanges(group.units)) {
      const unitId = packed.unitIds[index] as string;
      const key = packed.keys?.[`${index}|${group.schedule.periodKey}`] ?? standardKey(packed.dutyId, unitId, group.schedule.periodKey);
      // A copy per occurrence: workflow code may change one without touching its period's others.
      const { escalations, ...rest } = JSON.parse(JSON.stringify(group.schedule)) as SharedSchedule;
      occurrences.push({
        key,
        dutyId: packed.dutyId,
        unitId,
        ...rest,
        escalations: escalations.map((step, k) => ({ level: step.level, at: step.at, notifyUnitId: step.notifyUnitId ?? (chainOfUnit[index]?.[k] as string) })),
      });
    }
  }
  return occurrences.sort(byDueThenKey);
}

/** A schedule as a start input or a `loadSchedule` carries it: packed, or whole (older clients). */
export function occurrencesOf(slice: { occurrences?: Occurrence[]; schedule?: PackedSchedule }): Occurrence[] {
  return slice.schedule ? expandSchedule(slice.schedule) : slice.occurrences ?? [];
}

// ----- state -----

function submissionReference(state: Pick<DutyState, 'year' | 'duty'>, number: number): string {
  return `${state.year}/${state.duty.id.toUpperCase()}/${String(number).padStart(4, '0')}`;
}

function packSubmission(state: DutyState, submission: SubmissionRecord, people: Map<string, number>): PackedSubmission {
  const { reference, receivedAt, late, fields, submittedBy, note } = submission;
  const match = /\/(\d+)$/.exec(reference);
  const number = match ? Number(match[1]) : undefined;
  const numbered = number !== undefined && submissionReference(state, number) === reference;
  const atMs = Date.parse(receivedAt);
  let by: number | undefined;
  if (submittedBy !== undefined) {
    by = people.get(submittedBy);
    if (by === undefined) {
      by = people.size;
      people.set(submittedBy, by);
    }
  }
  return {
    ...(numbered ? { n: number } : { ref: reference }),
    // Receipts are written by toIso; any other text is kept as it was.
    ...(Number.isFinite(atMs) && new Date(atMs).toISOString() === receivedAt ? { at: atMs } : { receivedAt }),
    f: fields,
    ...(late ? { late: 1 as const } : {}),
    ...(by !== undefined ? { by } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

function unpackSubmission(state: Pick<DutyState, 'year' | 'duty'>, packed: PackedSubmission, people: string[]): SubmissionRecord {
  return {
    reference: packed.ref ?? submissionReference(state, packed.n ?? 0),
    receivedAt: packed.receivedAt ?? new Date(packed.at ?? 0).toISOString(),
    late: packed.late === 1,
    fields: packed.f,
    ...(packed.by !== undefined ? { submittedBy: people[packed.by] as string } : {}),
    ...(packed.note !== undefined ? { note: packed.note } : {}),
  };
}

/** The occurrence key an id belongs to: the longest prefix (ending at a colon) that is a key. */
function ownerOf(id: string, positions: Map<string, number>): { position: number; suffix: string } | undefined {
  for (let cut = id.lastIndexOf(':'); cut > 0; cut = id.lastIndexOf(':', cut - 1)) {
    const position = positions.get(id.slice(0, cut));
    if (position !== undefined) return { position, suffix: id.slice(cut + 1) };
  }
  return undefined;
}

function invert(groups: Map<string, number[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [value, positions] of groups) out[value] = encodeRanges(positions);
  return out;
}

export function packDutyState(state: DutyState): PackedDutyState {
  const { occurrences, sentNotificationIds, ...context } = state;
  const kept = occurrences.filter((os) => !os.removed);
  const dropped = occurrences.filter((os) => os.removed);
  const dutyId = state.duty.id;
  const schedule = packSchedule(dutyId, kept.map((os) => os.occurrence));
  const removed = dropped.length > 0 ? packSchedule(dutyId, dropped.map((os) => os.occurrence)) : undefined;
  // Positions follow the expanded order of the packed schedules, not the order in memory.
  const ordered = [...expandSchedule(schedule), ...(removed ? expandSchedule(removed) : [])];
  const positions = new Map(ordered.map((occ, position) => [occ.key, position]));
  const remindFrom = new Map<string, number[]>();
  const beforeTracking: number[] = [];
  const records: PackedOccurrenceState[] = [];
  const people = new Map<string, number>();
  for (const os of occurrences) {
    const index = positions.get(os.occurrence.key) as number;
    const list = remindFrom.get(os.remindFrom);
    if (list) list.push(index);
    else remindFrom.set(os.remindFrom, [index]);
    if (os.beforeTracking) beforeTracking.push(index);
    const record: PackedOccurrenceState = {
      i: index,
      ...(os.dueAt !== os.occurrence.dueAt ? { dueAt: os.dueAt } : {}),
      ...(os.extensions.length > 0 ? { extensions: os.extensions } : {}),
      ...(os.reschedule ? { reschedule: os.reschedule } : {}),
      ...(os.notices ? { notices: os.notices } : {}),
      ...(os.submission ? { s: packSubmission(state, os.submission, people) } : {}),
      ...(os.waiver ? { waiver: os.waiver } : {}),
    };
    if (Object.keys(record).length > 1) records.push(record);
  }
  records.sort((a, b) => a.i - b.i);
  const sent = new Map<string, number[]>();
  const sentOther: string[] = [];
  for (const id of sentNotificationIds) {
    const owner = ownerOf(id, positions);
    if (!owner) {
      sentOther.push(id);
      continue;
    }
    const list = sent.get(owner.suffix);
    if (list) list.push(owner.position);
    else sent.set(owner.suffix, [owner.position]);
  }
  return {
    format: 'packed-by-period',
    ...context,
    schedule,
    ...(removed ? { removed } : {}),
    remindFrom: invert(remindFrom),
    ...(beforeTracking.length > 0 ? { beforeTracking: encodeRanges(beforeTracking) } : {}),
    records,
    ...(people.size > 0 ? { people: [...people.keys()] } : {}),
    sent: invert(sent),
    ...(sentOther.length > 0 ? { sentOther } : {}),
  };
}

export function isPackedDutyState(state: DutyState | PackedDutyState): state is PackedDutyState {
  return (state as PackedDutyState).format === 'packed-by-period';
}

export function unpackDutyState(packed: PackedDutyState): DutyState {
  const { format: _format, schedule, removed, remindFrom, beforeTracking, records, people, sent, sentOther, ...context } = packed;
  const keptCount = schedule.groups.reduce((n, group) => n + decodeRanges(group.units).length, 0);
  const ordered = [...expandSchedule(schedule), ...(removed ? expandSchedule(removed) : [])];
  const trackedFrom: string[] = [];
  for (const [instant, ranges] of Object.entries(remindFrom)) for (const index of decodeRanges(ranges)) trackedFrom[index] = instant;
  const late = new Set(decodeRanges(beforeTracking ?? ''));
  const recordAt = new Map(records.map((record) => [record.i, record]));
  const occurrences: OccurrenceState[] = ordered.map((occurrence, index) => {
    const record = recordAt.get(index);
    return {
      occurrence,
      dueAt: record?.dueAt ?? occurrence.dueAt,
      remindFrom: trackedFrom[index] as string,
      beforeTracking: late.has(index),
      removed: index >= keptCount,
      extensions: record?.extensions ?? [],
      ...(record?.reschedule ? { reschedule: record.reschedule } : {}),
      ...(record?.notices ? { notices: record.notices } : {}),
      ...(record?.s ? { submission: unpackSubmission(context, record.s, people ?? []) } : {}),
      ...(record?.waiver ? { waiver: record.waiver } : {}),
    };
  });
  const sentNotificationIds: string[] = [];
  for (const [suffix, ranges] of Object.entries(sent)) {
    for (const index of decodeRanges(ranges)) sentNotificationIds.push(`${(ordered[index] as Occurrence).key}:${suffix}`);
  }
  return { ...context, occurrences, sentNotificationIds: [...sentNotificationIds, ...(sentOther ?? [])] };
}
