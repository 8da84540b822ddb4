/**
 * The delivery ledger of a simulated year: the same claims, leases and records as the file and
 * PostgreSQL ledgers, held in the process. A simulation runs one worker in one process on a private
 * clock and is never resumed after a crash, so nothing needs to outlive the process; what it
 * mailed stays in its outbox. Each digest then costs no ledger file writes, which were most of a
 * simulated year's time spent in its mail activities.
 */
import { CLAIM_LEASE_MS, byTime, type Claim, type DeliveryLedger, type DeliveryLog, type DeliveryRecord } from './delivery-ledger';

/** What the ledgers of one process share (each worker of a test opens its own view of it). */
export interface MemoryLedgerStore {
  records: Map<string, DeliveryRecord>;
  claims: Map<string, { owner: string; leaseUntil: number }>;
}

export function createMemoryLedgerStore(): MemoryLedgerStore {
  return { records: new Map(), claims: new Map() };
}

export function createMemoryDeliveryLedger(
  options: { leaseMs?: number; store?: MemoryLedgerStore } = {},
): DeliveryLedger & DeliveryLog {
  const { records, claims } = options.store ?? createMemoryLedgerStore();
  const leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
  return {
    async get(messageId) {
      return copy(records.get(messageId));
    },
    async claim(messageId, owner): Promise<Claim> {
      const answered = records.get(messageId);
      if (answered) return { kind: 'answered', record: copy(answered) as DeliveryRecord };
      const nowMs = Date.now();
      const held = claims.get(messageId);
      if (held && held.leaseUntil > nowMs) {
        return { kind: 'busy', owner: held.owner, leaseUntil: new Date(held.leaseUntil).toISOString(), retryInMs: held.leaseUntil - nowMs };
      }
      claims.set(messageId, { owner, leaseUntil: nowMs + leaseMs });
      return { kind: 'claimed' };
    },
    async record(entry) {
      records.set(entry.messageId, copy(entry) as DeliveryRecord);
      claims.delete(entry.messageId);
    },
    async release(messageId, owner) {
      if (claims.get(messageId)?.owner === owner) claims.delete(messageId);
    },
    async list(planId) {
      return [...records.values()].filter((record) => record.planId === planId).map((record) => copy(record) as DeliveryRecord).sort(byTime);
    },
    async close() {},
  };
}

/** Callers get their own copy, as a store that serializes would give them. */
function copy(record: DeliveryRecord | undefined): DeliveryRecord | undefined {
  return record === undefined ? undefined : structuredClone(record);
}
