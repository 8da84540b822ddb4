/**
 * The run-time CLI end to end on the dev server: a plan with problems starts nothing, `start` twice
 * starts once, `status`, `submit` (accepted, and refused for a unit the duty is not assigned to),
 * `submit-many` (a malformed list, a bad value and a report already in refused whole, then two at once),
 * search attributes visible to `workflow list`, `extend` asked and approved, `amend` removing a
 * duty, then `cancel`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { createKehoachWorker } from '../../worker/create-worker';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { planWorkflowId } from '../../domain/keys/workflow-ids';
import { planQuery } from '../../workflows/messages';
import type { DutyStatusView } from '../../workflows/types';
import { writeFuturePlan } from '../support/future-plan';
import { devServer } from '../support/temporal-servers';
import { fillXlsx, readXlsx, writeXlsx } from '../support/openpyxl';
import { waitFor } from '../support/wait-for';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const taskQueue = `kehoach-e2e-${process.pid}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-e2e-'));
// The real plan a year ahead, so every deadline below lies in the future whatever the date today.
const { file: planFile, year: YEAR, planId: PLAN_ID } = writeFuturePlan(dataDir, 'ha-dong-e2e');
const Y = String(YEAR);
const badPlanFile = path.join(dataDir, 'bad-plan.yaml');
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;
let client: Client;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: devServer().address,
      TEMPORAL_NAMESPACE: devServer().namespace,
      KEHOACH_TASK_QUEUE: taskQueue,
      KEHOACH_DATA_DIR: dataDir,
      KEHOACH_LINK_SECRET: 'e2e-khoa-bi-mat-du-dai-ba-muoi-hai-ky-tu',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  const plan = readFileSync(planFile, 'utf8');
  const bad = plan.replace(new RegExp(`^ {2}year: ${YEAR}$`, 'm'), '  year: hai-nghìn');
  expect(bad).not.toBe(plan);
  writeFileSync(badPlanFile, bad);

  nativeConnection = await NativeConnection.connect({ address: devServer().address });
  worker = await createKehoachWorker({
    connection: nativeConnection,
    namespace: devServer().namespace,
    taskQueue,
    activities: createActivities(
      buildActivityDeps({
        mailFrom: 'Kế hoạch <kehoach@ha-dong.example>',
        publicUrl: 'http://127.0.0.1:8080',
        dataDir,
        linkSecret: 'e2e-khoa-bi-mat-du-dai-ba-muoi-hai-ky-tu',
      }),
    ),
  });
  running = worker.run();
  client = new Client({ connection: await Connection.connect({ address: devServer().address }), namespace: devServer().namespace });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await client?.connection.close();
  await nativeConnection?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('refuses to start a plan with problems and starts nothing', async () => {
  const result = await cli('start', badPlanFile);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('chưa khởi chạy gì');
  expect(result.stderr).toContain('bad-plan.yaml');
  await expect(client.workflow.getHandle(planWorkflowId(PLAN_ID, YEAR)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

it('starts, reports status, takes a submission, refuses another unit, finds work by search attributes, cancels', async () => {
  const first = await cli('start', planFile);
  expect(first.stderr).toBe('');
  expect(first.stdout).toContain('Đã khởi chạy kế hoạch');
  const second = await cli('start', planFile);
  expect(second.stdout).toContain('đã đang chạy; không khởi chạy thêm');

  // The plan workflow starts its duty children right after `start` returns: until this one runs,
  // asking for it answers that it is not found.
  const views = await waitFor(
    'duty bao-cao-huong-uoc running',
    async () => {
      const status = await cli('status', '--plan', PLAN_ID, '--year', Y, '--unit', 'tdp-01', '--duty', 'bao-cao-huong-uoc', '--json');
      if (status.code !== 0 && status.stderr.includes('không tìm thấy')) return undefined;
      expect(status.code, status.stderr).toBe(0);
      const parsed = JSON.parse(status.stdout) as DutyStatusView[];
      return parsed.length > 0 ? parsed : undefined;
    },
    { timeoutMs: 60_000 },
  );
  const occurrence = views[0]?.occurrences[0];
  expect(occurrence?.unitId).toBe('tdp-01');

  // What falls due within a week: the awaited items whose deadline lies in the next seven days.
  const before = Date.now();
  const all = JSON.parse((await cli('status', '--plan', PLAN_ID, '--year', Y, '--json')).stdout) as DutyStatusView[];
  const soonViews = JSON.parse((await cli('status', '--plan', PLAN_ID, '--year', Y, '--due-soon', '--json')).stdout) as DutyStatusView[];
  const soonText = await cli('status', '--plan', PLAN_ID, '--year', Y, '--due-soon');
  const after = Date.now();
  const WEEK_MS = 7 * 24 * 3_600_000;
  const soonKeys = new Set(soonViews.flatMap((view) => view.occurrences.map((o) => o.key)));
  const stillAwaited = all.flatMap((view) => view.occurrences).filter((o) => o.status === 'pending' || o.status === 'extended');
  // Items at the window's edges while the commands ran may go either way; every other one is decided.
  const surelyIn = stillAwaited.filter((o) => Date.parse(o.dueAt) > after && Date.parse(o.dueAt) <= before + WEEK_MS);
  const surelyOut = all.flatMap((view) => view.occurrences).filter((o) => !stillAwaited.includes(o) || Date.parse(o.dueAt) <= before || Date.parse(o.dueAt) > after + WEEK_MS);
  expect(surelyOut.some((o) => o.status === 'pending')).toBe(true);
  expect(surelyIn.filter((o) => !soonKeys.has(o.key))).toEqual([]);
  expect(surelyOut.filter((o) => soonKeys.has(o.key))).toEqual([]);
  expect(soonText.code, soonText.stderr).toBe(0);
  if (soonKeys.size === 0) expect(soonText.stdout).toContain('Không có việc nào đến hạn trong 7 ngày tới.');
  else expect(soonText.stdout).not.toContain('Không có việc nào');

  // Field values are read as the web form reads them: every bad one named at once, nothing sent.
  const badNumbers = await cli(
    'submit', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--unit', 'tdp-01',
    '--period', occurrence?.periodKey as string, '--field', 'so-ho-cam-ket=-5', '--field', 'vi-pham=1,5',
  );
  expect(badNumbers.code).toBe(2);
  expect(badNumbers.stderr).toContain('Trường "Số hộ ký cam kết thực hiện quy ước" phải là số nguyên không âm (ví dụ 1.000), nhận được "-5".');
  expect(badNumbers.stderr).toContain('Trường "Số trường hợp vi phạm quy ước" phải là số nguyên không âm (ví dụ 1.000), nhận được "1,5".');

  const submitted = await cli(
    'submit', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--unit', 'tdp-01',
    '--period', occurrence?.periodKey as string, '--field', 'so-ho-cam-ket=1.200', '--field', 'de-xuat-sua-doi=Không',
  );
  expect(submitted.stderr).toBe('');
  expect(submitted.stdout).toContain(`Số tiếp nhận: ${YEAR}/BAO-CAO-HUONG-UOC/0001`);
  const recorded = JSON.parse(
    (await cli('status', '--plan', PLAN_ID, '--year', Y, '--unit', 'tdp-01', '--duty', 'bao-cao-huong-uoc', '--json')).stdout,
  ) as DutyStatusView[];
  expect(recorded[0]?.occurrences.find((o) => o.periodKey === occurrence?.periodKey)?.submission?.fields).toEqual({
    'so-ho-cam-ket': 1200,
    'de-xuat-sua-doi': 'Không',
  });

  const refused = await cli(
    'submit', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--unit', 'ubmttq',
    '--period', occurrence?.periodKey as string, '--field', 'so-ho-cam-ket=1',
  );
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('không được giao nhiệm vụ');

  // Several units' paper reports at once: every problem of the file named, nothing recorded; then all, in order.
  const listFile = path.join(dataDir, 'bao-cao-giay.json');
  const entry = (unit: string, fields: Record<string, unknown>) => ({ unit, period: occurrence?.periodKey, fields });
  writeFileSync(listFile, JSON.stringify([entry('tdp-02', { 'so-ho-cam-ket': '900' }), { period: 'x', fields: {} }]));
  const malformed = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', listFile);
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).toContain(`báo cáo thứ 2 trong tệp "${listFile}" thiếu "unit" (mã đơn vị nộp)`);
  writeFileSync(listFile, JSON.stringify([entry('tdp-02', { 'so-ho-cam-ket': '900' }), entry('tdp-03', { 'so-ho-cam-ket': '-1' }), entry('tdp-01', { 'so-ho-cam-ket': '5' })]));
  const badValue = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', listFile);
  expect(badValue.code).toBe(2);
  expect(badValue.stderr).toContain(`Báo cáo thứ 2 (đơn vị tdp-03, kỳ ${occurrence?.periodKey}): Trường "Số hộ ký cam kết thực hiện quy ước" phải là số nguyên không âm`);
  writeFileSync(listFile, JSON.stringify([entry('tdp-02', { 'so-ho-cam-ket': '900' }), entry('tdp-01', { 'so-ho-cam-ket': '5' })]));
  const alreadyIn = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', listFile);
  expect(alreadyIn.code).toBe(2);
  expect(alreadyIn.stderr).toContain('Báo cáo thứ 2 của lượt nộp:');
  expect(alreadyIn.stderr).toContain('Chưa báo cáo nào của lượt này được ghi nhận.');
  writeFileSync(listFile, JSON.stringify([entry('tdp-03', { 'so-ho-cam-ket': '310' }), entry('tdp-02', { 'so-ho-cam-ket': '1.050' })]));
  const many = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', listFile, '--by', 'Văn phòng UBND xã');
  expect(many.stderr).toBe('');
  expect(many.stdout).toContain('Đã nhận 2 báo cáo:');
  expect(many.stdout).toContain(`1. Đơn vị tdp-03, kỳ ${occurrence?.periodKey}: số tiếp nhận ${YEAR}/BAO-CAO-HUONG-UOC/0002`);
  expect(many.stdout).toContain(`2. Đơn vị tdp-02, kỳ ${occurrence?.periodKey}: số tiếp nhận ${YEAR}/BAO-CAO-HUONG-UOC/0003`);
  const byUnit = JSON.parse((await cli('status', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--json')).stdout) as DutyStatusView[];
  const filed = (unit: string) => byUnit[0]?.occurrences.find((o) => o.unitId === unit && o.periodKey === occurrence?.periodKey)?.submission;
  expect(filed('tdp-02')).toMatchObject({ fields: { 'so-ho-cam-ket': 1050 }, submittedBy: 'Văn phòng UBND xã' });
  expect(filed('tdp-03')?.fields).toEqual({ 'so-ho-cam-ket': 310 });

  // The same by spreadsheet: a template of the reports still awaited, filled in by hand, read back.
  const sheetPeriod = occurrence?.periodKey as string;
  const template = path.join(dataDir, 'bang-nhap.xlsx');
  const made = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--template', template, '--period', sheetPeriod);
  expect(made.stderr).toBe('');
  const sheet = Object.values(readXlsx(template))[0] ?? [];
  const headerAt = sheet.findIndex((row) => row.includes('Mã đơn vị [unit]'));
  expect(sheet[headerAt]).toEqual(expect.arrayContaining(['Mã kỳ [period]', 'Số hộ ký cam kết thực hiện quy ước [so-ho-cam-ket]']));
  const awaited = byUnit[0]?.occurrences.filter((o) => o.periodKey === sheetPeriod && !o.submission && !o.waiver).map((o) => o.unitId) ?? [];
  expect(sheet.slice(headerAt + 1).map((row) => row[0])).toEqual(awaited);
  expect(awaited).not.toContain('tdp-02');
  expect(made.stdout).toContain(`Đã lập bảng nhập ${awaited.length} báo cáo còn chờ nộp`);
  const filled = path.join(dataDir, 'bang-nhap-da-dien.xlsx');
  const countColumn = 'Số hộ ký cam kết thực hiện quy ước [so-ho-cam-ket]';
  fillXlsx(template, filled, 'Mã đơn vị [unit]', [
    { key: 'tdp-04', header: countColumn, value: 120 },
    { key: 'tdp-05', header: countColumn, value: '1.300' },
    { key: 'tdp-05', header: 'Đề xuất sửa đổi, bổ sung quy ước [de-xuat-sua-doi]', value: 'Không' },
  ]);
  const fromSheet = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', filled);
  expect(fromSheet.stderr).toBe('');
  expect(fromSheet.stdout).toContain('Đã nhận 2 báo cáo:');
  expect(fromSheet.stdout).toContain(`1. Đơn vị tdp-04, kỳ ${sheetPeriod}: số tiếp nhận ${YEAR}/BAO-CAO-HUONG-UOC/0004`);
  const afterSheet = JSON.parse((await cli('status', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--json')).stdout) as DutyStatusView[];
  const sheetFiled = (unit: string) => afterSheet[0]?.occurrences.find((o) => o.unitId === unit && o.periodKey === sheetPeriod)?.submission?.fields;
  expect(sheetFiled('tdp-04')).toEqual({ 'so-ho-cam-ket': 120 });
  expect(sheetFiled('tdp-05')).toEqual({ 'so-ho-cam-ket': 1300, 'de-xuat-sua-doi': 'Không' });
  const stranger = path.join(dataDir, 'bang-khac.xlsx');
  writeXlsx(stranger, [['Đơn vị', 'Số hộ'], ['tdp-06', 5]]);
  const notOurs = await cli('submit-many', '--plan', PLAN_ID, '--year', Y, '--duty', 'bao-cao-huong-uoc', '--file', stranger);
  expect(notOurs.code).toBe(2);
  expect(notOurs.stderr).toContain(`bảng tính "${stranger}" không có dòng tiêu đề với cột "Mã đơn vị [unit]"`);

  const text = await cli('status', '--plan', PLAN_ID, '--year', Y, '--unit', 'tdp-01', '--duty', 'bao-cao-huong-uoc');
  expect(text.stdout).toContain(`số tiếp nhận ${YEAR}/BAO-CAO-HUONG-UOC/0001`);

  const query = `KehoachPlan = '${PLAN_ID}' AND KehoachDuty = 'bao-cao-huong-uoc' AND KehoachUnits = 'tdp-01'`;
  const found = await waitFor('the duty listed by its search attributes', async () => {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids.length > 0 ? ids : undefined;
  });
  expect(found).toEqual([`${planWorkflowId(PLAN_ID, YEAR)}:duty:bao-cao-huong-uoc`]);

  // A unit asks for more time, the office approves: the deadline in force moves.
  const period = ['--plan', PLAN_ID, '--year', Y, '--duty', 'hoi-nghi-tdp', '--unit', 'tdp-01', '--period', `${YEAR}-Y`];
  const asked = await cli('extend', ...period, '--until', `${YEAR}-12-28`, '--reason', 'Tổ dân phố tổ chức hội nghị muộn do mưa bão');
  expect(asked.code, asked.stderr).toBe(0);
  const approved = await cli('extend', ...period, '--approve', '--note', 'Đồng ý');
  expect(approved.code, approved.stderr).toBe(0);
  const extendedView = JSON.parse(
    (await cli('status', '--plan', PLAN_ID, '--year', Y, '--unit', 'tdp-01', '--duty', 'hoi-nghi-tdp', '--json')).stdout,
  ) as DutyStatusView[];
  const extended = extendedView[0]?.occurrences.find((o) => o.periodKey === `${YEAR}-Y`);
  expect(extended?.status).toBe('extended');
  expect(extended?.dueAt).toBe(`${YEAR}-12-28T17:00:00.000Z`);

  // The administrator removes a duty from the plan file and amends the running plan.
  const document = parseDocument(readFileSync(planFile, 'utf8'));
  const duties = document.get('duties') as YAMLSeq<YAMLMap>;
  const index = duties.items.findIndex((item) => item.get('id') === 'de-xuat-khen-thuong-dccs');
  expect(index).toBeGreaterThanOrEqual(0);
  duties.delete(index);
  const amendedFile = path.join(dataDir, 'amended-plan.yaml');
  writeFileSync(amendedFile, document.toString());
  const amended = await cli('amend', amendedFile);
  expect(amended.code, amended.stderr).toBe(0);
  const lifecycle = await waitFor('the removed duty marked removed', async () => {
    const view = await client.workflow.getHandle(planWorkflowId(PLAN_ID, YEAR)).query(planQuery);
    const current = view.duties.find((d) => d.dutyId === 'de-xuat-khen-thuong-dccs')?.lifecycle;
    return current === 'removed' ? current : undefined;
  });
  expect(lifecycle).toBe('removed');

  const cancelled = await cli('cancel', '--plan', PLAN_ID, '--year', Y);
  expect(cancelled.stdout).toContain('Đã yêu cầu hủy kế hoạch');
  const result = await client.workflow.getHandle(planWorkflowId(PLAN_ID, YEAR)).result();
  expect(result.status).toBe('cancelled');
});
