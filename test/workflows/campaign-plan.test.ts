/**
 * The campaign example (plans/examples/ha-dong-tet-2027.yaml) from 16/11/2026 to its close on the
 * time-skipping server: three named phases across the new year, and a report whose deadline a
 * higher authority fixed on mùng 4 Tết (09/02/2027, a day off) and that must not move.
 *
 * The expected mail is written out below from the plan text and the calendar, not computed by the
 * expander: Tết 2027 (provisional) is Fri 05/02 and Mon 08/02–Thu 11/02, 01/01 and 16/04 (Giỗ Tổ)
 * are days off. Every unit submits at 10:00 on its deadline day except the commune police, which
 * never files the Tết report: it gets the overdue notice and the chairman the escalation, on the
 * first working day after Tết, Fri 12/02, while the deadline itself stays on 09/02.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expandPlanFile, getDutyStatus, getPlanStatus, startPlan, submitReport } from '../../operations/plan-client';
import { loadPlanFile } from '../../domain/plan/load';
import { buildYearEndReport } from '../../reports/year-end-report';
import { mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import { paragraphTexts, readDocx } from '../summary/docx-reader';
import { deliveryLog } from './delivery-log';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines, type ExpectedDigest } from './mail-expectations';
import { createRig, type Rig } from './rig';
import { isYearEndReportMail } from './year-checks';

const FILE = 'plans/examples/ha-dong-tet-2027.yaml';
const GD1 = 'Giai đoạn 1: Chuẩn bị và tuyên truyền (16/11/2026–31/12/2026)';
const GD2 = 'Giai đoạn 2: Cao điểm Tết Nguyên đán (04/01/2027–26/02/2027)';
const GD3 = 'Giai đoạn 3: Sơ kết, rút kinh nghiệm (01/03/2027–15/04/2027)';

/** 'YYYY-MM-DD' at HH:mm in Việt Nam (UTC+7) as an ISO instant. */
const vn = (date: string, time = '08:00') => new Date(`${date}T${time}:00+07:00`).toISOString();

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-11-16T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

/** [unit, duty, period key, local deadline day]: each is filed at 10:00 that day. */
const FILINGS: [string, string, string, string][] = [
  ['thon-1', 'tuyen-truyen', '2026-gd1', '2026-12-31'],
  ['thon-2', 'tuyen-truyen', '2026-gd1', '2026-12-31'],
  ['cong-an-xa', 'giao-ban-antt', '2026-12', '2027-01-05'],
  ['cong-an-xa', 'bao-cao-giai-doan', '2026-gd1', '2027-01-06'],
  ['cong-an-xa', 'giao-ban-antt', '2027-01', '2027-02-02'],
  ['phong-kt', 'bao-cao-nhanh-tet', '2027-02-09', '2027-02-09'],
  ['thon-1', 'tuyen-truyen', '2026-gd2', '2027-02-26'],
  ['thon-2', 'tuyen-truyen', '2026-gd2', '2027-02-26'],
  ['cong-an-xa', 'giao-ban-antt', '2027-02', '2027-03-02'],
  ['cong-an-xa', 'bao-cao-giai-doan', '2026-gd2', '2027-03-03'],
  ['cong-an-xa', 'giao-ban-antt', '2027-03', '2027-04-02'],
  ['thon-1', 'tuyen-truyen', '2026-gd3', '2027-04-15'],
  ['thon-2', 'tuyen-truyen', '2026-gd3', '2027-04-15'],
  ['cong-an-xa', 'bao-cao-giai-doan', '2026-gd3', '2027-04-21'],
];

const FIELDS: Record<string, Record<string, string | number>> = {
  'tuyen-truyen': { 'so-buoi': 4 },
  'bao-cao-giai-doan': { 'so-vu-viec': 1, 'danh-gia': 'Hoàn thành các nhiệm vụ của giai đoạn' },
  'bao-cao-nhanh-tet': { 'tinh-hinh': 'Ổn định' },
  'giao-ban-antt': {},
};

const item = (dutyId: string, unitId: string, key: string, kind: string, date?: string) =>
  `${dutyId}:${unitId}:${key}:${kind}${date === undefined ? '' : `:${vn(date)}`}`;
const digest = (unitId: string, localDate: string, ...itemIds: string[]): ExpectedDigest => ({ unitId, localDate, batch: 1, itemIds });
const bothVillages = (localDate: string, key: string, kind: string): ExpectedDigest[] =>
  ['thon-1', 'thon-2'].map((unitId) => digest(unitId, localDate, item('tuyen-truyen', unitId, key, kind, localDate)));
const police = (localDate: string, ...items: [string, string, string][]) =>
  digest('cong-an-xa', localDate, ...items.map(([duty, key, kind]) => item(duty, 'cong-an-xa', key, kind, localDate)));
const tet = (unitId: string, localDate: string) => digest(unitId, localDate, item('bao-cao-nhanh-tet', unitId, '2027-02-09', 'reminder', localDate));

const EXPECTED: ExpectedDigest[] = [
  // Phase 1: the villages' work is due on its last day, Thu 31/12; "5 days before" is Sat 26/12 → Fri 25/12.
  ...bothVillages('2026-12-25', '2026-gd1', 'reminder'),
  ...bothVillages('2026-12-30', '2026-gd1', 'reminder'),
  // December's meeting on the last working day (Thu 31/12, 14:00); minutes due 2 working days later (Tue 05/01).
  police('2026-12-28', ['giao-ban-antt', '2026-12', 'invitation']),
  // The phase-1 report is due 3 working days after 31/12: Mon 04, Tue 05, Wed 06/01. "3 days before"
  // is Sun 03/01; Sat 02/01 and the 01/01 holiday push it to Thu 31/12.
  police('2026-12-30', ['bao-cao-giai-doan', '2026-gd1', 'reminder']),
  police('2026-12-31', ['giao-ban-antt', '2026-12', 'reminder'], ['bao-cao-giai-doan', '2026-gd1', 'reminder']),
  police('2027-01-04', ['giao-ban-antt', '2026-12', 'minutes-request']),
  police('2027-01-05', ['bao-cao-giai-doan', '2026-gd1', 'reminder']),
  // January's meeting Fri 29/01; minutes due Tue 02/02.
  police('2027-01-26', ['giao-ban-antt', '2027-01', 'invitation']),
  police('2027-01-29', ['giao-ban-antt', '2027-01', 'reminder']),
  police('2027-02-01', ['giao-ban-antt', '2027-01', 'minutes-request']),
  // The Tết report, kept on Tue 09/02: the reminders 1, 3 and 7 days before (08/02, 06/02, 02/02)
  // stay three mails on three working days before Tết (04/02, 03/02, 02/02), not one.
  tet('cong-an-xa', '2027-02-02'),
  tet('cong-an-xa', '2027-02-03'),
  tet('cong-an-xa', '2027-02-04'),
  tet('phong-kt', '2027-02-02'),
  tet('phong-kt', '2027-02-03'),
  tet('phong-kt', '2027-02-04'),
  digest('cong-an-xa', '2027-02-12', item('bao-cao-nhanh-tet', 'cong-an-xa', '2027-02-09', 'overdue')),
  digest('chu-tich', '2027-02-12', item('bao-cao-nhanh-tet', 'cong-an-xa', '2027-02-09', 'escalation:1')),
  // Phase 2 ends Fri 26/02: the villages' work is due then; "5 days before" is Sun 21/02 → Fri 19/02.
  ...bothVillages('2027-02-19', '2026-gd2', 'reminder'),
  ...bothVillages('2027-02-25', '2026-gd2', 'reminder'),
  // February's meeting Fri 26/02; the phase-2 report is due Wed 03/03 (7 days before: 24/02;
  // 3 days before: Sun 28/02 → Fri 26/02; 1 day before: 02/03).
  police('2027-02-23', ['giao-ban-antt', '2027-02', 'invitation']),
  police('2027-02-24', ['bao-cao-giai-doan', '2026-gd2', 'reminder']),
  police('2027-02-26', ['giao-ban-antt', '2027-02', 'reminder'], ['bao-cao-giai-doan', '2026-gd2', 'reminder']),
  police('2027-03-01', ['giao-ban-antt', '2027-02', 'minutes-request']),
  police('2027-03-02', ['bao-cao-giai-doan', '2026-gd2', 'reminder']),
  // March's meeting ("2027-03") Wed 31/03; "3 days before" is Sun 28/03 → Fri 26/03.
  police('2027-03-26', ['giao-ban-antt', '2027-03', 'invitation']),
  police('2027-03-31', ['giao-ban-antt', '2027-03', 'reminder']),
  police('2027-04-01', ['giao-ban-antt', '2027-03', 'minutes-request']),
  // Phase 3 ends Thu 15/04; its report is due 3 working days later past Giỗ Tổ (Fri 16/04): Wed 21/04.
  ...bothVillages('2027-04-09', '2026-gd3', 'reminder'),
  ...bothVillages('2027-04-14', '2026-gd3', 'reminder'),
  police('2027-04-14', ['bao-cao-giai-doan', '2026-gd3', 'reminder']),
  police('2027-04-15', ['bao-cao-giai-doan', '2026-gd3', 'reminder']),
  police('2027-04-20', ['bao-cao-giai-doan', '2026-gd3', 'reminder']),
];

it('runs the Tết campaign across the new year: phase labels, a deadline kept inside Tết, mail only on working days', async () => {
  const plan = await expandPlanFile(FILE);
  expect(plan.period).toEqual({ from: '2026-11-16', to: '2027-04-15' });
  const ref = { planId: plan.planId, year: plan.year };
  const client = rig.server.env.client;
  await startPlan(client, rig.taskQueue, plan);

  // The Tết report's deadline is the end of 09/02 itself, not a working day after Tết.
  const early = await getDutyStatus(client, ref, 'bao-cao-nhanh-tet');
  expect(early.occurrences.map((o) => [o.unitId, o.dueAt])).toEqual([
    ['cong-an-xa', vn('2027-02-10', '00:00')],
    ['phong-kt', vn('2027-02-10', '00:00')],
  ]);
  const phases = await getDutyStatus(client, ref, 'tuyen-truyen', { unitId: 'thon-1' });
  expect(phases.occurrences.map((o) => o.periodLabel)).toEqual([GD1, GD2, GD3]);
  // A duty that is not per phase names the phase its meeting (or deadline) falls in.
  const meetings = await getDutyStatus(client, ref, 'giao-ban-antt');
  expect(meetings.occurrences.map((o) => o.periodLabel)).toEqual([
    'tháng 12/2026 – Giai đoạn 1: Chuẩn bị và tuyên truyền',
    'tháng 1/2027 – Giai đoạn 2: Cao điểm Tết Nguyên đán',
    'tháng 2/2027 – Giai đoạn 2: Cao điểm Tết Nguyên đán',
    'tháng 3/2027 – Giai đoạn 3: Sơ kết, rút kinh nghiệm',
  ]);

  for (const [unitId, dutyId, periodKey, date] of FILINGS) {
    await rig.sleepUntil(vn(date, '10:00'));
    const receipt = await submitReport(client, ref, { dutyId, unitId, periodKey, fields: FIELDS[dutyId] ?? {} });
    expect(receipt.late, `${dutyId} ${unitId} ${periodKey}`).toBe(false);
  }

  const result: PlanYearResult = await client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result();
  expect(result.status).toBe('completed');
  const mailroomId = mailroomWorkflowId(plan.planId, plan.year);
  const mailroom = await client.workflow.getHandle(mailroomId).result();
  expect(mailroom.failedDeliveries).toEqual([]);
  expect(deliveredLines(await deliveryLog(client, mailroomId))).toEqual(expectedLines(EXPECTED));
  expect(receivedMailLines(rig.smtp, (m) => !isYearEndReportMail(m))).toEqual(expectedMailLines(plan, EXPECTED));

  // The report mails itself on the period's last working day (Thu 15/04/2027, 08:00), and again at
  // the next working day's mail time after later filings: those of 15/04 (Fri 16/04 is Giỗ Tổ, so
  // Mon 19/04) and the police's of Wed 21/04 (Thu 22/04).
  const reports = rig.smtp.messages.filter(isYearEndReportMail);
  expect(reports.map((m) => [m.envelope.to.join(','), m.parsed.subject])).toEqual(
    [1, 2, 3].map((version) => ['vanphong@ha-dong.example', `Báo cáo tổng kết 2026–2027, phiên bản ${version}: ${plan.title}`]),
  );
  ['08:00 ngày 15/04/2027', '08:00 ngày 19/04/2027', '08:00 ngày 22/04/2027'].forEach((asOf, index) => {
    expect(reports[index]?.parsed.text, asOf).toContain(asOf);
  });

  // The phase is named in the mail itself.
  const firstVillageMail = rig.smtp.messages.find((m) => m.envelope.to.includes('thon1@ha-dong.example'));
  expect(firstVillageMail?.parsed.text).toContain(GD1);
  const tetReminder = rig.smtp.messages.find((m) => m.envelope.to.includes('kinhte@ha-dong.example'));
  expect(tetReminder?.parsed.text).toContain('ngày 09/02/2027 – Giai đoạn 2: Cao điểm Tết Nguyên đán');

  // And in the year-end report, next to what the police wrote for each phase.
  const loaded = await loadPlanFile(FILE);
  if (!loaded.ok) throw new Error('the example plan is invalid');
  const views = await getPlanStatus(client, ref);
  const { docx } = await buildYearEndReport({ plan: loaded.plan.plan, views, asOf: vn('2027-04-30'), date: '2027-04-30' });
  const paragraphs = paragraphTexts((await readDocx(docx)).document);
  for (const label of [GD1, GD2, GD3]) {
    expect(paragraphs).toContain(`- Báo cáo kết quả bảo đảm an ninh, trật tự sau mỗi giai đoạn (${label}) — Đánh giá kết quả giai đoạn: Hoàn thành các nhiệm vụ của giai đoạn`);
  }
}, 300_000);
