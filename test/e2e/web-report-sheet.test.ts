/**
 * The office enters paper reports from a spreadsheet on the web, in Debian's Chromium against the
 * dev server and the default plan a year ahead: the entry sheet downloaded from the page, filled in
 * by openpyxl (another program than the exceljs that writes and reads it), uploaded (on a phone's
 * width), and the duty's records checked. A wrong value or a sheet sent twice is refused by its row and records nothing; a
 * city account, a post without the page's token and a post from another site change nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus } from '../../operations/plan-client';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { OFFICE_USER } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { serveStackPages, type ServedPages } from '../support/serve-pages';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { basicAuth } from '../support/basic-auth';
import { fillXlsx, readXlsx } from '../support/openpyxl';
import { scrollWidth } from '../support/browser';

const SECRET = 'web-report-sheet-secret-0123456789abcdef0123';
const OFFICE_PASSWORD = 'mat-khau-van-phong-2026';
const CITY_USER = 'thanh-pho';
const CITY_PASSWORD = 'mat-khau-thanh-pho-2026';
const DUTY = 'bao-cao-huong-uoc';
const COUNT = 'Số hộ ký cam kết thực hiện quy ước [so-ho-cam-ket]';
const PROPOSAL = 'Đề xuất sửa đổi, bổ sung quy ước [de-xuat-sua-doi]';

let stack: PlanStack;
let client: Client;
let plan: ExpandedPlan;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-web-sheet-'));

beforeAll(async () => {
  stack = await startPlanStack('web-report-sheet', SECRET);
  ({ client, plan } = stack);
  const accounts = await accountBookWith(stack.dataDir, [
    { name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: OFFICE_PASSWORD },
    { name: CITY_USER, role: 'city', password: CITY_PASSWORD },
  ]);
  pages = await serveStackPages(stack, SECRET, { accounts });
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  await stack?.stop();
});

const entryPath = () => `/theo-doi/nhap-bao-cao?ke-hoach=${plan.planId}&nam=${plan.year}&nhiem-vu=${DUTY}`;

async function officePage(width = 1280): Promise<Page> {
  const context = await browser.newContext({
    httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD },
    acceptDownloads: true,
    viewport: { width, height: 900 },
  });
  return context.newPage();
}

/** The duty's reports as the workflow keeps them, by unit, for the sheet's period. */
async function filedOf(periodKey: string) {
  const duty = await getDutyStatus(client, plan, DUTY);
  return new Map(duty.occurrences.filter((o) => o.periodKey === periodKey).map((o) => [o.unitId, o.submission]));
}

async function upload(page: Page, file: string): Promise<void> {
  await page.setInputFiles('#tep', file);
  await page.click('#nop');
  await page.waitForLoadState();
}

describe('entering paper reports from a spreadsheet', () => {
  let template: string;
  let periodKey: string;

  it('downloads the sheet of the reports still awaited from the office page', async () => {
    const page = await officePage();
    await page.goto(`${baseUrl}/theo-doi?ke-hoach=${plan.planId}&nam=${plan.year}`);
    await page.click('#nhap-bao-cao');
    await page.selectOption('#nhiem-vu', DUTY);
    await page.click('#chon-nhiem-vu button');
    await page.waitForLoadState();
    const duty = await getDutyStatus(client, plan, DUTY);
    const open = duty.occurrences.filter((o) => !o.submission && !o.waiver && (o.opensAt === undefined || Date.parse(o.opensAt) <= Date.now()));
    expect(open.length).toBeGreaterThan(2);
    expect(await page.textContent('#con-cho')).toContain(`Còn ${open.length} báo cáo của nhiệm vụ này đang chờ nộp`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#tai-bang')]);
    template = path.join(dir, 'bang-nhap.xlsx');
    await download.saveAs(template);
    const rows = Object.values(readXlsx(template))[0] ?? [];
    const headerAt = rows.findIndex((row) => row.includes('Mã đơn vị [unit]'));
    expect(rows[headerAt]).toEqual(expect.arrayContaining(['Mã kỳ [period]', COUNT, PROPOSAL]));
    expect(rows.slice(headerAt + 1).map((row) => `${row[0]} ${row[2]}`).sort()).toEqual(open.map((o) => `${o.unitId} ${o.periodKey}`).sort());
    periodKey = String(rows[headerAt + 1]?.[2]);
    await page.context().close();
  });

  it('refuses a wrong value by its row and records none of the sheet', async () => {
    const wrong = path.join(dir, 'bang-sai.xlsx');
    fillXlsx(template, wrong, 'Mã đơn vị [unit]', [
      { key: 'tdp-01', header: COUNT, value: 120 },
      { key: 'tdp-02', header: COUNT, value: 'một trăm' },
    ]);
    const page = await officePage();
    await page.goto(`${baseUrl}${entryPath()}`);
    await upload(page, wrong);
    const error = await page.textContent('#loi');
    expect(error).toContain('Chưa nộp được tệp "bang-sai.xlsx", chưa báo cáo nào được ghi');
    expect(error).toMatch(new RegExp(`Dòng \\d+ \\(đơn vị tdp-02, kỳ ${periodKey}\\): `));
    const filed = await filedOf(periodKey);
    expect(filed.get('tdp-01')).toBeUndefined();
    expect(filed.get('tdp-02')).toBeUndefined();
    await page.context().close();
  });

  it('records the filled rows with the office as their enterer, and refuses the same sheet sent again by its row', async () => {
    const filled = path.join(dir, 'bang-da-dien.xlsx');
    fillXlsx(template, filled, 'Mã đơn vị [unit]', [
      { key: 'tdp-01', header: COUNT, value: 120 },
      { key: 'tdp-03', header: COUNT, value: '1.300' },
      { key: 'tdp-03', header: PROPOSAL, value: 'Không' },
    ]);
    // On a phone's width: the result's table becomes cards, nothing scrolls sideways.
    const page = await officePage(390);
    await page.goto(`${baseUrl}${entryPath()}`);
    await upload(page, filled);
    const done = await page.textContent('#ket-qua');
    const widths = await scrollWidth(page);
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
    expect(done).toContain('Đã nhận 2 báo cáo');
    const filed = await filedOf(periodKey);
    expect(filed.get('tdp-01')).toMatchObject({ fields: { 'so-ho-cam-ket': 120 }, submittedBy: OFFICE_USER });
    expect(filed.get('tdp-03')).toMatchObject({ fields: { 'so-ho-cam-ket': 1300, 'de-xuat-sua-doi': 'Không' }, submittedBy: OFFICE_USER });
    expect(done).toContain(filed.get('tdp-01')?.reference);
    expect(done).toContain(filed.get('tdp-03')?.reference);
    // Those two are no longer awaited.
    expect(await page.textContent('#con-cho')).toMatch(/Còn \d+ báo cáo/);

    await upload(page, filled);
    const again = await page.textContent('#loi');
    expect(again).toMatch(new RegExp(`Dòng \\d+ \\(đơn vị tdp-01, kỳ ${periodKey}\\): Báo cáo thứ 1 của lượt nộp: .*đã được nộp`));
    expect((await filedOf(periodKey)).get('tdp-01')?.reference).toBe(filed.get('tdp-01')?.reference);
    await page.context().close();
  });

  it('refuses the city, a post without the page token and a post from another site, changing nothing', async () => {
    const city = await fetch(`${baseUrl}${entryPath()}`, { headers: { authorization: basicAuth(CITY_USER, CITY_PASSWORD) } });
    expect(city.status).toBe(403);
    expect(await city.text()).toContain('Tài khoản thành phố chỉ xem');

    const sheet = path.join(dir, 'bang-gia.xlsx');
    fillXlsx(template, sheet, 'Mã đơn vị [unit]', [{ key: 'tdp-04', header: COUNT, value: 77 }]);
    const post = (token: string, headers: Record<string, string> = {}) => {
      const form = new FormData();
      form.set('xac-nhan', token);
      form.set('tep', new Blob([readFileSync(sheet)]), 'bang-gia.xlsx');
      return fetch(`${baseUrl}${entryPath()}`, { method: 'POST', body: form, headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD), ...headers } });
    };
    const noToken = await post('');
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Trang nhập đã hết hạn hoặc không phải do hệ thống cấp');
    const pageHtml = await (await fetch(`${baseUrl}${entryPath()}`, { headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD) } })).text();
    const token = /name="xac-nhan" value="([^"]+)"/.exec(pageHtml)?.[1] ?? '';
    expect(token).not.toBe('');
    const otherSite = await post(token, { 'sec-fetch-site': 'cross-site' });
    expect(otherSite.status).toBe(403);
    const badOrigin = await post(token, { origin: 'not a url' });
    expect(badOrigin.status).toBe(403);
    expect((await filedOf(periodKey)).get('tdp-04')).toBeUndefined();
    // The same post with the page's token is taken.
    const taken = await post(token);
    expect(taken.status).toBe(200);
    expect((await filedOf(periodKey)).get('tdp-04')).toMatchObject({ fields: { 'so-ho-cam-ket': 77 } });
  });

  it("gives one period's sheet when asked, an empty one for a period with nothing awaited", async () => {
    const sheetOf = async (query: string) => {
      const response = await fetch(`${baseUrl}${entryPath().replace('/nhap-bao-cao?', '/nhap-bao-cao/bang-nhap.xlsx?')}${query}`, {
        headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD) },
      });
      expect(response.status).toBe(200);
      const file = path.join(dir, `tai-${Math.random().toString(36).slice(2)}.xlsx`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const rows = Object.values(readXlsx(file))[0] ?? [];
      const headerAt = rows.findIndex((row) => row.includes('Mã đơn vị [unit]'));
      return rows.slice(headerAt + 1).map((row) => `${row[0]} ${row[2]}`);
    };
    const duty = await getDutyStatus(client, plan, DUTY);
    const awaited = duty.occurrences.filter((o) => o.periodKey === periodKey && !o.submission && !o.waiver).map((o) => `${o.unitId} ${o.periodKey}`);
    expect((await sheetOf(`&ky=${periodKey}`)).sort()).toEqual(awaited.sort());
    expect(await sheetOf('&ky=1999-01')).toEqual([]);
    // A period named twice is not one period: the whole sheet, never an error page.
    expect((await sheetOf(`&ky=${periodKey}&ky=1999-01`)).length).toBeGreaterThanOrEqual(awaited.length);
  });
});
