/**
 * Workers on several machines: two worker processes with separate data directories poll one task
 * queue on one (time-skipping) server and share the delivery ledger in a real PostgreSQL, as
 * `KEHOACH_LEDGER_URL` makes them do in production. Two morning flushes of a digest per village;
 * in each, one worker is killed by SIGKILL at a precise point (fault injection in
 * worker-process.ts) and the other carries on:
 * - day 1, right after it claimed a digest and before any SMTP: the claim is orphaned; the other
 *   worker's retry takes it over once its lease has ended and sends the digest once;
 * - day 2, right after the ledger recorded a digest as sent and before Temporal heard of it: the
 *   other worker, whose data directory knows nothing of it, is answered "already sent" by the
 *   shared ledger.
 * Nothing is lost or doubled: every digest the mailroom recorded reached the SMTP server exactly
 * once, by Message-ID.
 *
 * The lease is 3 s here instead of 2 min. Leases run on the database's clock, which does not skip:
 * the dead worker's attempt is noticed after its 30-second heartbeat timeout, which this server
 * also counts in real time, so a 3 s lease has ended by then. With 2 minutes the retry would find
 * the claim live and be put off to the lease's end, a delay the server would skip at once and the
 * database would not. That "busy, try again at the lease's end" path is covered with real
 * PostgreSQL and SMTP in test/activities/delivery-ledger.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveriesDir } from '../../activities/mail/delivery-ledger';
import { startPlan } from '../../operations/plan-client';
import type { DutyInfo, ExpandedPlan, Occurrence, UnitInfo } from '../../domain/schedule/types';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../provision/postgres';
import { mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import type { MailroomView } from '../../workflows/types';
import { clockFrom, nextLocalMidnight, type SmallPlanClock } from '../fixtures/expanded/small-plan';
import { createRig, type Rig } from './rig';
import { exited, kill, startWorkerProcess } from './worker-processes';

const VILLAGES = 12;
const LEASE_MS = 3_000;
let rig: Rig;
let db: ThrowawayPostgres;
const dataDirs: string[] = [];
const children = new Set<ChildProcess>();
const crashes: { point: string; messageId: string }[] = [];

beforeAll(async () => {
  [rig, db] = await Promise.all([createRig({ initialTime: '2026-01-01T00:00:00+07:00' }), startThrowawayPostgres()]);
  for (const name of ['may-1', 'may-2']) dataDirs.push(mkdtempSync(path.join(tmpdir(), `kehoach-${name}-`)));
});
afterAll(async () => {
  for (const child of children) await kill(child);
  await rig?.close();
  await db?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function villagePlan(clock: SmallPlanClock): ExpandedPlan {
  const villages: UnitInfo[] = Array.from({ length: VILLAGES }, (_, n) => {
    const id = `thon-${String(n + 1).padStart(2, '0')}`;
    return { id, name: `Thôn ${n + 1}`, kind: 'thon', emails: [`${id}@xa-thu.example`], reportsTo: 'ubnd' };
  });
  const duty: DutyInfo = {
    id: 'bc-tuan',
    title: 'Báo cáo tình hình an ninh trật tự trong tuần',
    kind: 'report',
    source: 'II.1',
    legalBasis: 'Luật 10/2022/QH15',
    unitIds: villages.map((v) => v.id),
    fields: [{ id: 'so_vu', label: 'Số vụ việc', type: 'count', required: true }],
  };
  // A reminder to every village at 08:00 on days 1 and 2: two morning flushes of a digest each.
  const occurrences: Occurrence[] = villages.map((v) => ({
    key: `bc-tuan:${v.id}:T1`,
    dutyId: duty.id,
    unitId: v.id,
    periodKey: 'T1',
    periodLabel: 'tuần 1',
    dueAt: clock.endOfDay(2),
    opensAt: clock.at(0, 0),
    remindAt: [clock.at(1), clock.at(2)],
    escalations: [],
  }));
  return {
    planId: 'hai-may',
    year: 2026,
    timeZone: 'Asia/Ho_Chi_Minh',
    title: 'Kế hoạch thử nghiệm hai máy',
    supervisorUnitId: 'ubnd',
    calendar: [],
    units: [{ id: 'ubnd', name: 'UBND xã Thử Nghiệm', kind: 'ubnd', emails: ['ubnd@xa-thu.example'] }, ...villages],
    duties: [duty],
    occurrences,
  };
}

function localDate(instant: string): string {
  return new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10);
}

async function worker(dataDir: string, options: { cache: 'cache' | 'no-cache'; crash?: string }): Promise<ChildProcess> {
  const child = await startWorkerProcess(rig, {
    ...options,
    dataDir,
    ledgerUrl: db.url,
    env: { KEHOACH_TEST_CLAIM_LEASE_MS: String(LEASE_MS) },
    onLine: (line) => {
      const match = /^crashing-(after-\w+) (\S+)$/.exec(line);
      if (match) crashes.push({ point: match[1] as string, messageId: match[2] as string });
    },
  });
  children.add(child);
  return child;
}

it('loses and doubles no digest when one of two workers sharing the PostgreSQL ledger dies in a flush', async () => {
  const wallStart = Date.now();
  const [dirA, dirB] = dataDirs as [string, string];
  const clock = clockFrom(nextLocalMidnight(await rig.now()));
  const plan = villagePlan(clock);
  const [day1, day2] = [localDate(clock.at(1)), localDate(clock.at(2))];

  const survivor = await worker(dirB, { cache: 'cache' });
  let doomed = await worker(dirA, { cache: 'no-cache', crash: `crash-after-claim:${day1}` });
  await startPlan(rig.server.env.client, rig.taskQueue, plan, { closesAt: clock.at(2, 12) });

  await rig.sleepUntil(clock.at(1, 12));
  await exited(doomed, 60_000, `the ${day1} flush`);
  doomed = await worker(dirA, { cache: 'no-cache', crash: `crash-after-ledger:${day2}` });
  await rig.sleepUntil(clock.at(2, 12));
  await exited(doomed, 60_000, `the ${day2} flush`);

  const client = rig.server.env.client;
  await client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result();
  const mailroom: MailroomView = await client.workflow.getHandle(mailroomWorkflowId(plan.planId, plan.year)).result();
  const wallMs = Date.now() - wallStart;

  // Both kills happened where they were meant to.
  expect(crashes.map((c) => c.point)).toEqual(['after-claim', 'after-ledger']);
  const [orphanedClaim, recordedNotReported] = crashes.map((c) => c.messageId);

  // The mailroom's records: one digest per village and day, none failed, none pending.
  expect(mailroom.failedDeliveries).toEqual([]);
  expect(mailroom.pending).toEqual([]);
  const expected = plan.units
    .filter((u) => u.id !== 'ubnd')
    .flatMap((u) => [`${day1} ${u.id}`, `${day2} ${u.id}`])
    .sort();
  expect(mailroom.deliveries.map((d) => `${d.localDate} ${d.recipientUnitId}`).sort()).toEqual(expected);
  const byMessageId = new Map(mailroom.deliveries.map((d) => [d.messageId, d]));
  expect(byMessageId.size).toBe(expected.length);
  expect(byMessageId.get(orphanedClaim)).toMatchObject({ localDate: day1, outcome: 'sent' });
  expect(byMessageId.get(recordedNotReported)).toMatchObject({ localDate: day2, outcome: 'already-sent' });
  expect(mailroom.deliveries.filter((d) => d.outcome !== 'sent').map((d) => d.messageId)).toEqual([recordedNotReported]);

  // The SMTP server's side: every recorded digest exactly once, to its village, and nothing else.
  const received = rig.smtp.messages.map((m) => m.parsed.messageId).sort();
  expect(received).toEqual([...byMessageId.keys()].sort());
  for (const message of rig.smtp.messages) {
    const delivery = byMessageId.get(message.parsed.messageId);
    expect(message.envelope.to).toEqual([`${delivery?.recipientUnitId}@xa-thu.example`]);
  }
  // The ledger was the shared one: neither worker wrote one of its own.
  for (const dir of dataDirs) expect(existsSync(deliveriesDir(dir))).toBe(false);

  // The other worker carried on throughout.
  expect(survivor.exitCode).toBeNull();
  console.log(`[two-workers] wall ${(wallMs / 1000).toFixed(1)} s, ${received.length} digests, SMTP transactions ${rig.smtp.transactions}`);
}, 120_000);
