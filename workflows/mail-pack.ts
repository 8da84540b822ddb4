/**
 * Mail items as they travel: in a duty's hand-over to the mailroom and in the mailroom's state at
 * continue-as-new. A reminder day of a 200-unit plan hands the mailroom thousands of items that
 * differ only in their unit: whole, the hand-overs of one morning were ~1.4 MB of history and a
 * continue-as-new would carry them again. Packed, each item is a template (everything but its unit)
 * stored once, plus the unit's position in a table, written as runs ("3.0-199": template 3 for
 * units 0 to 199). Keys and ids (`<duty>:<unit>:<period>:…`) are packed the same way with the unit
 * part taken out.
 *
 * Packing is exact: `unpack(pack(x))` is `x`, field for field; in order, except where order means
 * nothing (the items of a digest, the dedupe keys), which are packed as sets. Workflow code uses
 * this module, so it has no dependencies.
 */
import type { DigestItem } from '../activities/mail/types';
import type { DeliveryRecord, MailEnvelope, MailroomState, PendingDigest, WaitingDigest } from './types';

// ----- runs of (template, unit) pairs -----

type Pair = [number, number];

/**
 * Order-preserving runs: "t.u" one pair, "t.u1-u2" one template for consecutive units,
 * "t1-t2.u" consecutive templates for one unit; runs joined by ",".
 */
export function encodePairs(pairs: Pair[]): string {
  const runs: string[] = [];
  for (let i = 0; i < pairs.length; ) {
    const [t, u] = pairs[i] as Pair;
    let byUnit = 1;
    while (i + byUnit < pairs.length && pairs[i + byUnit]![0] === t && pairs[i + byUnit]![1] === u + byUnit) byUnit += 1;
    let byTemplate = 1;
    while (i + byTemplate < pairs.length && pairs[i + byTemplate]![1] === u && pairs[i + byTemplate]![0] === t + byTemplate) byTemplate += 1;
    if (byUnit >= byTemplate) {
      runs.push(byUnit === 1 ? `${t}.${u}` : `${t}.${u}-${u + byUnit - 1}`);
      i += byUnit;
    } else {
      runs.push(`${t}-${t + byTemplate - 1}.${u}`);
      i += byTemplate;
    }
  }
  return runs.join(',');
}

/** Pairs whose order does not matter: sorted by template then unit, or unit then template, whichever is shorter. */
function encodeSet(pairs: Pair[]): string {
  const byTemplate = encodePairs([...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  const byUnit = encodePairs([...pairs].sort((a, b) => a[1] - b[1] || a[0] - b[0]));
  return byUnit.length < byTemplate.length ? byUnit : byTemplate;
}

export function decodePairs(encoded: string): Pair[] {
  if (encoded === '') return [];
  const pairs: Pair[] = [];
  for (const run of encoded.split(',')) {
    const [left = '', right = ''] = run.split('.');
    const [t1, t2 = t1] = left.split('-').map(Number) as [number, number?];
    const [u1, u2 = u1] = right.split('-').map(Number) as [number, number?];
    for (let t = t1; t <= t2; t += 1) for (let u = u1; u <= u2; u += 1) pairs.push([t, u]);
  }
  return pairs;
}

// ----- the tables a packing refers to -----

/** An item with its unit taken out: the occurrence key and id are rebuilt from the unit when they follow the standard shape. */
export type ItemTemplate = Omit<DigestItem, 'id' | 'occurrenceKey' | 'unitId' | 'unitName'> & {
  /** Null: the unit of the pair, kept to hold the field's place. */
  unitId: null;
  /** The occurrence key is `<dutyId>:<unitId>:<periodKey>`. */
  periodKey?: string;
  /** Otherwise, the key itself. */
  occurrenceKey?: string;
  /** The id is `<occurrence key>:<idSuffix>`. */
  idSuffix?: string;
  /** Otherwise, the id itself. */
  id?: string;
  /** Null for the unit table's name; the name itself when it differs (a unit renamed in between). */
  unitName: string | null;
};

/** Units by position (id, and the name items gave it; '' when only its id was needed). */
export interface UnitTable {
  unitIds: string[];
  unitNames: string[];
}

/** What packs share: units, item templates and key patterns, each stored once. */
export interface PackTables extends UnitTable {
  templates: ItemTemplate[];
  /** Item ids with their unit part as '*' (see `splitKey`); an id of another shape is kept whole after a '!'. */
  patterns?: string[];
}

class Packer {
  readonly tables: PackTables = { unitIds: [], unitNames: [], templates: [], patterns: [] };
  private readonly unitIndex = new Map<string, number>();
  private readonly templateIndex = new Map<string, number>();
  private readonly patternIndex = new Map<string, number>();

  unit(id: string, name = ''): number {
    let index = this.unitIndex.get(id);
    if (index === undefined) {
      index = this.tables.unitIds.push(id) - 1;
      this.tables.unitNames.push(name);
      this.unitIndex.set(id, index);
    } else if (this.tables.unitNames[index] === '' && name !== '') this.tables.unitNames[index] = name;
    return index;
  }

  item(item: DigestItem): Pair {
    const u = this.unit(item.unitId, item.unitName);
    const template = templateOf(item, this.tables.unitNames[u] as string);
    const key = JSON.stringify(template);
    let t = this.templateIndex.get(key);
    if (t === undefined) {
      t = this.tables.templates.push(template) - 1;
      this.templateIndex.set(key, t);
    }
    return [t, u];
  }

  key(key: string): Pair {
    const split = splitKey(key);
    const pattern = split?.pattern ?? `!${key}`;
    let p = this.patternIndex.get(pattern);
    if (p === undefined) {
      p = (this.tables.patterns as string[]).push(pattern) - 1;
      this.patternIndex.set(pattern, p);
    }
    return [p, split ? this.unit(split.unit) : 0];
  }

  /** `asSet`: their order does not matter, so they are sorted into the fewest runs. */
  items(items: DigestItem[], asSet = false): string {
    const pairs = items.map((item) => this.item(item));
    return asSet ? encodeSet(pairs) : encodePairs(pairs);
  }

  keys(keys: string[], asSet = false): string {
    const pairs = keys.map((key) => this.key(key));
    return asSet ? encodeSet(pairs) : encodePairs(pairs);
  }
}

/**
 * The item with its unit taken out, its fields in the item's order: `unitId` stays as null where
 * it stood, and `unitName` too unless it differs from the table's name.
 */
function templateOf(item: DigestItem, tableName: string): ItemTemplate {
  const standardPrefix = `${item.dutyId}:${item.unitId}:`;
  const periodKey = item.occurrenceKey.startsWith(standardPrefix) ? item.occurrenceKey.slice(standardPrefix.length) : undefined;
  const keyIsStandard = periodKey !== undefined && periodKey !== '' && !periodKey.includes(':');
  const template: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(item)) {
    if (field === 'occurrenceKey') template[keyIsStandard ? 'periodKey' : 'occurrenceKey'] = keyIsStandard ? periodKey : value;
    else if (field === 'id') {
      const standard = item.id.startsWith(`${item.occurrenceKey}:`);
      template[standard ? 'idSuffix' : 'id'] = standard ? item.id.slice(item.occurrenceKey.length + 1) : value;
    } else if (field === 'unitId') template.unitId = null;
    else if (field === 'unitName') template.unitName = value === tableName ? null : value;
    else template[field] = value;
  }
  return template as ItemTemplate;
}

function itemOf(tables: PackTables, [t, u]: Pair): DigestItem {
  const template = tables.templates[t];
  const unitId = tables.unitIds[u];
  if (!template || unitId === undefined) throw new Error(`packed item ${t}.${u} refers to nothing`);
  const occurrenceKey = template.occurrenceKey ?? `${template.dutyId}:${unitId}:${template.periodKey}`;
  const item: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(template)) {
    if (field === 'periodKey' || field === 'occurrenceKey') item.occurrenceKey = occurrenceKey;
    else if (field === 'idSuffix') item.id = `${occurrenceKey}:${value as string}`;
    else if (field === 'unitId') item.unitId = unitId;
    else if (field === 'unitName') item.unitName = value ?? tables.unitNames[u];
    else item[field] = value;
  }
  return item as unknown as DigestItem;
}

/**
 * An item id `<duty>:<unit>:<period>:<rest>` with the unit part taken out. Unit, duty and plan ids
 * never contain ':', '|', '*' or '!' (the plan schema allows lower-case letters, digits and '-').
 */
function splitKey(key: string): { pattern: string; unit: string } | undefined {
  const parts = key.split(':');
  const unit = parts[1];
  if (parts.length < 4 || !unit || unit === '*' || key.startsWith('!')) return undefined;
  parts[1] = '*';
  return { pattern: parts.join(':'), unit };
}

function keyOf(tables: PackTables, [p, u]: Pair): string {
  const pattern = tables.patterns?.[p];
  if (pattern === undefined) throw new Error(`packed key ${p}.${u} refers to nothing`);
  if (pattern.startsWith('!')) return pattern.slice(1);
  const unit = tables.unitIds[u];
  if (unit === undefined) throw new Error(`packed key ${p}.${u} refers to no unit`);
  const parts = pattern.split(':');
  parts[1] = unit;
  return parts.join(':');
}

/**
 * The mailroom's dedupe keys `<recipient>|<item id>`, by recipient: '=' for items to the unit they
 * are about, else the recipient's position in the unit table ('' for keys without a recipient).
 */
function packSeenKeys(packer: Packer, keys: string[]): Record<string, string> {
  const byRecipient = new Map<string, string[]>();
  for (const key of keys) {
    const bar = key.indexOf('|');
    const recipient = bar >= 0 ? key.slice(0, bar) : undefined;
    const id = key.slice(bar + 1);
    const marker = recipient === undefined ? '' : recipient === splitKey(id)?.unit ? '=' : String(packer.unit(recipient));
    let ids = byRecipient.get(marker);
    if (!ids) byRecipient.set(marker, (ids = []));
    ids.push(id);
  }
  return Object.fromEntries([...byRecipient].map(([marker, ids]) => [marker, packer.keys(ids, true)]));
}

function unpackSeenKeys(tables: PackTables, packed: Record<string, string>): string[] {
  return Object.entries(packed).flatMap(([marker, ids]) =>
    keysOf(tables, ids).map((id) => {
      if (marker === '') return id;
      const recipient = marker === '=' ? splitKey(id)?.unit : tables.unitIds[Number(marker)];
      if (recipient === undefined) throw new Error(`packed key ${id} has no recipient`);
      return `${recipient}|${id}`;
    }),
  );
}

const itemsOf = (tables: PackTables, encoded: string): DigestItem[] => decodePairs(encoded).map((pair) => itemOf(tables, pair));
const keysOf = (tables: PackTables, encoded: string): string[] => decodePairs(encoded).map((pair) => keyOf(tables, pair));

// ----- a duty's hand-over -----

export interface PackedEnvelopes extends PackTables {
  packing: 1;
  /** Envelopes by (due instant, recipient): `to` absent means each item goes to the unit it is about. */
  groups: { items: string; scheduledAt?: string; to?: string }[];
}

export function isPackedEnvelopes(payload: MailEnvelope[] | PackedEnvelopes): payload is PackedEnvelopes {
  return !Array.isArray(payload);
}

/** Envelopes of one hand-over, packed; their order within a (due instant, recipient) group is kept. */
export function packEnvelopes(envelopes: MailEnvelope[]): PackedEnvelopes {
  const packer = new Packer();
  const groups = new Map<string, { items: DigestItem[]; scheduledAt?: string; to?: string }>();
  for (const { recipientUnitId, item, scheduledAt } of envelopes) {
    const to = recipientUnitId === item.unitId ? undefined : recipientUnitId;
    const key = JSON.stringify([scheduledAt ?? null, to ?? null]);
    let group = groups.get(key);
    if (!group) {
      group = { items: [], ...(scheduledAt === undefined ? {} : { scheduledAt }), ...(to === undefined ? {} : { to }) };
      groups.set(key, group);
    }
    group.items.push(item);
  }
  const packed = [...groups.values()].map(({ items, ...rest }) => ({ items: packer.items(items), ...rest }));
  const { patterns: _unused, ...tables } = packer.tables;
  return { packing: 1, ...tables, groups: packed };
}

export function unpackEnvelopes(payload: MailEnvelope[] | PackedEnvelopes): MailEnvelope[] {
  if (!isPackedEnvelopes(payload)) return payload;
  return payload.groups.flatMap(({ items, scheduledAt, to }) =>
    itemsOf(payload, items).map((item) => ({
      recipientUnitId: to ?? item.unitId,
      item,
      ...(scheduledAt === undefined ? {} : { scheduledAt }),
    })),
  );
}

// ----- the mailroom's state at continue-as-new -----

/**
 * A pending digest: its recipient's position in the unit table, its window's in `windows`, its
 * items as a set (a digest's mail sorts its items, and its Message-ID is built from their sorted ids).
 */
type PackedPending = [recipient: number, window: number, items: string];
type DigestWindow = Pick<PendingDigest, 'localDate' | 'firstItemAt' | 'flushAt'>;

export interface PackedMailroomState
  extends Omit<MailroomState, 'pending' | 'waiting' | 'seenItemIds' | 'seenByDay' | 'deliveries'>,
    PackTables {
  packing: 1;
  /** (local day, first item, flush) of the pending digests, each once: a morning's share one. */
  windows: DigestWindow[];
  pending: PackedPending[];
  waiting: (Omit<WaitingDigest, 'pending'> & { pending: PackedPending })[];
  /** Dedupe keys by the local day they arrived, then by recipient (sets: see `packSeenKeys`). */
  seenByDay: Record<string, Record<string, string>>;
  deliveries: (Omit<DeliveryRecord, 'itemIds'> & { itemIds: string })[];
}

export function isPackedMailroomState(state: MailroomState | PackedMailroomState): state is PackedMailroomState {
  return 'packing' in state;
}

export function packMailroomState(state: MailroomState): PackedMailroomState {
  const packer = new Packer();
  // The directory first, so that units keep the directory's order and runs stay long.
  for (const unit of state.units) packer.unit(unit.id);
  const windows: DigestWindow[] = [];
  const windowIndex = new Map<string, number>();
  const packPending = ({ recipientUnitId, localDate, firstItemAt, flushAt, items }: PendingDigest): PackedPending => {
    const key = `${localDate} ${firstItemAt} ${flushAt}`;
    let w = windowIndex.get(key);
    if (w === undefined) {
      w = windows.push({ localDate, firstItemAt, flushAt }) - 1;
      windowIndex.set(key, w);
    }
    return [packer.unit(recipientUnitId), w, packer.items(items, true)];
  };
  const { pending, waiting, seenItemIds, seenByDay, deliveries, ...rest } = state;
  const seen = { ...(seenByDay ?? {}) };
  // A state from before pruning keeps its keys under the day they are packed on: the resume moves them there too.
  if (seenItemIds.length > 0) seen[''] = [...(seen[''] ?? []), ...seenItemIds];
  const packed: Omit<PackedMailroomState, keyof PackTables> = {
    ...rest,
    packing: 1,
    windows,
    pending: pending.map(packPending),
    waiting: (waiting ?? []).map(({ pending: digest, ...retry }) => ({ ...retry, pending: packPending(digest) })),
    seenByDay: Object.fromEntries(Object.entries(seen).map(([day, keys]) => [day, packSeenKeys(packer, keys)])),
    deliveries: deliveries.map(({ itemIds, ...record }) => ({ ...record, itemIds: packer.keys(itemIds) })),
  };
  return { ...packed, ...packer.tables };
}

export function unpackMailroomState(packed: PackedMailroomState): MailroomState {
  const { packing: _packing, unitIds: _unitIds, unitNames: _unitNames, templates: _templates, patterns: _patterns, windows: _windows, ...rest } = packed;
  const unpackPending = ([recipient, window, items]: PackedPending): PendingDigest => {
    const recipientUnitId = packed.unitIds[recipient];
    const { localDate, firstItemAt, flushAt } = packed.windows[window] ?? {};
    if (recipientUnitId === undefined || localDate === undefined || firstItemAt === undefined || flushAt === undefined) {
      throw new Error(`packed digest ${recipient}.${window} refers to nothing`);
    }
    return { recipientUnitId, localDate, firstItemAt, flushAt, items: itemsOf(packed, items) };
  };
  const seenByDay: Record<string, string[]> = {};
  const carried: string[] = [];
  for (const [day, keys] of Object.entries(packed.seenByDay)) {
    if (day === '') carried.push(...unpackSeenKeys(packed, keys));
    else seenByDay[day] = unpackSeenKeys(packed, keys);
  }
  return {
    ...rest,
    pending: packed.pending.map(unpackPending),
    waiting: packed.waiting.map(({ pending, ...retry }) => ({ ...retry, pending: unpackPending(pending) })),
    seenItemIds: carried,
    seenByDay,
    deliveries: packed.deliveries.map(({ itemIds, ...record }) => ({ ...record, itemIds: keysOf(packed, itemIds) })),
  };
}
