/**
 * The delivery ledger in PostgreSQL, shared by every worker of a deployment (`KEHOACH_LEDGER_URL`).
 * One row per Message-ID: `sending` while an attempt holds the claim (its owner and lease), then
 * `sent` or `rejected` with the record. Leases are judged by the database's clock, the one clock
 * all hosts share. The table is created on first use.
 */
import pg from 'pg';
import { byTime, CLAIM_LEASE_MS, type Claim, type DeliveryLedger, type DeliveryLog, type DeliveryRecord } from './delivery-ledger';

const TABLE = 'kehoach_deliveries';

/**
 * Ordered schema changes; a deployment applies those it lacks, under an advisory lock so workers
 * starting together do not race on CREATE TABLE.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE ${TABLE} (
     message_id  text PRIMARY KEY,
     state       text NOT NULL CHECK (state IN ('sending', 'sent', 'rejected')),
     owner       text,
     lease_until timestamptz,
     record      jsonb,
     updated_at  timestamptz NOT NULL DEFAULT now(),
     CHECK ((state = 'sending') = (lease_until IS NOT NULL AND record IS NULL))
   )`,
];

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('kehoach_ledger_migrations'))");
    await client.query('CREATE TABLE IF NOT EXISTS kehoach_ledger_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = await client.query<{ version: number }>('SELECT version FROM kehoach_ledger_migrations');
    const done = new Set(applied.rows.map((row) => row.version));
    for (const [index, statement] of MIGRATIONS.entries()) {
      if (done.has(index + 1)) continue;
      await client.query(statement);
      await client.query('INSERT INTO kehoach_ledger_migrations (version) VALUES ($1)', [index + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

interface Row {
  state: 'sending' | 'sent' | 'rejected';
  owner: string | null;
  lease_until: Date | null;
  record: DeliveryRecord | null;
  retry_in_ms: number | null;
}

function answerOf(row: Row): Claim {
  if (row.state === 'sending') {
    return {
      kind: 'busy',
      owner: row.owner ?? '',
      leaseUntil: (row.lease_until as Date).toISOString(),
      retryInMs: Math.max(0, Math.ceil(Number(row.retry_in_ms))),
    };
  }
  return { kind: 'answered', record: row.record as DeliveryRecord };
}

export function createPgDeliveryLedger(connectionString: string, options: { leaseMs?: number } = {}): DeliveryLedger & DeliveryLog {
  const leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
  const pool = new pg.Pool({
    connectionString,
    max: 4,
    connectionTimeoutMillis: 10_000,
    // An idle pool must not keep a worker process alive after it has stopped.
    allowExitOnIdle: true,
  });
  // A connection dropped while idle (database restart) is replaced on the next query.
  pool.on('error', () => {});
  let ready: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    ready ??= migrate(pool).catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    await ready;
    return pool.query<R>(text, values);
  };

  return {
    async get(messageId) {
      const { rows } = await query<Row>(`SELECT record FROM ${TABLE} WHERE message_id = $1 AND state <> 'sending'`, [messageId]);
      return rows[0]?.record ?? undefined;
    },

    async claim(messageId, owner) {
      for (let round = 0; round < 5; round += 1) {
        // A new row, or the takeover of a claim whose lease has ended; never an answered row.
        const taken = await query(
          `INSERT INTO ${TABLE} (message_id, state, owner, lease_until)
           VALUES ($1, 'sending', $2, now() + $3 * interval '1 millisecond')
           ON CONFLICT (message_id) DO UPDATE
             SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, updated_at = now()
             WHERE ${TABLE}.state = 'sending' AND ${TABLE}.lease_until <= now()
           RETURNING 1`,
          [messageId, owner, leaseMs],
        );
        if (taken.rowCount === 1) return { kind: 'claimed' };
        const { rows } = await query<Row>(
          `SELECT state, owner, lease_until, record, extract(epoch FROM lease_until - now()) * 1000 AS retry_in_ms
           FROM ${TABLE} WHERE message_id = $1`,
          [messageId],
        );
        // Gone (released in between) or expired since the insert: try again.
        const row = rows[0];
        if (row && !(row.state === 'sending' && Number(row.retry_in_ms) <= 0)) return answerOf(row);
      }
      throw new Error(`delivery ledger: could not settle the claim of ${messageId}`);
    },

    async record(entry) {
      await query(
        `INSERT INTO ${TABLE} (message_id, state, record) VALUES ($1, $2, $3)
         ON CONFLICT (message_id) DO UPDATE
           SET state = EXCLUDED.state, record = EXCLUDED.record, owner = NULL, lease_until = NULL, updated_at = now()`,
        [entry.messageId, entry.status, JSON.stringify(entry)],
      );
    },

    async release(messageId, owner) {
      await query(`DELETE FROM ${TABLE} WHERE message_id = $1 AND state = 'sending' AND owner = $2`, [messageId, owner]);
    },

    async list(planId) {
      const { rows } = await query<{ record: DeliveryRecord }>(`SELECT record FROM ${TABLE} WHERE state <> 'sending' AND record->>'planId' = $1`, [planId]);
      return rows.map((row) => row.record).sort(byTime);
    },

    async close() {
      closing ??= pool.end();
      await closing;
    },
  };
}
