/**
 * Several communes and years on one deployment, in Chromium against the dev server: a folder with
 * commune A's plans for two years and commune B's for one, read by the same catalog `npm start`
 * uses and started on one worker. A's office sees A's plans only (a picker, the nearest year first)
 * and is refused B's pages and the city's; the city sees the roll-up of both communes, drills down to
 * each commune's page read-only, and has nothing to submit there.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { ensurePlansRunning, readPlanCatalog, type CatalogPlan } from '../../operations/plan-catalog';
import { getPlanStatus, getPlanView, submitReport } from '../../operations/plan-client';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { createWebApp } from '../../web/server';
import { createKehoachWorker } from '../../worker/create-worker';
import { accountBookWith } from '../support/accounts';
import { writeCommunePlan } from '../support/future-plan';
import { devServer } from '../support/temporal-servers';
import { waitFor } from '../support/wait-for';
import { servePages, type ServedPages } from '../support/serve-pages';

const SECRET = 'web-communes-secret-0123456789abcdef012345';
const stamp = Date.now();
const A = { id: `xa-a-${stamp}`, name: 'Phù Ninh', office: 'vp-phu-ninh', password: 'mat-khau-phu-ninh-2026' };
const B = { id: `xa-b-${stamp}`, name: 'An Lão', office: 'vp-an-lao', password: 'mat-khau-an-lao-2026' };
const CITY = { name: 'thanh-pho', password: 'mat-khau-thanh-pho-2026' };
// A year ahead and the one after, so every occurrence lies in the future whatever the day the suite runs.
const NEXT = new Date().getUTCFullYear() + 1;

let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
let plans: CatalogPlan[];
const planOf = (communeId: string, year: number) => {
  const found = plans.find((entry) => entry.communeId === communeId && entry.plan.year === year);
  if (!found) throw new Error(`no plan of ${communeId} for ${year}`);
  return found;
};
/** Items of a commune's plans still awaited whose deadline falls within the next seven days. */
const dueWithinWeek = async (communeId: string): Promise<number> => {
  const nowMs = Date.now();
  let count = 0;
  for (const { plan } of plans.filter((entry) => entry.communeId === communeId)) {
    for (const duty of await getPlanStatus(client, plan)) {
      count += duty.occurrences.filter(
        (o) => ['pending', 'extended'].includes(o.status) && Date.parse(o.dueAt) > nowMs && Date.parse(o.dueAt) <= nowMs + 7 * 24 * 3_600_000,
      ).length;
    }
  }
  return count;
};
const officeUrl = (entry: CatalogPlan) => `${baseUrl}/theo-doi?ke-hoach=${entry.plan.planId}&nam=${entry.plan.year}`;

beforeAll(async () => {
  const { address, namespace } = devServer();
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, namespace });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-communes-'));
  const taskQueue = `web-communes-${process.pid}`;
  worker = await createKehoachWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    activities: createActivities(buildActivityDeps({ mailFrom: 'kehoach@ha-dong.example', publicUrl: 'http://127.0.0.1', dataDir, linkSecret: SECRET })),
  });
  workerRun = worker.run();

  const folder = mkdtempSync(path.join(os.tmpdir(), 'kehoach-communes-plans-'));
  writeCommunePlan(folder, A.id, NEXT, A.name);
  writeCommunePlan(folder, A.id, NEXT + 1, A.name);
  writeCommunePlan(folder, B.id, NEXT, B.name);
  const catalog = await readPlanCatalog({ kind: 'dir', dir: folder }, new Date());
  expect(catalog.invalid).toEqual([]);
  plans = catalog.current;
  expect(plans.map((entry) => `${entry.communeName} ${entry.plan.year}`).sort()).toEqual(
    [`xã An Lão ${NEXT}`, `xã Phù Ninh ${NEXT + 1}`, `xã Phù Ninh ${NEXT}`].sort(),
  );
  // Next year's reports do not take submissions yet; opened now so the roll-up has one to count.
  const opened = plans.map((entry) => ({ ...entry, plan: { ...entry.plan, occurrences: entry.plan.occurrences.map(({ opensAt: _o, ...rest }) => rest) } }));
  await ensurePlansRunning(client, taskQueue, opened);
  for (const { plan } of plans) {
    await waitFor(
      `${plan.planId} started all its duties`,
      async () => {
        const view = await getPlanView(client, plan).catch(() => undefined);
        return view?.duties.length === plan.duties.length && view.duties.every((d) => d.lifecycle !== 'starting');
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
  }
  const a = planOf(A.id, NEXT).plan;
  const report = a.duties.find((d) => d.kind === 'report' && d.fields.every((f) => !f.required || f.type === 'count'));
  const due = a.occurrences.find((o) => o.dutyId === report?.id);
  if (!report || !due) throw new Error('the plan has no report with count fields');
  const fields = Object.fromEntries(report.fields.filter((f) => f.required).map((f) => [f.id, 1]));
  await submitReport(client, a, { dutyId: report.id, unitId: due.unitId, periodKey: due.periodKey, fields });

  const accounts = await accountBookWith(dataDir, [
    { name: A.office, role: 'office', commune: A.id, password: A.password },
    { name: B.office, role: 'office', commune: B.id, password: B.password },
    { name: CITY.name, role: 'city', password: CITY.password },
  ]);
  pages = await servePages((url) => createWebApp({ client, links: createSubmissionLinks(SECRET, url), accounts, plans }));
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  for (const entry of plans ?? []) {
    await client.workflow.getHandle(`kehoach:${entry.plan.planId}:${entry.plan.year}`).terminate('test finished').catch(() => {});
  }
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await nativeConnection?.close();
});

const signedIn = (username: string, password: string): Promise<BrowserContext> => browser.newContext({ httpCredentials: { username, password } });

describe("a commune's office", () => {
  it('sees its own plans only, picks between its two years, and is refused the other commune and the city page', async () => {
    const context = await signedIn(A.office, A.password);
    const page = await context.newPage();
    expect((await page.goto(`${baseUrl}/theo-doi`))?.status()).toBe(200);
    expect(await page.locator('main').textContent()).toContain('xã Phù Ninh');
    expect(await page.locator('main').textContent()).not.toContain('An Lão');
    // The nearest year first and shown; the other year one click away.
    const choices = page.locator('#plans li');
    expect(await choices.count()).toBe(2);
    expect(await choices.nth(0).textContent()).toContain(`Năm ${NEXT}:`);
    expect(await choices.nth(0).locator('[aria-current=page]').count()).toBe(1);
    expect(await page.locator('main > p strong').nth(1).textContent()).toBe(planOf(A.id, NEXT).plan.title);
    await Promise.all([page.waitForNavigation(), choices.nth(1).locator('a').click()]);
    expect(page.url()).toBe(officeUrl(planOf(A.id, NEXT + 1)));
    expect(await page.locator('main > p strong').nth(1).textContent()).toBe(planOf(A.id, NEXT + 1).plan.title);
    expect(await page.locator('#duties tbody tr').count()).toBe(planOf(A.id, NEXT + 1).plan.duties.length);
    // The unit filter keeps the plan chosen.
    await page.selectOption('#don-vi', { index: 1 });
    await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
    expect(page.url()).toContain(`ke-hoach=${planOf(A.id, NEXT + 1).plan.planId}&nam=${NEXT + 1}`);
    await page.screenshot({ path: path.join(os.tmpdir(), 'kehoach-office-picker.png'), fullPage: false });

    for (const url of [officeUrl(planOf(B.id, NEXT)), `${baseUrl}/theo-doi?xa=${B.id}`, `${baseUrl}/theo-doi?ke-hoach=${planOf(B.id, NEXT).plan.planId}`]) {
      const refused = await page.goto(url);
      expect({ url, status: refused?.status() }).toEqual({ url, status: 403 });
      expect(await page.locator('h1').textContent()).toBe('Không có quyền xem');
      expect(await page.locator('main').textContent()).not.toContain('An Lão');
    }
    const report = await page.request.get(`${baseUrl}/theo-doi/bao-cao-tong-ket.docx?ke-hoach=${planOf(B.id, NEXT).plan.planId}&nam=${NEXT}`);
    expect(report.status()).toBe(403);
    expect(report.headers()['content-type']).toContain('text/html');
    const city = await page.goto(`${baseUrl}/thanh-pho`);
    expect(city?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('chỉ dành cho tài khoản thành phố');
    await context.close();

    // B's office likewise sees B and not A.
    const other = await signedIn(B.office, B.password);
    const otherPage = await other.newPage();
    expect((await otherPage.goto(`${baseUrl}/theo-doi`))?.status()).toBe(200);
    expect(await otherPage.locator('main').textContent()).toContain('xã An Lão');
    expect(await otherPage.locator('#plans').count()).toBe(0);
    expect((await otherPage.goto(officeUrl(planOf(A.id, NEXT))))?.status()).toBe(403);
    await other.close();
  });
});

describe('the city', () => {
  it('sees every commune rolled up, drills down to each read-only, and has nothing to submit', async () => {
    const context = await signedIn(CITY.name, CITY.password);
    const page = await context.newPage();
    // Without a commune in mind, the status page leads to the roll-up.
    expect((await page.goto(`${baseUrl}/theo-doi`))?.status()).toBe(200);
    expect(page.url()).toBe(`${baseUrl}/thanh-pho`);
    expect(await page.locator('h1').textContent()).toBe('Tổng hợp thực hiện kế hoạch các xã');
    const row = (name: string) => page.locator('#communes tbody tr', { hasText: name });
    const cells = async (name: string) => (await row(name).locator('td').allTextContents()).map((text) => text.trim());
    // The due-soon column, read with the test's own rule before and after the page was built (an
    // item can only cross the week's edge in between): next year's items fall due within the week
    // only in the last days of December.
    const before = { a: await dueWithinWeek(A.id), b: await dueWithinWeek(B.id) };
    await page.reload();
    const after = { a: await dueWithinWeek(A.id), b: await dueWithinWeek(B.id) };
    const [phuNinh, anLao] = [await cells('xã Phù Ninh'), await cells('xã An Lão')];
    expect(await page.locator('#communes thead th').nth(5).textContent()).toBe('Đến hạn trong 7 ngày tới');
    expect([...phuNinh.slice(0, 5), phuNinh[6]]).toEqual(['xã Phù Ninh', `${NEXT}, ${NEXT + 1}`, '1', '0', '0', '0']);
    expect([...anLao.slice(0, 5), anLao[6]]).toEqual(['xã An Lão', `${NEXT}`, '0', '0', '0', '0']);
    expect(Number(phuNinh[5])).toBeGreaterThanOrEqual(Math.min(before.a, after.a));
    expect(Number(phuNinh[5])).toBeLessThanOrEqual(Math.max(before.a, after.a));
    expect(Number(anLao[5])).toBeGreaterThanOrEqual(Math.min(before.b, after.b));
    expect(Number(anLao[5])).toBeLessThanOrEqual(Math.max(before.b, after.b));
    await page.screenshot({ path: path.join(os.tmpdir(), 'kehoach-city-rollup.png'), fullPage: false });

    await Promise.all([page.waitForNavigation(), row('xã An Lão').locator('a').click()]);
    expect(page.url()).toBe(`${baseUrl}/theo-doi?xa=${B.id}`);
    expect(await page.locator('#read-only').textContent()).toContain('chỉ xem');
    expect(await page.locator('main').textContent()).toContain('xã An Lão');
    expect(await page.locator('#duties tbody tr').count()).toBe(planOf(B.id, NEXT).plan.duties.length);
    // The only form is the unit filter, which reads; the page offers nothing to decide or submit.
    expect(await page.locator('form').count()).toBe(1);
    expect(await page.locator('form[method=post], form:not([method=get])').count()).toBe(0);
    const posted = await page.request.post(`${baseUrl}/theo-doi?xa=${B.id}`, { form: { 'quyet-dinh': 'duyet' } });
    expect(posted.status()).toBe(404);
    expect(await posted.text()).toContain('Không tìm thấy trang');

    await page.goBack();
    await Promise.all([page.waitForNavigation(), row('xã Phù Ninh').locator('a').click()]);
    expect(await page.locator('#plans li').count()).toBe(2);
    expect((await page.goto(officeUrl(planOf(A.id, NEXT + 1))))?.status()).toBe(200);
    await context.close();
  });
});
