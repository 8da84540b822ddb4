/**
 * The web pages in a real browser (Debian's Chromium driven by playwright-core) against the dev
 * server. A unit opens the link from its email, fills in the report and submits it; the duty
 * workflow records it. A forged link and a malformed number are refused with a Vietnamese
 * explanation and change nothing. The supervising office, behind its password, sees every duty,
 * the submission and one unit's items.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import JSZip from 'jszip';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus } from '../../client/plan-client';
import { createSubmissionLinks, type SubmissionClaims } from '../../domain/links';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { freePort } from '../../provision/free-port';
import { createWebApp, OFFICE_USER } from '../../web/server';
import { type PlanStack, startPlanStack } from '../support/plan-stack';

const SECRET = 'web-e2e-secret-0123456789abcdef0123456789';
const OFFICE_PASSWORD = 'mat-khau-theo-doi-2026';

let stack: PlanStack;
let client: Client;
let web: Awaited<ReturnType<typeof createWebApp>>;
let baseUrl: string;
let browser: Browser;
let plan: ExpandedPlan;
let planFile: string;
let target: Occurrence;
const links = () => createSubmissionLinks(SECRET, baseUrl);

beforeAll(async () => {
  stack = await startPlanStack('web-e2e', SECRET);
  ({ client, plan, planFile } = stack);
  const now = Date.now();
  const withNumberField = new Set(plan.duties.filter((d) => d.fields.some((f) => f.type === 'number')).map((d) => d.id));
  const open = plan.occurrences.find((o) => withNumberField.has(o.dutyId) && Date.parse(o.dueAt) > now + 86_400_000);
  if (!open) throw new Error('the default plan has no report with a number field still open: pick another fixture');
  target = open;

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  web = await createWebApp({ client, links: links(), officePassword: OFFICE_PASSWORD, planFile });
  await web.listen({ host: '127.0.0.1', port });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await stack?.stop();
});

function claimsFor(occurrence: Occurrence): SubmissionClaims {
  return { planId: plan.planId, year: plan.year, occurrenceKey: occurrence.key, unitId: occurrence.unitId };
}

async function unitStatus(occurrence: Occurrence) {
  const duty = await getDutyStatus(client, plan, occurrence.dutyId, { unitId: occurrence.unitId });
  return duty.occurrences.find((o) => o.key === occurrence.key);
}

describe('submission page', () => {
  it('refuses a forged link before asking anything of the workflow', async () => {
    const page = await browser.newPage();
    const genuine = links().linkFor(claimsFor(target));
    const forged = genuine.slice(0, -3) + (genuine.endsWith('AAA') ? 'BBB' : 'AAA');
    const response = await page.goto(forged);
    expect(response?.status()).toBe(400);
    await expect(page.locator('h1').textContent()).resolves.toBe('Đường dẫn không hợp lệ');
    expect(await page.locator('[role=alert]').textContent()).toContain('chữ ký không khớp');
    await page.close();
  });

  it('explains a malformed number and keeps what was typed, recording nothing', async () => {
    const page = await browser.newPage();
    await page.goto(links().linkFor(claimsFor(target)));
    const duty = plan.duties.find((d) => d.id === target.dutyId);
    const numberField = duty?.fields.find((f) => f.type === 'number');
    if (!numberField) throw new Error('target duty lost its number field');
    await page.fill(`#field_${numberField.id}`, 'mười hai');
    // Get past the browser's own check of required fields, to reach the server's.
    await page.locator('[required]').evaluateAll((elements) =>
      elements.forEach((element) => (element as { removeAttribute(name: string): void }).removeAttribute('required')),
    );
    await page.click('button[type=submit]');
    expect(await page.locator('[role=alert]').textContent()).toContain(`Mục "${numberField.label}" phải là một số`);
    expect(await page.inputValue(`#field_${numberField.id}`)).toBe('mười hai');
    expect((await unitStatus(target))?.submission).toBeUndefined();
    await page.close();
  });

  it('shows the duty, takes the report and returns a receipt the workflow agrees with', async () => {
    const page = await browser.newPage();
    await page.goto(links().linkFor(claimsFor(target)));
    const duty = plan.duties.find((d) => d.id === target.dutyId);
    if (!duty) throw new Error('target duty missing');
    expect(await page.locator('h1').textContent()).toBe(duty.title);
    expect(await page.locator('main').textContent()).toContain(target.periodLabel);

    for (const field of duty.fields) {
      await page.fill(`#field_${field.id}`, field.type === 'number' ? '12' : `Nội dung ${field.label} của đơn vị`);
    }
    await page.fill('#submittedBy', 'Nguyễn Thị Hoa, Hiệu trưởng');
    await page.click('button[type=submit]');
    await page.waitForSelector('#reference');
    expect(await page.locator('h1').textContent()).toBe('Đã tiếp nhận');
    const reference = (await page.locator('#reference').textContent())?.trim();
    await page.screenshot({ path: path.join(os.tmpdir(), 'kehoach-submission-receipt.png'), fullPage: true });

    const recorded = await unitStatus(target);
    expect(recorded?.status).toBe('submitted');
    expect(recorded?.submission?.reference).toBe(reference);
    expect(recorded?.submission?.submittedBy).toBe('Nguyễn Thị Hoa, Hiệu trưởng');

    // The same link afterwards shows the receipt and no form.
    await page.goto(links().linkFor(claimsFor(target)));
    expect(await page.locator('.ok').textContent()).toContain(reference ?? 'missing');
    expect(await page.locator('form').count()).toBe(0);
    await page.close();
  });
});

describe('status page of the supervising office', () => {
  const officeUrl = () => `${baseUrl}/theo-doi?ke-hoach=${plan.planId}&nam=${plan.year}`;

  it('asks for the office password and refuses a wrong one', async () => {
    // Headless Chromium turns a refused login into a navigation error, so these two ask over plain HTTP.
    const anonymous = await fetch(officeUrl());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await fetch(officeUrl(), {
      headers: { authorization: `Basic ${Buffer.from(`${OFFICE_USER}:sai-mat-khau-123`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Cần đăng nhập');
  });

  it("shows every duty with its counts, the submission above, and one unit's items", async () => {
    const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD } });
    const page = await context.newPage();
    expect((await page.goto(officeUrl()))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Theo dõi thực hiện kế hoạch');
    expect(await page.locator('#duties tbody tr').count()).toBe(plan.duties.length);
    const duty = plan.duties.find((d) => d.id === target.dutyId);
    const row = page.locator('#duties tbody tr', { hasText: duty?.title ?? 'missing' });
    expect(Number(await row.locator('td').nth(3).textContent())).toBeGreaterThanOrEqual(1);

    await page.selectOption('#don-vi', target.unitId);
    await page.click('form button[type=submit]');
    await page.waitForSelector('#unit');
    const unitRow = page.locator('#unit tbody tr', { hasText: target.periodLabel }).filter({ hasText: duty?.title ?? '' });
    expect(await unitRow.locator('td').nth(3).textContent()).toBe('đã nộp');
    expect(await unitRow.locator('td').nth(4).textContent()).toMatch(/\/\d{4}$/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'kehoach-office-page.png'), fullPage: false });

    // The year-end report, as of now, downloads from the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report')]);
    expect(download.suggestedFilename()).toBe(`bao-cao-tong-ket-${plan.planId}-${plan.year}.docx`);
    const zip = await JSZip.loadAsync(readFileSync(await download.path()));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(xml).toContain('BÁO CÁO');
    expect(xml).toContain(duty?.title ?? 'missing');
    await context.close();
  });
});
