/**
 * Exact to the day and to the record, on the time-skipping server with real mail activities and a
 * real SMTP server on loopback:
 * - a duty reads overdue (query and search attribute) one minute after its deadline;
 * - an SMTP outage from Monday 07:00 to Wednesday 10:00 loses nothing, duplicates nothing, and the
 *   office page says since when mail is failing while it lasts;
 * - concurrent amendments apply one at a time, and a duty removed and added back keeps its records
 *   and never issues a reference number twice;
 * - a terminated mailroom makes a duty back off and raise an alert instead of spinning;
 * - submissions for a period not yet begun, or minutes of a meeting not yet held, are refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import {
  amendPlan,
  expandPlanFile,
  getDutyStatus,
  getMailOutage,
  getMailroomView,
  getPlanView,
  startPlan,
  submitReport,
} from '../../operations/plan-client';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { describePlanFile } from '../../operations/plan-catalog';
import { createWebApp, OFFICE_USER } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { dutyWorkflowId, mailroomWorkflowId } from '../../domain/keys/workflow-ids';
import { clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { waitFor } from '../support/wait-for';
import { deliveryActivities, deliveryLog, type DeliveryActivity } from './delivery-log';
import { refusalCode } from '../support/refusal-code';
import { createRig, type Rig } from './rig';
import { LINK_SECRET } from './rig-constants';

const ZONE = 'Asia/Ho_Chi_Minh';
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const localOf = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});


async function smallRig() {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  const r = rig;
  await r.startWorker();
  const base = nextLocalMidnight(await r.now());
  const clock = clockFrom(base);
  const plan = smallPlan('thu-nghiem', base);
  const ref = { planId: plan.planId, year: plan.year };
  await startPlan(r.server.env.client, r.taskQueue, plan, { closesAt: clock.at(75) });
  return { r, clock, plan, ref, client: r.server.env.client };
}

describe('status at the moment it is read', () => {
  it('reads overdue, in the query and the search attribute, one minute after the deadline', async () => {
    const { r, clock, ref, client } = await smallRig();
    const workflowId = dutyWorkflowId(ref.planId, ref.year, 'bc-thang');
    const statusAttribute = async () => (await client.workflow.getHandle(workflowId).describe()).searchAttributes.KehoachStatus;
    const thonA = async () => (await getDutyStatus(client, ref, 'bc-thang', { unitId: 'thon-a' })).occurrences.find((o) => o.periodKey === 'K1');

    await r.sleepUntil(Date.parse(clock.endOfDay(10)) - 60_000);
    expect((await thonA())?.status).toBe('pending');
    expect(await statusAttribute()).toEqual(['on-track']);

    // The next mail (the overdue notice) is not before 08:00 tomorrow: only the deadline wakes it.
    await r.sleepUntil(Date.parse(clock.endOfDay(10)) + 60_000);
    expect((await thonA())?.status).toBe('overdue');
    expect((await getDutyStatus(client, ref, 'bc-thang')).status).toBe('overdue');
    expect(await statusAttribute()).toEqual(['overdue']);
  });

  it('refuses a report for a period not yet begun and minutes of a meeting not yet held, recording nothing', async () => {
    const { r, clock, ref, client } = await smallRig();
    await r.sleepUntil(clock.at(1, 10));
    const submit = (dutyId: string, unitId: string, periodKey: string, fields: Record<string, number>) =>
      submitReport(client, ref, { dutyId, unitId, periodKey, fields });

    expect(await refusalCode(submit('bc-thang', 'thon-a', 'K2', { so_vu: 1 }))).toBe('not-open-yet');
    expect(await refusalCode(submit('hop-dan', 'thon-a', 'H1', { so_nguoi_du: 40 }))).toBe('not-open-yet');
    const first = await submit('bc-thang', 'thon-a', 'K1', { so_vu: 1 });
    expect(first.reference).toMatch(/\/0001$/);

    await r.sleepUntil(clock.at(20, 18, 59));
    expect(await refusalCode(submit('hop-dan', 'thon-a', 'H1', { so_nguoi_du: 40 }))).toBe('not-open-yet');
    await r.sleepUntil(clock.at(20, 21));
    expect((await submit('hop-dan', 'thon-a', 'H1', { so_nguoi_du: 40 })).late).toBe(false);
    await r.sleepUntil(clock.at(30, 9));
    expect((await submit('bc-thang', 'thon-a', 'K2', { so_vu: 2 })).reference).toMatch(/\/0002$/);
    const k = (await getDutyStatus(client, ref, 'bc-thang', { unitId: 'thon-a' })).occurrences.map((o) => [o.periodKey, o.submission?.reference]);
    expect(k).toEqual([
      ['K1', '2026/BC-THANG/0001'],
      ['K2', '2026/BC-THANG/0002'],
      ['K3', undefined],
    ]);
  });
});

describe('records through amendments', () => {
  it('applies concurrent amendments one at a time and restores a removed duty with its records', async () => {
    const { r, clock, plan, ref, client } = await smallRig();
    const withoutReport: ExpandedPlan = {
      ...plan,
      duties: plan.duties.filter((d) => d.id !== 'bc-thang'),
      occurrences: plan.occurrences.filter((o) => o.dutyId !== 'bc-thang'),
    };
    await r.sleepUntil(clock.at(5, 10));
    expect((await submitReport(client, ref, { dutyId: 'bc-thang', unitId: 'thon-a', periodKey: 'K1', fields: { so_vu: 3 } })).reference).toBe(
      '2026/BC-THANG/0001',
    );

    // Sent at once: one is applied, and the other is applied after it or refused until the first has
    // reached every duty; never interleaved. The plan's view of the duty and the duty's own state
    // agree afterwards, whichever ran last.
    const results = await Promise.allSettled([amendPlan(client, withoutReport), amendPlan(client, plan)]);
    expect(results.filter((x) => x.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    for (const x of results) if (x.status === 'rejected') expect(x.reason).toMatchObject({ code: 'amendment-in-progress' });
    let seen = '';
    await waitFor('the plan and the duty agree', async () => {
      const lifecycle = (await getPlanView(client, ref)).duties.find((d) => d.dutyId === 'bc-thang')?.lifecycle;
      const dutyStatus = (await getDutyStatus(client, ref, 'bc-thang')).status;
      seen = `plan: ${lifecycle}, duty: ${dutyStatus}, amendments: ${results.map((x) => x.status).join('/')}`;
      return (lifecycle === 'removed' && dutyStatus === 'removed') || (lifecycle === 'running' && dutyStatus === 'on-track');
    }).catch((err: Error) => {
      throw new Error(`${err.message} (${seen})`);
    });
    const settled = async () =>
      waitFor('the amendment reached every duty', async () => (await getPlanView(client, ref)).duties.every((d) => d.lifecycle !== 'starting'));
    await settled();

    // Removed, then added back: the submission and its reference are still there.
    await amendPlan(client, withoutReport);
    await settled();
    expect((await getPlanView(client, ref)).duties.find((d) => d.dutyId === 'bc-thang')?.lifecycle).toBe('removed');
    expect(await refusalCode(submitReport(client, ref, { dutyId: 'bc-thang', unitId: 'thon-b', periodKey: 'K1', fields: { so_vu: 1 } }))).toBe('removed');
    const summary = await amendPlan(client, plan);
    expect(summary.added).toEqual(['bc-thang']);
    await settled();
    const thonA = (await getDutyStatus(client, ref, 'bc-thang', { unitId: 'thon-a' })).occurrences.find((o) => o.periodKey === 'K1');
    expect(thonA?.submission).toMatchObject({ reference: '2026/BC-THANG/0001', fields: { so_vu: 3 } });
    const next = await submitReport(client, ref, { dutyId: 'bc-thang', unitId: 'thon-b', periodKey: 'K1', fields: { so_vu: 1 } });
    expect(next.reference).toBe('2026/BC-THANG/0002');

    // Each notification went out once, across the removal and the return.
    await r.sleepUntil(clock.at(12));
    const deliveries = await deliveryLog(client, mailroomWorkflowId(ref.planId, ref.year));
    const reportItems = deliveries.filter((d) => d.outcome === 'sent').flatMap((d) => d.itemIds).filter((id) => id.startsWith('bc-thang:'));
    expect(new Set(reportItems).size).toBe(reportItems.length);
    expect(reportItems.filter((id) => id.includes(':K1:')).sort()).toEqual([
      `bc-thang:thon-a:K1:reminder:${clock.at(5)}`,
      `bc-thang:thon-b:K1:reminder:${clock.at(5)}`,
    ]);
  });
});

describe('a mailroom that cannot be reached', () => {
  it('makes the duty back off and raise an alert instead of retrying every second', async () => {
    const { r, clock, ref, client } = await smallRig();
    await r.sleepUntil(clock.at(4, 12));
    await client.workflow.getHandle(mailroomWorkflowId(ref.planId, ref.year)).terminate('kiểm thử: bộ phận gửi thư ngừng');
    // The K1 reminders are due at 08:00 on day 5; two hours later the duty has tried a handful of times.
    await r.sleepUntil(clock.at(5, 10));
    const handle = client.workflow.getHandle(dutyWorkflowId(ref.planId, ref.year, 'bc-thang'));
    const history = await handle.fetchHistory();
    const signalTries = (history.events ?? []).filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length;
    expect(signalTries).toBeGreaterThanOrEqual(5);
    expect(signalTries).toBeLessThanOrEqual(9);
    expect(history.events?.length ?? 0).toBeLessThan(120);
    const status = await getDutyStatus(client, ref, 'bc-thang');
    expect(status.alert?.code).toBe('mailroom-unreachable');
    expect(Date.parse(status.alert?.since ?? '') - Date.parse(clock.at(5))).toBeGreaterThanOrEqual(0);
    expect(Date.parse(status.alert?.since ?? '') - Date.parse(clock.at(5))).toBeLessThan(60_000);
    expect((await handle.describe()).searchAttributes.KehoachAlert).toEqual(['mailroom-unreachable']);
  });
});

const OUTAGE_PLAN = `
version: 1
plan:
  id: xa-mau-2026
  title: Kế hoạch mẫu năm 2026
  issuingBody: Ủy ban nhân dân xã Mẫu
  documentNumber: /KH-UBND
  place: Mẫu
  year: 2026
  legalBases: [Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15]
  signer: { authority: TM. ỦY BAN NHÂN DÂN, position: CHỦ TỊCH, name: Nguyễn Văn A }
  supervisor: phong-vhxh
settings:
  reminders: { daysBefore: [2, 1] }
  escalation: [{ afterWorkingDays: 1, level: 1 }]
calendars:
  - year: 2026
    provisional: false
    daysOff:
      - { date: 2026-01-01, name: Tết Dương lịch, notice: BLLĐ 2019 Điều 112 }
units:
  - { id: chu-tich, name: Chủ tịch UBND xã, kind: leader, emails: [ct@xa-mau.example] }
  - { id: phong-vhxh, name: Phòng Văn hóa - Xã hội, kind: department, emails: [vhxh@xa-mau.example], reportsTo: chu-tich }
  - { id: truong-a, name: Trường Tiểu học A, kind: school, emails: [a@xa-mau.example], reportsTo: phong-vhxh }
  - { id: truong-b, name: Trường Tiểu học B, kind: school, emails: [b@xa-mau.example], reportsTo: phong-vhxh }
  - { id: truong-c, name: Trường THCS C, kind: school, emails: [c@xa-mau.example], reportsTo: phong-vhxh }
groups:
  - { id: cac-truong, name: Các trường, unitKinds: [school] }
duties:
  - id: bao-cao-thang-3
    title: Báo cáo nhanh tháng 3
    kind: report
    source: III.2
    legalBasis: NĐ 09/2019/NĐ-CP
    assignees: [cac-truong]
    cadence: { every: once, date: 2026-03-11 }
`;

describe('digests sent together', () => {
  it('sends a morning in one activity; a digest the batch could not send goes out alone, once', async () => {
    const { r, clock, ref, client } = await smallRig();
    // Day 5 at 08:00: the K1 reminders of both villages, one flush.
    await r.sleepUntil(Date.parse(clock.at(4, 12)));
    r.smtp.failNextMessages(1, 451);
    await r.sleepUntil(Date.parse(clock.at(5, 12)));
    const summary = (a: DeliveryActivity) =>
      `${a.type} ${a.inputs.map((i) => i.recipient.unitId).join(',')} ${a.results.map((x) => x.outcome).join(',')}`;
    const activities = await deliveryActivities(client, mailroomWorkflowId(ref.planId, ref.year));
    const [batch, ...singles] = [...activities].sort((a, b) => b.type.localeCompare(a.type));
    expect(batch?.type).toBe('sendDigests');
    expect(batch?.inputs.map((i) => i.recipient.unitId)).toEqual(['thon-a', 'thon-b']);
    // The batch sends its digests a few at a time: the refusal meets one of them, maybe both.
    const notSent = (batch?.inputs ?? []).filter((_, i) => batch?.results[i]?.outcome === 'not-sent').map((i) => i.recipient.unitId);
    expect(notSent.length).toBeGreaterThan(0);
    for (const result of batch?.results ?? []) if (result.outcome === 'not-sent') expect(result.error).toContain('451');
    // Each digest the batch did not send went out alone, once.
    expect(singles.map(summary).sort()).toEqual(notSent.map((unit) => `sendDigest ${unit} sent`).sort());
    expect(r.smtp.messages.map((m) => m.envelope.to).sort()).toEqual([['thon-a@xa-thu.example'], ['thon-b@xa-thu.example']]);
    expect(await getMailOutage(client, await getPlanView(client, ref))).toBeNull();

    // Day 10 at 08:00, with nothing refused: both villages' due-day reminders in one activity.
    await r.sleepUntil(Date.parse(clock.at(10, 12)));
    const later = (await deliveryActivities(client, mailroomWorkflowId(ref.planId, ref.year))).slice(activities.length);
    expect(later.map(summary)).toEqual(['sendDigests thon-a,thon-b sent,sent']);
    expect(r.smtp.messages).toHaveLength(4);
  });
  it('sends what a mailroom cancelled from outside had collected, a digest the batch could not send alone', async () => {
    const { r, clock, ref, client } = await smallRig();
    // Day 5, 08:02: both villages' reminders handed over at 08:00, the flush due at 08:05.
    await r.sleepUntil(Date.parse(clock.at(5, 8, 2)));
    expect(r.smtp.messages).toHaveLength(0);
    r.smtp.failNextMessages(1, 451);
    // An operator cancels the mailroom itself (a cancelled plan closes it instead, and it retries for days).
    const mailroom = client.workflow.getHandle(mailroomWorkflowId(ref.planId, ref.year));
    await mailroom.cancel();
    await expect(mailroom.result()).rejects.toThrow('cancelled');
    const activities = await deliveryActivities(client, mailroomWorkflowId(ref.planId, ref.year));
    expect(activities.map((a) => a.type).sort()).toEqual(['sendDigest', 'sendDigests']);
    expect(r.smtp.messages.map((m) => m.envelope.to).sort()).toEqual([['thon-a@xa-thu.example'], ['thon-b@xa-thu.example']]);
  });
});

describe('an SMTP outage of days', () => {
  it('from Monday 07:00 to Wednesday 10:00 loses nothing, duplicates nothing, and the office page shows it while it lasts', async () => {
    rig = await createRig({ initialTime: '2026-03-02T00:00:00+07:00' });
    const r = rig;
    await r.startWorker();
    const dir = mkdtempSync(path.join(tmpdir(), 'kehoach-outage-'));
    const file = path.join(dir, 'xa-mau-2026.yaml');
    writeFileSync(file, OUTAGE_PLAN);
    const plan = await expandPlanFile(file);
    const ref = { planId: plan.planId, year: plan.year };
    const client = r.server.env.client;
    await startPlan(client, r.taskQueue, plan, { mailCollectionWindowMs: 5 * 60_000 });
    const described = await describePlanFile(file);
    if (!('plan' in described)) throw new Error('the outage plan is invalid');
    const accounts = await accountBookWith(dir, [{ name: OFFICE_USER, role: 'office', commune: described.communeId, password: 'mat-khau-thu-nghiem' }]);
    const web = await createWebApp({ client, links: createSubmissionLinks(LINK_SECRET, 'http://127.0.0.1:8080'), accounts, plans: [described] });
    const officePage = async () => {
      const response = await web.inject({
        url: `/theo-doi?ke-hoach=${ref.planId}&nam=${ref.year}`,
        headers: { authorization: `Basic ${Buffer.from(`${OFFICE_USER}:mat-khau-thu-nghiem`).toString('base64')}` },
      });
      expect(response.statusCode).toBe(200);
      return response.body;
    };
    try {
      await r.sleepUntil(local('2026-03-09T07:00'));
      r.smtp.setDown(true);
      await r.sleepUntil(local('2026-03-10T12:00'));
      const outage = await getMailOutage(client, await getPlanView(client, ref));
      expect(outage?.waitingDigests).toBe(6);
      const since = localOf(Date.parse(outage?.since ?? ''));
      expect(since.toISODate()).toBe('2026-03-09');
      expect(since.hour * 60 + since.minute).toBeGreaterThanOrEqual(8 * 60 + 5);
      expect(since.hour * 60 + since.minute).toBeLessThan(8 * 60 + 15);
      const during = await officePage();
      expect(during).toContain('Máy chủ thư không nhận thư từ 08:');
      expect(during).toContain('ngày 09/03/2026: 6 thư đang chờ gửi lại');
      expect(r.smtp.messages).toHaveLength(0);

      await r.sleepUntil(local('2026-03-11T10:00'));
      r.smtp.setDown(false);
      await r.sleepUntil(local('2026-03-11T18:00'));
      expect(await getMailOutage(client, await getPlanView(client, ref))).toBeNull();
      expect(await officePage()).not.toContain('Máy chủ thư không nhận thư');

      await r.sleepUntil(local('2026-03-12T12:00'));
      const mailroom = await getMailroomView(client, ref);
      expect(mailroom.failedDeliveries).toEqual([]);
      // Final outcomes only: the attempts refused during the outage are in the log too.
      const log = (await deliveryLog(client, mailroomWorkflowId(ref.planId, ref.year))).filter((d) => d.outcome !== 'failed');
      const lines = log.map((d) => `${d.localDate} ${d.recipientUnitId} ${d.outcome} ${localOf(Date.parse(d.at)).toFormat('yyyy-MM-dd')}`).sort();
      expect(lines).toEqual([
        '2026-03-09 truong-a sent 2026-03-11',
        '2026-03-09 truong-b sent 2026-03-11',
        '2026-03-09 truong-c sent 2026-03-11',
        '2026-03-10 truong-a sent 2026-03-11',
        '2026-03-10 truong-b sent 2026-03-11',
        '2026-03-10 truong-c sent 2026-03-11',
        '2026-03-12 phong-vhxh sent 2026-03-12',
        '2026-03-12 truong-a sent 2026-03-12',
        '2026-03-12 truong-b sent 2026-03-12',
        '2026-03-12 truong-c sent 2026-03-12',
      ]);
      for (const d of log.filter((x) => x.localDate < '2026-03-11')) {
        expect(Date.parse(d.at)).toBeGreaterThanOrEqual(local('2026-03-11T10:00'));
      }
      // Exactly one message per digest reached the server, each with its own Message-ID.
      const ids = r.smtp.messages.map((m) => m.parsed.messageId);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      expect(r.smtp.refusedWhileDown).toBeGreaterThan(6);
    } finally {
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
