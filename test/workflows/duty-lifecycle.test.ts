/**
 * One small plan through its whole life on the time-skipping server, with real mail activities and
 * a real SMTP server: reminders at their instants, an invitation and a minutes request for the
 * meeting, escalation level by level (each once), a late submission stopping escalation, an
 * approved extension moving reminders and escalation, a waiver, refusals that change nothing, and
 * the same outcome when every workflow is forced through continue-as-new over and over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../../workflows/instants';
import { planWorkflowId } from '../../domain/keys/workflow-ids';
import { submitManyUpdate, submitUpdate } from '../../workflows/messages';
import { dutyWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import {
  decideExtension,
  getDutyStatus,
  getMailroomView,
  getPlanView,
  requestExtension,
  startPlan,
  submitReport,
  submitReports,
  translateFailure,
  waiveOccurrence,
} from '../../operations/plan-client';
import { clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { deliveryLog } from './delivery-log';
import { refusalCode } from '../support/refusal-code';
import { createRig, type Rig } from './rig';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines, type ExpectedDigest } from './mail-expectations';
import { periodOfPlan } from '../../domain/schedule/expanded-period';

const OFFSET = 420;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});


async function runScenario(historyEventLimit: number) {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  const r = rig;
  await r.startWorker();
  const base = nextLocalMidnight(await r.now(), OFFSET);
  const clock = clockFrom(base);
  const planId = 'thu-nghiem';
  const plan = smallPlan(planId, base);
  const ref = { planId, year: plan.year };
  const client = r.server.env.client;

  const started = await startPlan(client, r.taskQueue, plan, {
    closesAt: clock.at(75),
    historyEventLimit,
  });
  expect(started.started).toBe(true);
  expect((await startPlan(client, r.taskQueue, plan, { closesAt: clock.at(75) })).started).toBe(false);

  await r.sleepUntil(clock.at(3, 12));
  const onTime = await submitReport(client, ref, { dutyId: 'bc-thang', unitId: 'thon-a', periodKey: 'K1', fields: { so_vu: 2 } });
  expect(onTime.late).toBe(false);
  expect(onTime.reference).toBe('2026/BC-THANG/0001');

  const submit = (unitId: string, periodKey: string, fields: Record<string, unknown>) =>
    submitReport(client, ref, { dutyId: 'bc-thang', unitId, periodKey, fields: fields as Record<string, string | number> });
  expect(await refusalCode(submit('thon-z', 'K1', { so_vu: 1 }))).toBe('unknown-unit');
  expect(await refusalCode(submit('ubmttq', 'K1', { so_vu: 1 }))).toBe('unit-not-assigned');
  expect(await refusalCode(submit('thon-b', 'K9', { so_vu: 1 }))).toBe('unknown-period');
  expect(await refusalCode(submit('thon-b', 'K1', { ghi_chu: 'chưa có số liệu' }))).toBe('missing-field');
  expect(await refusalCode(submit('thon-b', 'K1', { so_vu: 'nhiều' }))).toBe('wrong-field-type');
  expect(await refusalCode(submit('thon-b', 'K1', { so_vu: 1, la: 1 }))).toBe('unknown-field');
  expect(await refusalCode(submit('thon-b', 'K1', { so_vu: 1, ghi_chu: 'x'.repeat(70 * 1024) }))).toBe('payload-too-large');
  expect(await refusalCode(submit('thon-a', 'K1', { so_vu: 3 }))).toBe('already-submitted');
  const refusalMessage = await submit('thon-b', 'K1', {}).catch((err: Error) => err.message);
  expect(refusalMessage).toContain('Trường "Số vụ việc" là bắt buộc, chưa được điền.');
  // A raw update with the same bad input is refused by the validator before it reaches history.
  const handle = client.workflow.getHandle(dutyWorkflowId(planId, plan.year, 'bc-thang'));
  await expect(handle.executeUpdate(submitUpdate, { args: [{ unitId: 'thon-b', periodKey: 'K1', fields: {} }] })).rejects.toThrow();

  const afterRefusals = await getDutyStatus(client, ref, 'bc-thang', { unitId: 'thon-b' });
  expect(afterRefusals.occurrences.find((o) => o.periodKey === 'K1')?.status).toBe('pending');

  await r.sleepUntil(clock.at(13, 12));
  const late = await submit('thon-b', 'K1', { so_vu: 0, ghi_chu: 'nộp muộn' });
  expect(late).toMatchObject({ late: true, reference: '2026/BC-THANG/0002' });

  await r.sleepUntil(clock.at(22, 10));
  await submitReport(client, ref, { dutyId: 'hop-dan', unitId: 'thon-a', periodKey: 'H1', fields: { so_nguoi_du: 120 } });

  await r.sleepUntil(clock.at(30, 12));
  const until = localDateOf(Date.parse(clock.at(45)), OFFSET);
  const requested = await requestExtension(client, ref, {
    dutyId: 'bc-thang',
    unitId: 'thon-a',
    periodKey: 'K2',
    untilLocalDate: until,
    reason: 'Trưởng thôn đi công tác',
  });
  expect(requested).toMatchObject({ status: 'pending', until: clock.endOfDay(45) });
  await r.sleepUntil(clock.at(30, 12, 5));
  const approved = await decideExtension(client, ref, { dutyId: 'bc-thang', unitId: 'thon-a', periodKey: 'K2', approve: true }, periodOfPlan(plan));
  expect(approved.status).toBe('approved');
  await waiveOccurrence(client, ref, { dutyId: 'bc-thang', unitId: 'thon-b', periodKey: 'K2', reason: 'Thôn đang sáp nhập' });
  expect(await refusalCode(submit('thon-b', 'K2', { so_vu: 1 }))).toBe('waived');

  await r.sleepUntil(clock.at(46, 12));
  const again = requestExtension(client, ref, {
    dutyId: 'bc-thang',
    unitId: 'thon-a',
    periodKey: 'K2',
    untilLocalDate: localDateOf(Date.parse(clock.at(50)), OFFSET),
    reason: 'Xin thêm lần nữa',
  });
  expect(await refusalCode(again)).toBe('deadline-passed');
  const overdue = await getDutyStatus(client, ref, 'bc-thang', { overdueOnly: true });
  expect(overdue.occurrences.map((o) => o.key)).toEqual(['bc-thang:thon-a:K2']);
  expect(overdue.status).toBe('overdue');

  await r.sleepUntil(clock.at(60, 12));
  // Both units' reports in one update: all or nothing, each judged like a single report, in order.
  const both = (second: Record<string, unknown>, secondUnit = 'thon-b') =>
    submitReports(client, ref, 'bc-thang', [
      { unitId: 'thon-a', periodKey: 'K3', fields: { so_vu: 1 } },
      { unitId: secondUnit, periodKey: 'K3', fields: second as Record<string, number> },
    ]);
  const badSecond = both({});
  expect(await refusalCode(badSecond)).toBe('missing-field');
  expect(await badSecond.catch((err: Error) => err.message)).toBe(
    'Báo cáo thứ 2 của lượt nộp: Trường "Số vụ việc" là bắt buộc, chưa được điền. Chưa báo cáo nào của lượt này được ghi nhận.',
  );
  expect(await refusalCode(both({ so_vu: 4 }, 'thon-a'))).toBe('already-submitted');
  expect(await refusalCode(submitReports(client, ref, 'bc-thang', []))).toBe('bad-request');
  // A hand-made update with something else than a report in the list is refused like the rest.
  const notReports = handle.executeUpdate(submitManyUpdate, { args: [[{ unitId: 'thon-a', periodKey: 'K3', fields: { so_vu: 1 } }, null] as never] });
  expect(await refusalCode(notReports.catch(translateFailure))).toBe('bad-request');
  expect(await notReports.catch((err: Error) => String((err as { cause?: Error }).cause?.message))).toBe(
    'Báo cáo thứ 2 của lượt nộp: Dữ liệu gửi đến không phải là một báo cáo (cần đơn vị, kỳ và các trường của báo cáo). Chưa báo cáo nào của lượt này được ghi nhận.',
  );
  expect(await refusalCode(handle.executeUpdate(submitUpdate, { args: [null as never] }).catch(translateFailure))).toBe('bad-request');
  const beforeBatch = await getDutyStatus(client, ref, 'bc-thang');
  expect(beforeBatch.occurrences.filter((o) => o.periodKey === 'K3').map((o) => o.status)).toEqual(['pending', 'pending']);
  const receipts = await both({ so_vu: 4 });
  expect(receipts.map((receipt) => receipt.reference)).toEqual(['2026/BC-THANG/0003', '2026/BC-THANG/0004']);
  expect(receipts.every((receipt) => !receipt.late)).toBe(true);

  const mailroom = await getMailroomView(client, ref);
  const result: PlanYearResult = await client.workflow.getHandle(planWorkflowId(planId, plan.year)).result();
  const finalMailroom = await client.workflow.getHandle(`${planWorkflowId(planId, plan.year)}:mail`).result();
  const delivered = await deliveryLog(client, `${planWorkflowId(planId, plan.year)}:mail`);
  const report = await getDutyStatus(client, ref, 'bc-thang');
  const planView = await getPlanView(client, ref);
  return { r, clock, plan, result, mailroom, finalMailroom, delivered, report, planView };
}

function expectedMail(clock: ReturnType<typeof clockFrom>): ExpectedDigest[] {
  const day = (n: number) => localDateOf(Date.parse(clock.at(n)), OFFSET);
  const one = (unitId: string, n: number, itemIds: string[]): ExpectedDigest => ({ unitId, localDate: day(n), batch: 1, itemIds });
  return [
    one('thon-b', 5, [`bc-thang:thon-b:K1:reminder:${clock.at(5)}`]),
    one('thon-b', 10, [`bc-thang:thon-b:K1:reminder:${clock.at(10)}`]),
    one('thon-b', 11, ['bc-thang:thon-b:K1:overdue']),
    one('ubmttq', 12, ['bc-thang:thon-b:K1:escalation:1']),
    one('thon-a', 17, [`hop-dan:thon-a:H1:invitation:${clock.at(17)}`]),
    one('thon-a', 21, [`hop-dan:thon-a:H1:minutes-request:${clock.at(21)}`]),
    one('thon-a', 30, ['bc-thang:thon-a:K2:extension-decision:1']),
    one('thon-a', 40, [`bc-thang:thon-a:K2:reminder:${clock.at(40)}`]),
    one('thon-a', 45, [`bc-thang:thon-a:K2:reminder:${clock.at(45)}`]),
    one('thon-a', 46, ['bc-thang:thon-a:K2:overdue']),
    one('ubmttq', 47, ['bc-thang:thon-a:K2:escalation:1']),
    one('ubnd', 49, ['bc-thang:thon-a:K2:escalation:2']),
  ];
}

describe('a duty through its year', () => {
  it('reminds, escalates once per level, records late work, extensions and waivers, and mails exactly what is due', async () => {
    const { r, clock, plan, result, delivered, report } = await runScenario(2_000);
    const expected = expectedMail(clock);
    expect(deliveredLines(delivered)).toEqual(expectedLines(expected));
    expect(receivedMailLines(r.smtp)).toEqual(expectedMailLines(plan, expected));
    expect(result).toMatchObject({ status: 'completed', amendments: 0 });
    expect(result.duties.map((d) => d.lifecycle)).toEqual(['completed', 'completed']);

    const byKey = new Map(report.occurrences.map((o) => [o.key, o]));
    expect(byKey.get('bc-thang:thon-a:K1')?.status).toBe('submitted');
    expect(byKey.get('bc-thang:thon-b:K1')).toMatchObject({ status: 'late', escalatedLevels: [1] });
    expect(byKey.get('bc-thang:thon-a:K2')).toMatchObject({
      status: 'overdue',
      dueAt: clock.endOfDay(45),
      scheduledDueAt: clock.endOfDay(40),
      escalatedLevels: [1, 2],
    });
    expect(byKey.get('bc-thang:thon-a:K2')?.extensions.map((e) => e.status)).toEqual(['approved']);
    expect(byKey.get('bc-thang:thon-b:K2')?.waiver?.reason).toBe('Thôn đang sáp nhập');
    expect(report.status).toBe('overdue');
  });

  it('ends in the same state and mail when every workflow continues-as-new every few events', async () => {
    const { r, clock, plan, finalMailroom, delivered, report } = await runScenario(40);
    const expected = expectedMail(clock);
    expect(deliveredLines(delivered)).toEqual(expectedLines(expected));
    expect(receivedMailLines(r.smtp)).toEqual(expectedMailLines(plan, expected));
    expect(report.runs).toBeGreaterThan(3);
    expect(finalMailroom.runs).toBeGreaterThan(3);
    expect(report.occurrences.find((o) => o.key === 'bc-thang:thon-b:K1')?.status).toBe('late');
  });
});
