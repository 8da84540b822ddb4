/**
 * The school-year example (plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml) from 01/09/2026 to
 * its close on the time-skipping server: one plan, one calendar per year it touches, two semesters
 * as phases, quarter selectors resolved in the right year.
 *
 * The expected mail of the duties below is written out from the plan text and the calendar, not
 * computed by the expander (mail at 07:30; 01–02/09/2026 and 01/01/2027 are days off). Every
 * occurrence is filed at 10:00 on its deadline day, except the semester-II report of the social
 * sciences team, which is never filed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expandPlanFile, getDutyStatus, startPlan, submitReport } from '../../operations/plan-client';
import { localDateOf } from '../../domain/calendar';
import { mailroomWorkflowId, planWorkflowId } from '../../domain/keys/workflow-ids';
import type { PlanYearResult } from '../../workflows/types';
import { deliveryLog } from './delivery-log';
import { createRig, type Rig } from './rig';

const FILE = 'plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml';
const NEVER_FILED = 'bao-cao-hoc-ky:to-khxh:2026-hk2';
const TEAMS = ['to-khtn', 'to-khxh', 'to-van-phong'];

const vn = (date: string, time = '07:30') => new Date(`${date}T${time}:00+07:00`).toISOString();

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-09-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

/** "localDate recipient itemId" for one mail item. */
const line = (date: string, recipient: string, occurrence: string, kind: string, withTime = true) =>
  `${date} ${recipient} ${occurrence}:${kind}${withTime ? `:${vn(date)}` : ''}`;
const reminders = (recipient: string, occurrence: string, dates: string[]) => dates.map((date) => line(date, recipient, occurrence, 'reminder'));

const EXPECTED = [
  // Posting due Wed 30/09: 1 day before 29/09; 3 days before Sun 27/09 → Fri 25/09; 7 days before 23/09.
  ...reminders('to-van-phong', 'cong-khai-ke-hoach-nam-hoc:to-van-phong:2026-09-30', ['2026-09-23', '2026-09-25', '2026-09-29']),
  // Staff conference Fri 16/10 07:30: invitation a week before, reminder the day before, minutes
  // requested the next working day (Mon 19/10), due 5 working days after (Fri 23/10).
  line('2026-10-09', 'hieu-truong', 'hoi-nghi-vien-chuc:hieu-truong:2026-10-16', 'invitation'),
  line('2026-10-15', 'hieu-truong', 'hoi-nghi-vien-chuc:hieu-truong:2026-10-16', 'reminder'),
  line('2026-10-19', 'hieu-truong', 'hoi-nghi-vien-chuc:hieu-truong:2026-10-16', 'minutes-request'),
  // "Q4" is quarter IV of 2026, due Fri 08/01/2027 (5 working days past 01/01): 7 days before is the
  // 01/01 holiday → Thu 31/12.
  ...reminders('ban-ttnd', 'giam-sat-quy:ban-ttnd:2026-Q4', ['2026-12-31', '2027-01-05', '2027-01-07']),
  // "Q1" is quarter I of 2027, due Wed 07/04: 3 days before is Sun 04/04 → Fri 02/04.
  ...reminders('ban-ttnd', 'giam-sat-quy:ban-ttnd:2027-Q1', ['2027-03-31', '2027-04-02', '2027-04-06']),
  // Semester I ends Fri 15/01/2027; its report is due Fri 22/01.
  ...TEAMS.flatMap((team) => reminders(team, `bao-cao-hoc-ky:${team}:2026-hk1`, ['2027-01-15', '2027-01-19', '2027-01-21'])),
  // Dialogue Thu 25/03 14:00, minutes due Tue 30/03: the reminder before the meeting is the invitation,
  // the ones after it ask for the minutes (3 days before: Sat 27/03 → Fri 26/03).
  line('2027-03-23', 'hieu-truong', 'doi-thoai:hieu-truong:2027-03-25', 'invitation'),
  line('2027-03-26', 'hieu-truong', 'doi-thoai:hieu-truong:2027-03-25', 'minutes-request'),
  line('2027-03-29', 'hieu-truong', 'doi-thoai:hieu-truong:2027-03-25', 'minutes-request'),
  // Semester II ends Mon 31/05; its report is due Mon 07/06. 1 day before is Sun 06/06 → Fri 04/06;
  // 3 days before is Fri 04/06 too, so it goes out the working day before, Thu 03/06.
  ...TEAMS.flatMap((team) => reminders(team, `bao-cao-hoc-ky:${team}:2026-hk2`, ['2027-05-31', '2027-06-03', '2027-06-04'])),
  line('2027-06-08', 'to-khxh', NEVER_FILED, 'overdue', false),
  line('2027-06-08', 'pho-hieu-truong', NEVER_FILED, 'escalation:1', false),
  line('2027-06-10', 'hieu-truong', NEVER_FILED, 'escalation:2', false),
].sort();

const CHECKED = ['cong-khai-ke-hoach-nam-hoc', 'hoi-nghi-vien-chuc', 'giam-sat-quy', 'bao-cao-hoc-ky', 'doi-thoai'];

it('runs the school year 2026–2027 as one plan: semesters as phases, quarters in the right year, mail on working days', async () => {
  const plan = await expandPlanFile(FILE);
  expect(plan.year).toBe(2026);
  expect(plan.period).toEqual({ from: '2026-09-01', to: '2027-05-31' });
  const ref = { planId: plan.planId, year: plan.year };
  const client = rig.server.env.client;
  await startPlan(client, rig.taskQueue, plan);

  const semesters = await getDutyStatus(client, ref, 'bao-cao-hoc-ky', { unitId: 'to-khtn' });
  expect(semesters.occurrences.map((o) => o.periodLabel)).toEqual(['Học kỳ I (01/09/2026–15/01/2027)', 'Học kỳ II (18/01/2027–31/05/2027)']);
  const meetings = await getDutyStatus(client, ref, 'giao-ban-thang', { unitId: 'to-khtn' });
  expect(meetings.occurrences.map((o) => o.periodKey)).toEqual([
    '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05',
  ]);

  // The script files at 10:00 on each deadline day (taken from the schedule: it is the script, not the oracle).
  const filings = plan.occurrences
    .filter((o) => o.key !== NEVER_FILED)
    .map((o) => ({ o, at: vn(localDateOf(new Date(Date.parse(o.dueAt) - 1).toISOString(), plan.timeZone), '10:00') }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const fields = (dutyId: string): Record<string, string | number> =>
    Object.fromEntries((plan.duties.find((d) => d.id === dutyId)?.fields ?? []).map((f) => [f.id, f.type === 'text' ? 'Đã thực hiện' : 1]));
  for (const { o, at } of filings) {
    await rig.sleepUntil(at);
    const receipt = await submitReport(client, ref, { dutyId: o.dutyId, unitId: o.unitId, periodKey: o.periodKey, fields: fields(o.dutyId) });
    expect(receipt.late, o.key).toBe(false);
  }

  const result: PlanYearResult = await client.workflow.getHandle(planWorkflowId(plan.planId, plan.year)).result();
  expect(result.status).toBe('completed');
  const deliveries = await deliveryLog(client, mailroomWorkflowId(plan.planId, plan.year));
  const sent = deliveries.filter((d) => d.outcome === 'sent');
  const items = sent
    .flatMap((d) => d.itemIds.map((id) => `${d.localDate} ${d.recipientUnitId} ${id}`))
    .filter((entry) => CHECKED.some((duty) => entry.split(' ')[2]?.startsWith(`${duty}:`)))
    .sort();
  expect(items).toEqual(EXPECTED);
  // Nothing is mailed before the school year starts, nor on a day off of either year.
  const daysOff = new Set(['2026-09-01', '2026-09-02', '2026-11-24', '2027-01-01', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-04-16', '2027-04-30', '2027-05-03']);
  for (const d of sent) {
    const weekday = new Date(`${d.localDate}T12:00:00Z`).getUTCDay();
    expect(d.localDate >= '2026-09-03' && weekday !== 0 && weekday !== 6 && !daysOff.has(d.localDate), d.localDate).toBe(true);
  }
}, 600_000);
