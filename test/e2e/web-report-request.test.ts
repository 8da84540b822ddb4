/**
 * The office's ad-hoc report request on the status page, in Debian's Chromium against the dev
 * server: the ward example a year ahead (so nothing depends on the day the suite runs), a form, a
 * preview with the deadline and units, and only the confirmation sends. A forged or replayed
 * confirmation, a city account and a request with no unit change nothing. The CLI `request` asks a
 * whole group.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { describePlanFile, type CatalogPlan } from '../../operations/plan-catalog';
import { expandPlanFile, getDutyStatus, getPlanView, startPlan } from '../../operations/plan-client';
import { rollPlanForward } from '../../domain/plan/roll-forward';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { createWebApp, OFFICE_USER } from '../../web/server';
import { createKehoachWorker } from '../../worker/create-worker';
import { accountBookWith } from '../support/accounts';
import { servePages, type ServedPages } from '../support/serve-pages';
import { devServer } from '../support/temporal-servers';
import { waitFor } from '../support/wait-for';
import { basicAuth } from '../support/basic-auth';

const SECRET = 'web-request-secret-0123456789abcdef0123456789';
const OFFICE_PASSWORD = 'mat-khau-van-phong-2026';
const CITY_PASSWORD = 'mat-khau-thanh-pho-2026';
const WARD = path.resolve(import.meta.dirname, '../../plans/examples/phuong-le-chan-2026.yaml');

let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let pages: ServedPages | undefined;
let browser: Browser;
let baseUrl: string;
let catalog: CatalogPlan;
let ref: { planId: string; year: number };
let dataDirOfRun: string;

beforeAll(async () => {
  const { address, namespace } = devServer();
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, namespace });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-request-'));
  dataDirOfRun = dataDir;
  const taskQueue = `web-request-${process.pid}`;
  worker = await createKehoachWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    activities: createActivities(buildActivityDeps({ mailFrom: 'kehoach@le-chan.example', publicUrl: 'http://127.0.0.1', dataDir, linkSecret: SECRET })),
  });
  workerRun = worker.run();

  // The ward plan a year ahead, under an id of this run only.
  const year = new Date().getUTCFullYear() + 1;
  const source = readFileSync(WARD, 'utf8').replace('  id: phuong-le-chan-2026', `  id: le-chan-${Date.now()}-2026`);
  const file = path.join(dataDir, `le-chan-${year}.yaml`);
  let text = source;
  for (let target = 2027; target <= year; target += 1) {
    const rolled = rollPlanForward(text, WARD, target, file);
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.problems));
    text = rolled.text;
  }
  writeFileSync(file, text);
  const plan = await expandPlanFile(file);
  ref = { planId: plan.planId, year: plan.year };
  await startPlan(client, taskQueue, plan);
  await waitFor('every duty running', async () => {
    const view = await getPlanView(client, ref).catch(() => undefined);
    return view?.duties.length === plan.duties.length && view.duties.every((duty) => duty.lifecycle === 'running');
  }, { timeoutMs: 60_000, intervalMs: 100 });
  const described = await describePlanFile(file);
  if (!('plan' in described)) throw new Error('the rolled ward plan is invalid');
  catalog = described;

  const accounts = await accountBookWith(dataDir, [
    { name: OFFICE_USER, role: 'office', commune: catalog.communeId, password: OFFICE_PASSWORD },
    { name: 'thanh-pho', role: 'city', password: CITY_PASSWORD },
  ]);
  pages = await servePages((url) => createWebApp({ client, links: createSubmissionLinks(SECRET, url), accounts, plans: [catalog] }));
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  await client?.workflow.getHandle(`kehoach:${ref.planId}:${ref.year}`).terminate('test finished').catch(() => {});
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await nativeConnection?.close();
});

const formPath = () => `/theo-doi/yeu-cau?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}`;

it('previews, then sends on confirmation; the same confirmation again adds nothing', async () => {
  const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD } });
  const page = await context.newPage();
  const officePage = `${baseUrl}/theo-doi?ke-hoach=${encodeURIComponent(ref.planId)}&nam=${ref.year}`;
  // A partner unit's view lists the duties it partners in; the standing and on-request duties are
  // not "done".
  await page.goto(`${officePage}&don-vi=ubmttq`);
  expect(await page.textContent('#phoi-hop')).toContain('Báo cáo kết quả thực hiện dân chủ ở cơ sở của tổ dân phố — đơn vị chủ trì: Tổ dân phố số 1, Tổ dân phố số 2, Tổ dân phố số 3');
  const duties = await page.textContent('#duties');
  expect(duties).toContain('Công khai thông tin tại trụ sở và trên trang thông tin điện tử của phườngthường xuyên, không nhắc việc');
  expect(duties).toContain('kiến nghịtheo yêu cầu, chưa có yêu cầu');
  await page.goto(officePage);
  await page.click('#yeu-cau');
  await page.check('input[name="don-vi"][value="ban-ttnd"]');
  await page.check('input[name="don-vi"][value="tdp-2"]');
  // 25 February of the plan year, written by hand; rolled forward if it is a day off.
  await page.fill('#han', `${ref.year}-02-25`);
  await page.fill('#noi-dung-yeu-cau', 'tình hình tiếp nhận phản ánh');
  await page.click('button:has-text("Xem trước")');
  const preview = await page.textContent('#xac-nhan');
  expect(preview).toContain('Đơn vị được yêu cầu (2): Ban Thanh tra nhân dân phường, Tổ dân phố số 2');
  expect(preview).toMatch(new RegExp(`Hạn nộp: hết ngày \\d{2}/02/${ref.year}`));
  // Nothing is sent by the preview.
  expect((await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences).toEqual([]);

  const token = await page.inputValue('input[name="ma-xac-nhan"]');
  await page.click('button:has-text("Xác nhận gửi yêu cầu")');
  expect(await page.textContent('#da-gui')).toContain('Đã gửi yêu cầu');
  const status = await getDutyStatus(client, ref, 'bc-dot-xuat');
  expect(status.occurrences.map((occ) => [occ.unitId, occ.status, occ.request?.requestedBy])).toEqual([
    ['ban-ttnd', 'pending', OFFICE_USER],
    ['tdp-2', 'pending', OFFICE_USER],
  ]);

  // The same confirmation posted again (a double click, a reload): nothing more.
  const again = await fetch(`${baseUrl}${formPath().replace('/yeu-cau?', '/yeu-cau/xac-nhan?')}`, {
    method: 'POST',
    headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'ma-xac-nhan': token }).toString(),
  });
  expect(again.status).toBe(200);
  expect(await again.text()).toContain('đã được gửi trước đó; không gửi thêm');
  expect((await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences).toHaveLength(2);
  await context.close();
});

it('refuses a forged confirmation, a city account and a request without units, changing nothing', async () => {
  const before = (await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences.length;
  const post = (pathAndQuery: string, user: string, password: string, body: Record<string, string>) =>
    fetch(`${baseUrl}${pathAndQuery}`, {
      method: 'POST',
      headers: { authorization: basicAuth(user, password), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });
  // A well-formed confirmation for a real request, signed with anything but the process's key.
  const sealed = {
    claims: { account: OFFICE_USER, planId: ref.planId, year: ref.year, input: { dutyId: 'bc-dot-xuat', targets: ['tdp-1'], requestId: 'gia-mao' } },
    issuedAt: Date.now(),
    expiresAt: Date.now() + 600_000,
  };
  const forgedToken = `${Buffer.from(JSON.stringify(sealed)).toString('base64url')}.${Buffer.alloc(32).toString('base64url')}`;
  const forged = await post(formPath().replace('/yeu-cau?', '/yeu-cau/xac-nhan?'), OFFICE_USER, OFFICE_PASSWORD, { 'ma-xac-nhan': forgedToken });
  expect(forged.status).toBe(400);
  expect(await forged.text()).toContain('Mã xác nhận không hợp lệ hoặc đã hết hạn');

  const city = await post(formPath(), 'thanh-pho', CITY_PASSWORD, { 'nhiem-vu': 'bc-dot-xuat', 'don-vi': 'tdp-1' });
  expect(city.status).toBe(403);
  expect(await city.text()).toContain('Tài khoản thành phố chỉ xem');

  const empty = await post(formPath(), OFFICE_USER, OFFICE_PASSWORD, { 'nhiem-vu': 'bc-dot-xuat', han: '' });
  expect(empty.status).toBe(400);
  expect(await empty.text()).toContain('Hãy chọn ít nhất một đơn vị hoặc nhóm');

  const stranger = await post(formPath(), OFFICE_USER, OFFICE_PASSWORD, { 'nhiem-vu': 'bc-dot-xuat', 'don-vi': 'van-phong' });
  expect(stranger.status).toBe(400);
  expect(await stranger.text()).toMatch(/van-phong\S* không phải đơn vị hay nhóm có thể được yêu cầu báo cáo/);

  expect((await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences).toHaveLength(before);
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, TEMPORAL_ADDRESS: devServer().address, TEMPORAL_NAMESPACE: devServer().namespace, KEHOACH_DATA_DIR: dataDirOfRun, KEHOACH_LINK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

it('the CLI asks a whole group; a unit the duty may not ask is refused in Vietnamese with exit code 2', async () => {
  const plan = ['--plan', ref.planId, '--year', String(ref.year)];
  const sent = await cli('request', ...plan, '--duty', 'bc-dot-xuat', '--unit', 'to-dan-pho', '--until', `${ref.year}-03-10`, '--id', 'ca-nhom');
  expect(sent.stderr).toBe('');
  expect(sent.stdout).toContain('Đã gửi yêu cầu "ca-nhom"');
  expect(sent.stdout).toContain('3 đơn vị (Tổ dân phố số 1, Tổ dân phố số 2, Tổ dân phố số 3)');
  const keys = (await getDutyStatus(client, ref, 'bc-dot-xuat')).occurrences.filter((occ) => occ.periodKey === 'yc-ca-nhom').map((occ) => occ.unitId);
  expect(keys).toEqual(['tdp-1', 'tdp-2', 'tdp-3']);

  const refused = await cli('request', ...plan, '--duty', 'bc-dot-xuat', '--unit', 'chu-tich');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('"chu-tich" không phải đơn vị hay nhóm có thể được yêu cầu báo cáo');
});
