/**
 * The ward example (plans/examples/phuong-le-chan-2026.yaml) from June to 8 July 2026: the office
 * asks a residential group and the people's inspection board for an ad-hoc report, which is
 * noticed, reminded, submitted by one and escalated for the other (the second level standing in
 * for an email-less unit reaches the supervising office), survives an amendment, and is counted
 * in the year-end summary; the quarterly report reminds its lead units and tells its partner.
 *
 * The oracle is written out by hand from the 2026 calendar (no day off in June or July; 10 June
 * is a Wednesday): no code of the expander or of the request placement computes it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { UserError } from '../../domain/user-error';
import { amendPlan, expandPlanFile, getDutyStatus, getPlanStatus, getPlanView, startPlan, submitReport } from '../../operations/plan-client';
import { requestReport } from '../../operations/report-requests';
import { periodOfPlan } from '../../domain/schedule/expanded-period';
import { summarise } from '../../domain/summary/aggregate';
import { dutyRolesLine } from '../../reports/year-end-text';
import { dutyWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import { requestReportUpdate } from '../../workflows/messages';
import { waitFor } from '../support/wait-for';
import { refusalCode } from '../support/refusal-code';
import { deliveryLog } from './delivery-log';
import { createRig, type Rig } from './rig';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines, type ExpectedDigest } from './mail-expectations';

const PLAN_FILE = 'plans/examples/phuong-le-chan-2026.yaml';
let rig: Rig;

beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-06-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

/** 08:00 in Hà Nội on a day of 2026 as the UTC instant, written out. */
const eight = (monthDay: string) => `2026-${monthDay}T01:00:00.000Z`;
const local = (instant: string) => new Date(Date.parse(instant)).toISOString();

it('runs an ad-hoc request through notice, reminder, submission, escalation and the year-end count', async () => {
  const client = rig.server.env.client;
  const plan = await expandPlanFile(PLAN_FILE, { from: '2026-06-01' });
  const ref = { planId: plan.planId, year: plan.year };
  await startPlan(client, rig.taskQueue, plan, { closesAt: '2026-07-31T17:00:00.000Z' });
  await waitFor('every duty running', async () => {
    const view = await getPlanView(client, ref).catch(() => undefined);
    return view?.duties.length === 4 && view.duties.every((duty) => duty.lifecycle === 'running');
  }, { intervalMs: 50 });

  // Wednesday 10 June, 09:30: the office asks Tổ dân phố số 1 and the inspection board.
  await rig.sleepUntil(local('2026-06-10T09:30:00+07:00'));
  const request = {
    dutyId: 'bc-dot-xuat',
    targets: ['tdp-1', 'ban-ttnd'],
    content: 'tình hình tiếp nhận phản ánh về trật tự đô thị',
    requestedBy: 'Phòng Văn hóa - Xã hội',
    requestId: 'kt-06',
  };
  const sent = await requestReport(client, ref, request, periodOfPlan(plan), new Date(await rig.now()));
  // In the plan's unit order.
  expect(sent.added).toEqual(['bc-dot-xuat:ban-ttnd:yc-kt-06', 'bc-dot-xuat:tdp-1:yc-kt-06']);
  // Default deadline: 5 working days after 10/6 = Wednesday 17/6, end of day.
  expect(sent.occurrences.map((occ) => [occ.unitId, occ.dueAt, occ.remindAt, occ.overdueAt, occ.escalations])).toEqual([
    ['ban-ttnd', '2026-06-17T17:00:00.000Z', [eight('06-11'), eight('06-15')], eight('06-18'), [
      { level: 1, at: eight('06-18'), notifyUnitId: 'ubmttq' },
      // Level 2 is the city's Fatherland Front, which has no email: the supervising office instead.
      { level: 2, at: eight('06-22'), notifyUnitId: 'phong-vhxh' },
    ]],
    ['tdp-1', '2026-06-17T17:00:00.000Z', [eight('06-11'), eight('06-15')], eight('06-18'), [
      { level: 1, at: eight('06-18'), notifyUnitId: 'van-phong' },
      { level: 2, at: eight('06-22'), notifyUnitId: 'chu-tich' },
    ]],
  ]);

  // The same request again adds nothing; the same id for something else, a unit that may not be
  // asked, a duty that takes no requests and a passed deadline are refused, changing nothing.
  const again = await requestReport(client, ref, request, periodOfPlan(plan), new Date(await rig.now()));
  expect(again.added).toEqual([]);
  expect(await refusalCode(requestReport(client, ref, { ...request, deadline: '2026-06-30' }, periodOfPlan(plan), new Date(await rig.now())))).toBe('bad-request');
  await expect(requestReport(client, ref, { ...request, targets: ['van-phong'], requestId: 'khac' }, periodOfPlan(plan), new Date(await rig.now()))).rejects.toThrow(UserError);
  await expect(requestReport(client, ref, { ...request, dutyId: 'bc-quy-tdp' }, periodOfPlan(plan), new Date(await rig.now()))).rejects.toThrow(/không phải nhiệm vụ theo yêu cầu/);
  await expect(requestReport(client, ref, { ...request, deadline: '2026-06-09', requestId: 'qua-han' }, periodOfPlan(plan), new Date(await rig.now()))).rejects.toThrow(/đã qua/);
  // The duty's own validator, reached without the client's checks: a quarterly duty takes no requests.
  const raw = await client.workflow
    .getHandle(dutyWorkflowId(ref.planId, ref.year, 'bc-quy-tdp'))
    .executeUpdate(requestReportUpdate, { args: [{ requestId: 'x', occurrences: sent.occurrences }] })
    .then(() => undefined, (err: unknown) => err);
  expect(raw).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (raw as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect([cause.type, cause.details?.[0], cause.message]).toEqual([
    'KehoachRefusal',
    'not-on-request',
    'Nhiệm vụ "Báo cáo kết quả thực hiện dân chủ ở cơ sở của tổ dân phố" không phải nhiệm vụ theo yêu cầu (on-request); chỉ nhiệm vụ theo yêu cầu mới nhận yêu cầu báo cáo đột xuất.',
  ]);
  expect((await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences.map((occ) => occ.key)).toEqual(sent.added);

  // An amendment that changes the duty keeps the office's requests (they are in no plan file).
  await rig.sleepUntil(local('2026-06-12T10:00:00+07:00'));
  const amended = { ...plan, duties: plan.duties.map((duty) => (duty.id === 'bc-dot-xuat' ? { ...duty, title: `${duty.title} (sửa đổi)` } : duty)) };
  expect((await amendPlan(client, amended)).changed).toEqual(['bc-dot-xuat']);
  await waitFor('the amended schedule reached the duty', async () => (await getDutyStatus(client, ref, 'bc-dot-xuat')).dutyTitle.endsWith('(sửa đổi)'), { intervalMs: 50 });
  expect((await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences.map((occ) => [occ.key, occ.status])).toEqual([
    ['bc-dot-xuat:ban-ttnd:yc-kt-06', 'pending'],
    ['bc-dot-xuat:tdp-1:yc-kt-06', 'pending'],
  ]);

  await rig.sleepUntil(local('2026-06-16T10:00:00+07:00'));
  const receipt = await submitReport(client, ref, { dutyId: 'bc-dot-xuat', unitId: 'tdp-1', periodKey: 'yc-kt-06', fields: { 'so-phan-anh': 4 } });
  expect(receipt.late).toBe(false);

  await rig.sleepUntil(local('2026-06-18T12:00:00+07:00'));
  const overdue = await getDutyStatus(client, ref, 'bc-dot-xuat', { unitId: 'ban-ttnd' });
  expect(overdue.occurrences.map((occ) => [occ.status, occ.escalatedLevels])).toEqual([['overdue', [1]]]);

  // The quarterly report: two groups submit on Monday 6 July, the third does not.
  await rig.sleepUntil(local('2026-07-06T10:00:00+07:00'));
  for (const unitId of ['tdp-1', 'tdp-2']) {
    await submitReport(client, ref, { dutyId: 'bc-quy-tdp', unitId, periodKey: '2026-Q2', fields: { 'so-hoi-nghi': 2, 'so-y-kien': 5 } });
  }
  await rig.sleepUntil(local('2026-07-08T12:00:00+07:00'));

  const q = 'bc-quy-tdp';
  const r = 'bc-dot-xuat';
  const expected: ExpectedDigest[] = [
    { unitId: 'tdp-1', localDate: '2026-06-11', batch: 1, itemIds: [`${r}:tdp-1:yc-kt-06:reminder:${eight('06-11')}`] },
    { unitId: 'ban-ttnd', localDate: '2026-06-11', batch: 1, itemIds: [`${r}:ban-ttnd:yc-kt-06:reminder:${eight('06-11')}`] },
    { unitId: 'ubmttq', localDate: '2026-06-11', batch: 1, itemIds: [`${r}:tdp-1:yc-kt-06:partner:ubmttq`, `${r}:ban-ttnd:yc-kt-06:partner:ubmttq`] },
    { unitId: 'tdp-1', localDate: '2026-06-15', batch: 1, itemIds: [`${r}:tdp-1:yc-kt-06:reminder:${eight('06-15')}`] },
    { unitId: 'ban-ttnd', localDate: '2026-06-15', batch: 1, itemIds: [`${r}:ban-ttnd:yc-kt-06:reminder:${eight('06-15')}`] },
    { unitId: 'ban-ttnd', localDate: '2026-06-18', batch: 1, itemIds: [`${r}:ban-ttnd:yc-kt-06:overdue`] },
    { unitId: 'ubmttq', localDate: '2026-06-18', batch: 1, itemIds: [`${r}:ban-ttnd:yc-kt-06:escalation:1`] },
    { unitId: 'phong-vhxh', localDate: '2026-06-22', batch: 1, itemIds: [`${r}:ban-ttnd:yc-kt-06:escalation:2`] },
    // Quarter II: due Tuesday 7/7; 3 days before is Saturday 4/7, so Friday 3/7; 1 day before Monday 6/7.
    ...['tdp-1', 'tdp-2', 'tdp-3'].flatMap((unitId): ExpectedDigest[] => [
      { unitId, localDate: '2026-07-03', batch: 1, itemIds: [`${q}:${unitId}:2026-Q2:reminder:${eight('07-03')}`] },
      { unitId, localDate: '2026-07-06', batch: 1, itemIds: [`${q}:${unitId}:2026-Q2:reminder:${eight('07-06')}`] },
    ]),
    { unitId: 'ubmttq', localDate: '2026-07-03', batch: 1, itemIds: ['tdp-1', 'tdp-2', 'tdp-3'].map((u) => `${q}:${u}:2026-Q2:partner:ubmttq`) },
    { unitId: 'tdp-3', localDate: '2026-07-08', batch: 1, itemIds: [`${q}:tdp-3:2026-Q2:overdue`] },
    { unitId: 'van-phong', localDate: '2026-07-08', batch: 1, itemIds: [`${q}:tdp-3:2026-Q2:escalation:1`] },
  ];
  const mailroomId = `${planWorkflowId(plan.planId, plan.year)}:mail`;
  expect(deliveredLines(await deliveryLog(client, mailroomId))).toEqual(expectedLines(expected));
  expect(receivedMailLines(rig.smtp)).toEqual(expectedMailLines(plan, expected));

  // What the units read: the request's wording and who receives the report; the partner is told
  // it submits nothing.
  const textTo = (address: string, day: string) =>
    rig.smtp.messages.find((m) => m.envelope.to.includes(address) && (m.parsed.subject ?? '').endsWith(day))?.parsed.text ?? '';
  const toBoard = textTo('ttnd@le-chan.example', '11/06/2026');
  expect(toBoard).toContain('Nơi nhận báo cáo: Phòng Văn hóa - Xã hội');
  expect(toBoard).toContain(
    'Ghi chú: Yêu cầu báo cáo đột xuất ngày 10/06/2026 của Phòng Văn hóa - Xã hội: tình hình tiếp nhận phản ánh về trật tự đô thị',
  );
  expect(toBoard).toContain('Hạn chót: Thứ Tư, 17/06/2026');
  const toPartner = textTo('mttq@le-chan.example', '11/06/2026');
  expect(toPartner).toContain('Nhiệm vụ đơn vị phối hợp (để biết, không phải nộp)');
  expect(toPartner).toContain('Đơn vị chủ trì: Ban Thanh tra nhân dân phường');

  // The year-end summary counts the request: one report on time, one missing, one request.
  const views = await getPlanStatus(client, ref);
  const summary = summarise({ planId: ref.planId, year: 2026, title: plan.title, timeZone: plan.timeZone }, views, {
    asOf: '2026-07-08T05:00:00.000Z',
  });
  const adHoc = summary.duties.find((duty) => duty.dutyId === 'bc-dot-xuat');
  expect(adHoc?.counts).toMatchObject({ 'on-time': 1, missing: 1, total: 2 });
  expect(adHoc?.fieldTotals.map((field) => [field.fieldId, field.total])).toEqual([['so-phan-anh', 4]]);
  expect(summary.duties.map(dutyRolesLine)).toEqual([
    'Báo cáo kết quả thực hiện dân chủ ở cơ sở của tổ dân phố: nơi nhận báo cáo: Phòng Văn hóa - Xã hội; đơn vị phối hợp: Ủy ban MTTQ Việt Nam phường.',
    'Báo cáo năm về thực hiện dân chủ ở cơ sở trình Thường trực HĐND phường: nơi nhận báo cáo: Thường trực HĐND phường; đơn vị phối hợp: Phòng Văn hóa - Xã hội.',
    'Công khai thông tin tại trụ sở và trên trang thông tin điện tử của phường: nhiệm vụ thường xuyên, không có kỳ hạn nộp; ' +
      'đơn vị phối hợp: Tổ dân phố số 1, Tổ dân phố số 2 và Tổ dân phố số 3.',
    'Báo cáo đột xuất về tình hình thực hiện dân chủ, tiếp nhận phản ánh, kiến nghị (sửa đổi): thực hiện theo yêu cầu đột xuất; ' +
      'nơi nhận báo cáo: Phòng Văn hóa - Xã hội; đơn vị phối hợp: Ủy ban MTTQ Việt Nam phường; 1 yêu cầu đột xuất (2 lượt việc).',
  ]);
});
