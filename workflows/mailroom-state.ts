/**
 * The mailroom's bundling rules as pure functions: items are grouped per (recipient, local day),
 * deduplicated by id, and a group is sent as one digest once its collection window has passed.
 */
import type { DigestInput, DigestItem, DigestResult } from '../activities/mail/types';
import type { UnitInfo } from '../domain/schedule/types';
import { DAY_MS, MINUTE_MS, localDateOf, toIso, toMs } from './instants';
import type { DeliveryRecord, MailEnvelope, MailOutage, MailroomStart, MailroomState, PendingDigest, WaitingDigest } from './types';
import { deliveryFailureId } from '../domain/keys/notification-ids';
import { utf8Length } from './utf8-length';

export function initialMailroomState(start: MailroomStart): MailroomState {
  return {
    planId: start.planId,
    year: start.year,
    ...(start.period ? { period: start.period } : {}),
    timeZone: start.timeZone,
    supervisorUnitId: start.supervisorUnitId,
    units: start.units,
    settings: start.settings,
    ...(start.mailSlots ? { mailSlots: start.mailSlots } : {}),
    pending: [],
    waiting: [],
    seenByDay: {},
    seenItemIds: [],
    batchCounters: {},
    deliveries: [],
    closing: false,
    runs: 1,
  };
}

/**
 * How long the mailroom remembers what it delivered and which items it has seen. A duty hands each
 * item over once and marks it at once, so an item never comes back weeks later; without pruning,
 * a year's records and item keys would travel in every continue-as-new (most of a run's bytes).
 * Failed deliveries are kept all year: the office is told about each.
 */
export const DELIVERY_RETENTION_DAYS = 14;
/** And of those, the newest up to this many items in all (failed deliveries are kept whatever their number). */
export const DELIVERY_RETENTION_ITEMS = 2000;

/** The dedupe set of a run, from its state; a state from before pruning moves its keys to today. */
export function seenSetOf(state: MailroomState, nowMs: number): Set<string> {
  if (state.seenByDay && state.seenItemIds.length > 0) {
    (state.seenByDay[localDateOf(nowMs, state.settings.utcOffsetMinutes)] ??= []).push(...state.seenItemIds);
    state.seenItemIds = [];
  }
  return new Set(state.seenByDay ? Object.values(state.seenByDay).flat() : state.seenItemIds);
}

/** Forgets deliveries and item keys older than the retention; failed deliveries stay. */
export function prune(state: MailroomState, nowMs: number, seen: Set<string>): void {
  if (!state.seenByDay) return;
  const cutoffMs = nowMs - (state.settings.deliveryRetentionDays ?? DELIVERY_RETENTION_DAYS) * DAY_MS;
  const cutoffDay = localDateOf(cutoffMs, state.settings.utcOffsetMinutes);
  for (const [day, keys] of Object.entries(state.seenByDay)) {
    if (day >= cutoffDay) continue;
    for (const key of keys) seen.delete(key);
    delete state.seenByDay[day];
  }
  const failed = (d: DeliveryRecord) => d.outcome === 'rejected' || d.outcome === 'failed';
  state.deliveries = state.deliveries.filter((d) => failed(d) || toMs(d.at) >= cutoffMs);
  // A large plan's fortnight is thousands of digests: the newest are kept, the ledger has them all.
  let itemsLeft = state.settings.deliveryRetentionItems ?? DELIVERY_RETENTION_ITEMS;
  let keepFrom = 0;
  for (let i = state.deliveries.length - 1; i >= 0; i -= 1) {
    const d = state.deliveries[i] as DeliveryRecord;
    if (failed(d) || (itemsLeft -= d.itemIds.length) >= 0) continue;
    keepFrom = i + 1;
    break;
  }
  if (keepFrom > 0) state.deliveries = state.deliveries.filter((d, i) => i >= keepFrom || failed(d));
  // A day's batch numbers only label its digests ("đợt 2"); a day gone by gets no more digests.
  for (const key of Object.keys(state.batchCounters)) {
    if ((key.split('|')[1] ?? '') < cutoffDay) delete state.batchCounters[key];
  }
}

/**
 * Makes a state that would carry too much into its next run smaller: the oldest day of dedupe keys
 * goes first (the last two days always stay: a duty hands each item over once, the keys only guard
 * against a duty reset to an earlier point), then the older half of the successful deliveries (the
 * delivery ledger keeps them all). False when nothing is left to drop.
 */
export function shedOldest(state: MailroomState): boolean {
  const days = Object.keys(state.seenByDay ?? {}).sort();
  if (state.seenByDay && days.length > 2) {
    delete state.seenByDay[days[0] as string];
    return true;
  }
  const sent = state.deliveries.filter((d) => d.outcome === 'sent' || d.outcome === 'already-sent');
  if (sent.length === 0) return false;
  const dropped = new Set(sent.slice(0, Math.ceil(sent.length / 2)));
  state.deliveries = state.deliveries.filter((d) => !dropped.has(d));
  return true;
}

/**
 * Whether a group whose collection window closed before an item's instant still takes the item.
 * Only a group the run budget held past its window is such a group; runs recorded before the rule
 * let it take any item of its day, and replay so (the workflow answers with a marker).
 */
export type ClosedGroupRule = () => 'stays-closed' | 'takes-late-items';

/**
 * Adds items to their (recipient, day) group; returns how many were new. An item joins a group
 * whose window is still open at the item's instant, so what a digest holds follows from the
 * schedule alone, never from how long the mailroom took to send it: a later item of the day (a
 * report of a failed delivery) starts the next digest even while the earlier one waits for room.
 */
export function enqueue(
  state: MailroomState,
  envelopes: MailEnvelope[],
  nowMs: number,
  seen: Set<string>,
  closedGroups: ClosedGroupRule = () => 'stays-closed',
): number {
  let added = 0;
  for (const { recipientUnitId, item, scheduledAt } of envelopes) {
    const dedupeKey = `${recipientUnitId}|${item.id}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    if (state.seenByDay) (state.seenByDay[localDateOf(nowMs, state.settings.utcOffsetMinutes)] ??= []).push(dedupeKey);
    else state.seenItemIds.push(dedupeKey);
    added += 1;
    // A late hand-over joins the group of the instant it was due; mail placed on a later slot
    // (a report of a failed delivery) waits for that slot. Nothing goes out on a day off or at
    // night: such an item waits for the next working day's mail time.
    const wantedMs = scheduledAt === undefined ? nowMs : toMs(scheduledAt) > nowMs ? toMs(scheduledAt) : Math.min(toMs(scheduledAt), nowMs);
    const atMs = sendableAtOrAfter(state, wantedMs);
    const localDate = localDateOf(atMs, state.settings.utcOffsetMinutes);
    let group = state.pending.find(
      (p) => p.recipientUnitId === recipientUnitId && p.localDate === localDate && (toMs(p.flushAt) > atMs || closedGroups() === 'takes-late-items'),
    );
    if (!group) {
      group = {
        recipientUnitId,
        localDate,
        firstItemAt: toIso(atMs),
        flushAt: toIso(atMs + state.settings.mailCollectionWindowMs),
        items: [],
      };
      state.pending.push(group);
    }
    group.items.push(item);
  }
  return added;
}

export interface ReadyDigest {
  pending: PendingDigest;
  input: DigestInput;
  /** Bytes of `input` as a JSON payload, measured once for the run budget and the batches. */
  bytes: number;
}

/** How much of what is ready one flush may take (runs that began before these limits took it all). */
export interface FlushLimits {
  /** A larger group goes out as several digests of at most this many items (batches 1, 2, …). */
  maxItemsPerDigest?: number;
  /** Whether one more digest of this many input bytes fits the run; what does not stays pending. */
  fits?: (inputBytes: number) => boolean;
}

/** Bytes of a digest's input as Temporal carries it (JSON). */
export function inputBytes(input: DigestInput): number {
  return utf8Length(JSON.stringify(input));
}

/** Items one digest carries at most: a digest's input stays far under Temporal's payload limits. */
export const DEFAULT_MAX_ITEMS_PER_DIGEST = 200;

/**
 * Removes the groups whose window has passed (all of them when closing) and numbers them: a second
 * digest to the same recipient on the same day is batch 2, and so on. Groups for units without an
 * address are returned with `input` undefined so the caller records them as failed. `held` says
 * that ready digests stayed behind because the run had no room for them.
 */
export function takeReadyDigests(
  state: MailroomState,
  nowMs: number,
  limits: FlushLimits = {},
): { ready: ReadyDigest[]; undeliverable: PendingDigest[]; held: boolean } {
  const ready: ReadyDigest[] = [];
  const undeliverable: PendingDigest[] = [];
  const keep: PendingDigest[] = [];
  let held = false;
  for (const pending of state.pending) {
    if (held || (!state.closing && toMs(pending.flushAt) > nowMs)) {
      keep.push(pending);
      continue;
    }
    const unit = state.units.find((u) => u.id === pending.recipientUnitId);
    if (!unit || unit.emails.length === 0) {
      undeliverable.push(pending);
      continue;
    }
    const counterKey = `${pending.recipientUnitId}|${pending.localDate}`;
    let rest = pending.items;
    while (rest.length > 0) {
      const size = limits.maxItemsPerDigest ?? rest.length;
      const part = rest === pending.items && rest.length <= size ? pending : { ...pending, items: rest.slice(0, size) };
      const batch = (state.batchCounters[counterKey] ?? 0) + 1;
      const input = digestInputFor(state, part, batch, unit);
      const bytes = inputBytes(input);
      if (limits.fits && !limits.fits(bytes)) {
        held = true;
        break;
      }
      state.batchCounters[counterKey] = batch;
      ready.push({ pending: part, input, bytes });
      rest = rest.slice(part.items.length);
    }
    if (rest.length > 0) keep.push(rest.length === pending.items.length ? pending : { ...pending, items: rest });
  }
  state.pending = keep;
  return { ready, undeliverable, held };
}

/** Digests one `sendDigests` activity carries at most, and the bytes of their inputs together. */
export const DIGESTS_PER_DELIVERY = 20;
export const DELIVERY_INPUT_BYTES = 128 * 1024;

/**
 * The ready digests cut into the batches that travel together, in order: up to
 * `DIGESTS_PER_DELIVERY` digests and `DELIVERY_INPUT_BYTES` of input each (a digest larger than
 * that goes alone).
 */
export function deliveryBatches(ready: ReadyDigest[]): ReadyDigest[][] {
  const batches: ReadyDigest[][] = [];
  let current: ReadyDigest[] = [];
  let bytes = 0;
  for (const digest of ready) {
    const size = digest.bytes;
    if (current.length > 0 && (current.length >= DIGESTS_PER_DELIVERY || bytes + size > DELIVERY_INPUT_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(digest);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The activity's input for a digest, addressed with the unit's current directory entry. */
export function digestInputFor(state: MailroomState, pending: PendingDigest, batch: number, known?: UnitInfo): DigestInput {
  const unit = known ?? state.units.find((u) => u.id === pending.recipientUnitId);
  // The supervising office organises the meetings and answers replies to every digest.
  const office = state.units.find((u) => u.id === state.supervisorUnitId);
  return {
    planId: state.planId,
    year: state.year,
    ...(state.period ? { period: state.period } : {}),
    timeZone: state.timeZone,
    recipient: { unitId: pending.recipientUnitId, name: unit?.name ?? pending.recipientUnitId, emails: unit?.emails ?? [] },
    ...(office?.emails[0] === undefined ? {} : { organizer: { name: office.name, address: office.emails[0] } }),
    localDate: pending.localDate,
    batch,
    items: pending.items,
  };
}

export function nextFlushAt(state: MailroomState): number | undefined {
  let next: number | undefined;
  for (const pending of state.pending) {
    const at = toMs(pending.flushAt);
    if (next === undefined || at < next) next = at;
  }
  for (const waiting of state.waiting ?? []) {
    const at = toMs(waiting.nextAttemptAt);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

// ----- working-day slots -----

/** Index of the first slot at or after `ms` (slots.length when none). */
function slotIndexAtOrAfter(slots: string[], ms: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toMs(slots[mid] as string) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first working-day mail time at or after `ms`; `ms` itself when the plan gave no slots. */
export function nextMailSlot(state: MailroomState, ms: number): number {
  const slots = state.mailSlots ?? [];
  const index = slotIndexAtOrAfter(slots, ms);
  return index < slots.length ? toMs(slots[index] as string) : ms;
}

function isWorkingDayAt(state: MailroomState, ms: number): boolean {
  const slots = state.mailSlots;
  if (!slots || slots.length === 0) return true;
  const offset = state.settings.utcOffsetMinutes;
  const day = localDateOf(ms, offset);
  const index = slotIndexAtOrAfter(slots, toMs(`${day}T00:00:00.000Z`) - offset * MINUTE_MS);
  return index < slots.length && localDateOf(toMs(slots[index] as string), offset) === day;
}

/** `ms` itself on a working day before 20:00 local, else the next working day's mail time. */
export function sendableAtOrAfter(state: MailroomState, ms: number): number {
  const localHour = new Date(ms + state.settings.utcOffsetMinutes * MINUTE_MS).getUTCHours();
  return isWorkingDayAt(state, ms) && localHour < LAST_LOCAL_HOUR_FOR_RETRIES ? ms : nextMailSlot(state, ms);
}

// ----- retries across days -----

/** A digest the server refused for now is tried again 30 min, 1 h, 2 h, 4 h later, on working days. */
export const RETRY_FIRST_DELAY_MS = 30 * MINUTE_MS;
export const RETRY_MAX_DELAY_MS = 4 * 60 * MINUTE_MS;
/** No retry starts this late in a local day: a late attempt would reach people at night. */
const LAST_LOCAL_HOUR_FOR_RETRIES = 20;
export const DEFAULT_RETRY_WORKING_DAYS = 5;

/**
 * When to try a failing digest again, or undefined once its budget is spent: retries stop after
 * the mail time of the `mailRetryWorkingDays`-th working day after the first failure.
 */
export function nextAttemptAt(state: MailroomState, firstFailedMs: number, attempts: number, nowMs: number): number | undefined {
  const candidate = sendableAtOrAfter(state, nowMs + Math.min(RETRY_FIRST_DELAY_MS * 2 ** (attempts - 1), RETRY_MAX_DELAY_MS));
  const budgetDays = state.settings.mailRetryWorkingDays ?? DEFAULT_RETRY_WORKING_DAYS;
  const slots = state.mailSlots ?? [];
  const firstIndex = slotIndexAtOrAfter(slots, firstFailedMs);
  const giveUpAfterMs =
    slots.length > 0 && firstIndex + budgetDays - 1 < slots.length
      ? toMs(slots[firstIndex + budgetDays - 1] as string) + 12 * 60 * MINUTE_MS
      : firstFailedMs + budgetDays * DAY_MS;
  return candidate > giveUpAfterMs ? undefined : candidate;
}

/**
 * Digests whose next attempt has come, taken out of the waiting list with the input of that
 * attempt; with `fits`, only those the run has room for (`held` says others stay waiting for the
 * next run).
 */
export function takeDueRetries(
  state: MailroomState,
  nowMs: number,
  fits?: (inputBytes: number) => boolean,
): { due: { retry: WaitingDigest; input: DigestInput }[]; held: boolean } {
  const due: { retry: WaitingDigest; input: DigestInput }[] = [];
  const keep: WaitingDigest[] = [];
  let held = false;
  for (const waiting of state.waiting ?? []) {
    if (held || toMs(waiting.nextAttemptAt) > nowMs) {
      keep.push(waiting);
      continue;
    }
    const input = digestInputFor(state, waiting.pending, waiting.batch);
    if (fits && !fits(inputBytes(input))) {
      held = true;
      keep.push(waiting);
      continue;
    }
    due.push({ retry: waiting, input });
  }
  if (state.waiting) state.waiting = keep;
  return { due, held };
}

export function outageOf(state: MailroomState, inFlightRetries: WaitingDigest[] = []): MailOutage | undefined {
  const waiting = [...(state.waiting ?? []), ...inFlightRetries];
  if (waiting.length === 0) return undefined;
  const oldest = waiting.reduce((a, b) => (toMs(a.firstFailedAt) <= toMs(b.firstFailedAt) ? a : b));
  const latest = waiting.reduce((a, b) => (toMs(a.nextAttemptAt) >= toMs(b.nextAttemptAt) ? a : b));
  return {
    since: oldest.firstFailedAt,
    waitingDigests: waiting.length,
    lastError: latest.lastError,
    nextAttemptAt: waiting.reduce((a, b) => (toMs(a.nextAttemptAt) <= toMs(b.nextAttemptAt) ? a : b)).nextAttemptAt,
  };
}

function unitLabel(state: MailroomState, unitId: string): string {
  const unit = state.units.find((u) => u.id === unitId);
  return unit ? `${unit.name} (${unit.emails.join(', ') || 'chưa có địa chỉ thư'})` : unitId;
}

/**
 * Records the outcome of one digest. A permanent failure becomes one 'delivery-failure' item per
 * undelivered item, addressed to the supervising office (unless the office itself is unreachable:
 * reporting that to itself would loop).
 */
export function recordOutcome(
  state: MailroomState,
  pending: PendingDigest,
  batch: number,
  outcome: DigestResult | { outcome: 'failed'; reason: string },
  nowMs: number,
): MailEnvelope[] {
  const record: DeliveryRecord = {
    recipientUnitId: pending.recipientUnitId,
    localDate: pending.localDate,
    batch,
    itemIds: pending.items.map((item) => item.id),
    outcome: outcome.outcome,
    ...('messageId' in outcome ? { messageId: outcome.messageId } : {}),
    ...('reason' in outcome ? { reason: outcome.reason } : {}),
    at: toIso(nowMs),
  };
  state.deliveries.push(record);
  let reason: string | undefined;
  if (outcome.outcome === 'rejected' || outcome.outcome === 'failed') reason = outcome.reason;
  else if (outcome.outcome === 'sent' && outcome.rejectedRecipients && outcome.rejectedRecipients.length > 0) {
    reason = `máy chủ thư từ chối các địa chỉ ${outcome.rejectedRecipients.join(', ')}`;
  }
  if (reason === undefined || pending.recipientUnitId === state.supervisorUnitId) return [];
  const who = unitLabel(state, pending.recipientUnitId);
  // On a working day's mail time at the earliest; plans started before slots existed report at once.
  const reportAt = state.mailSlots ? toIso(sendableAtOrAfter(state, nowMs)) : pending.flushAt;
  const recipientName = state.units.find((u) => u.id === pending.recipientUnitId)?.name ?? pending.recipientUnitId;
  return pending.items
    .filter((item) => item.kind !== 'delivery-failure')
    .map((item): MailEnvelope => {
      const failure: DigestItem = {
        ...item,
        id: deliveryFailureId(item.id, pending.recipientUnitId),
        kind: 'delivery-failure',
        unitId: pending.recipientUnitId,
        unitName: recipientName,
        note: `Không gửi được thư ngày ${pending.localDate} tới ${who}: ${reason}`,
      };
      return { recipientUnitId: state.supervisorUnitId, item: failure, scheduledAt: reportAt };
    });
}
