/**
 * The mailroom's bundling rules as pure functions: items are grouped per (recipient, local day),
 * deduplicated by id, and a group is sent as one digest once its collection window has passed.
 */
import type { DigestInput, DigestItem, DigestResult } from '../activities/mail/types';
import { localDateOf, toIso, toMs } from './instants';
import type { DeliveryRecord, MailEnvelope, MailroomStart, MailroomState, PendingDigest } from './types';

export function initialMailroomState(start: MailroomStart): MailroomState {
  return {
    planId: start.planId,
    year: start.year,
    timeZone: start.timeZone,
    supervisorUnitId: start.supervisorUnitId,
    units: start.units,
    settings: start.settings,
    pending: [],
    seenItemIds: [],
    batchCounters: {},
    deliveries: [],
    closing: false,
    runs: 1,
  };
}

/** Adds items to their (recipient, day) group; returns how many were new. */
export function enqueue(state: MailroomState, envelopes: MailEnvelope[], nowMs: number, seen: Set<string>): number {
  let added = 0;
  for (const { recipientUnitId, item, scheduledAt } of envelopes) {
    const dedupeKey = `${recipientUnitId}|${item.id}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    state.seenItemIds.push(dedupeKey);
    added += 1;
    const atMs = scheduledAt === undefined ? nowMs : Math.min(toMs(scheduledAt), nowMs);
    const localDate = localDateOf(atMs, state.settings.utcOffsetMinutes);
    let group = state.pending.find((p) => p.recipientUnitId === recipientUnitId && p.localDate === localDate);
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
}

/**
 * Removes the groups whose window has passed (all of them when closing) and numbers them: a second
 * digest to the same recipient on the same day is batch 2, and so on. Groups for units without an
 * address are returned with `input` undefined so the caller records them as failed.
 */
export function takeReadyDigests(
  state: MailroomState,
  nowMs: number,
): { ready: ReadyDigest[]; undeliverable: PendingDigest[] } {
  const ready: ReadyDigest[] = [];
  const undeliverable: PendingDigest[] = [];
  const keep: PendingDigest[] = [];
  const office = state.units.find((u) => u.id === state.supervisorUnitId);
  for (const pending of state.pending) {
    if (!state.closing && toMs(pending.flushAt) > nowMs) {
      keep.push(pending);
      continue;
    }
    const unit = state.units.find((u) => u.id === pending.recipientUnitId);
    if (!unit || unit.emails.length === 0) {
      undeliverable.push(pending);
      continue;
    }
    const counterKey = `${pending.recipientUnitId}|${pending.localDate}`;
    const batch = (state.batchCounters[counterKey] ?? 0) + 1;
    state.batchCounters[counterKey] = batch;
    ready.push({
      pending,
      input: {
        planId: state.planId,
        year: state.year,
        timeZone: state.timeZone,
        recipient: { unitId: unit.id, name: unit.name, emails: unit.emails },
        ...(office?.emails[0] === undefined ? {} : { organizer: { name: office.name, address: office.emails[0] } }),
        localDate: pending.localDate,
        batch,
        items: pending.items,
      },
    });
  }
  state.pending = keep;
  return { ready, undeliverable };
}

export function nextFlushAt(state: MailroomState): number | undefined {
  let next: number | undefined;
  for (const pending of state.pending) {
    const at = toMs(pending.flushAt);
    if (next === undefined || at < next) next = at;
  }
  return next;
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
  const recipientName = state.units.find((u) => u.id === pending.recipientUnitId)?.name ?? pending.recipientUnitId;
  return pending.items
    .filter((item) => item.kind !== 'delivery-failure')
    .map((item): MailEnvelope => {
      const failure: DigestItem = {
        ...item,
        id: `${item.id}:delivery-failure:${pending.recipientUnitId}`,
        kind: 'delivery-failure',
        unitId: pending.recipientUnitId,
        unitName: recipientName,
        note: `Không gửi được thư ngày ${pending.localDate} tới ${who}: ${reason}`,
      };
      return { recipientUnitId: state.supervisorUnitId, item: failure, scheduledAt: pending.flushAt };
    });
}
