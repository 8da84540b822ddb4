/**
 * The web pages in a real browser (Debian's Chromium driven by playwright-core) against the dev
 * server. A unit opens the link from its email, fills in the report and submits it; the duty
 * workflow records it. A forged link and malformed numbers or empty texts are refused with a
 * Vietnamese explanation next to each field, keep everything typed, and change nothing. The supervising office, behind its password, sees every duty,
 * the submission and one unit's items.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus } from '../../operations/plan-client';
import { createSubmissionLinks, type SubmissionClaims } from '../../domain/keys/submission-links';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { OFFICE_USER } from '../../web/server';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { accountBookWith } from '../support/accounts';
import { serveStackPages, type ServedPages } from '../support/serve-pages';

const SECRET = 'web-e2e-secret-0123456789abcdef0123456789';
const OFFICE_PASSWORD = 'mat-khau-theo-doi-2026';

let stack: PlanStack;
let client: Client;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
let plan: ExpandedPlan;
let target: Occurrence;
/** An open occurrence of another duty, one with a required text field. */
let textTarget: Occurrence;
const links = () => createSubmissionLinks(SECRET, baseUrl);

beforeAll(async () => {
  stack = await startPlanStack('web-e2e', SECRET);
  ({ client, plan } = stack);
  const now = Date.now();
  const counts = (d: (typeof plan.duties)[number], required: boolean) => d.fields.filter((f) => f.type === 'count' && f.required === required).length;
  const manyCounts = new Set(plan.duties.filter((d) => counts(d, true) >= 2 && counts(d, false) >= 3).map((d) => d.id));
  // Taking submissions now (the plan stack opens every occurrence), and not due for a day.
  const isOpen = (o: Occurrence, at: number) => Date.parse(o.dueAt) > at + 86_400_000 && (o.opensAt === undefined || Date.parse(o.opensAt) <= at);
  const open = plan.occurrences.find((o) => manyCounts.has(o.dutyId) && isOpen(o, now));
  if (!open) throw new Error('the default plan has no report with 2 required and 3 optional counts still open: pick another fixture');
  target = open;
  const requiredText = new Set(plan.duties.filter((d) => d.id !== open.dutyId && d.fields.some((f) => f.type === 'text' && f.required)).map((d) => d.id));
  const openText = plan.occurrences.find((o) => requiredText.has(o.dutyId) && isOpen(o, now));
  if (!openText) throw new Error('the default plan has no duty with a required text field still open: pick another fixture');
  textTarget = openText;

  const accounts = await accountBookWith(stack.dataDir, [{ name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: OFFICE_PASSWORD }]);
  pages = await serveStackPages(stack, SECRET, { accounts });
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
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

  it('explains every malformed number next to its field, keeps everything typed, and records nothing', async () => {
    const page = await browser.newPage();
    await page.goto(links().linkFor(claimsFor(target)));
    const duty = plan.duties.find((d) => d.id === target.dutyId);
    if (!duty) throw new Error('target duty missing');
    const [r1, r2] = duty.fields.filter((f) => f.type === 'count' && f.required);
    const [o1, o2, o3] = duty.fields.filter((f) => f.type === 'count' && !f.required);
    const text = duty.fields.find((f) => f.type === 'text');
    if (!r1 || !r2 || !o1 || !o2 || !o3 || !text) throw new Error('target duty lost its fields');
    const fourHundredDigits = '9'.repeat(400);
    const typedText = 'Khó khăn: <b>thiếu</b> kinh phí & "loa" truyền thanh';
    const first: [string, string][] = [
      [r1.id, '-5'],
      [r2.id, fourHundredDigits],
      [o1.id, '-3'],
      [o2.id, '1,5'],
      [o3.id, '99999999999999999999'],
      [text.id, typedText],
    ];
    for (const [id, value] of first) await page.fill(`#field_${id}`, value);
    await page.fill('#submittedBy', 'Trần Văn Bình');
    await page.fill('#note', 'Số liệu tạm tính');
    const response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(([r]) => r);
    expect(response?.status()).toBe(422);

    const errorOf = async (id: string) => page.locator(`#error_${id}`).textContent();
    expect(await page.locator('#form-errors').textContent()).toContain('5 mục cần sửa');
    expect(await errorOf(r1.id)).toBe(`Trường "${r1.label}" phải là số nguyên không âm (ví dụ 1.000), nhận được "-5".`);
    // 400 digits in a required field are too large, not "missing".
    expect(await errorOf(r2.id)).toBe(`Trường "${r2.label}" phải không quá 9.007.199.254.740.991, nhận được "${'9'.repeat(24)}…" (400 ký tự).`);
    expect(await errorOf(o1.id)).toBe(`Trường "${o1.label}" phải là số nguyên không âm (ví dụ 1.000), nhận được "-3".`);
    expect(await errorOf(o2.id)).toBe(`Trường "${o2.label}" phải là số nguyên không âm (ví dụ 1.000), nhận được "1,5".`);
    expect(await errorOf(o3.id)).toBe(`Trường "${o3.label}" phải không quá 9.007.199.254.740.991, nhận được "99999999999999999999".`);
    expect(await page.locator(`#error_${text.id}`).count()).toBe(0);
    // Every field after the first bad number comes back as typed, the free text too.
    for (const [id, value] of first) expect(await page.inputValue(`#field_${id}`)).toBe(value);
    expect(await page.inputValue('#submittedBy')).toBe('Trần Văn Bình');
    expect(await page.inputValue('#note')).toBe('Số liệu tạm tính');
    expect(await page.locator('form b').count()).toBe(0);
    expect(await page.getAttribute(`#field_${r1.id}`, 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(`#field_${r1.id}`, 'inputmode')).toBe('numeric');
    expect(await page.locator(`#hint_${r1.id}`).textContent()).toContain('ví dụ 1.000');
    await page.screenshot({ path: path.join(os.tmpdir(), 'kehoach-submission-refused.png'), fullPage: true });

    // Fixed, except 400 digits now in an optional field: refused too, never stored as nothing.
    await page.fill(`#field_${r1.id}`, '12');
    await page.fill(`#field_${r2.id}`, '1.000');
    await page.fill(`#field_${o1.id}`, '');
    await page.fill(`#field_${o2.id}`, '');
    await page.fill(`#field_${o3.id}`, fourHundredDigits);
    await page.click('button[type=submit]');
    await page.waitForSelector(`#error_${o3.id}`);
    expect(await page.locator('#form-errors').textContent()).toContain('1 mục cần sửa');
    expect(await page.locator(`#error_${o3.id}`).textContent()).toContain('(400 ký tự)');
    expect(await page.inputValue(`#field_${r2.id}`)).toBe('1.000');
    expect(await page.inputValue(`#field_${text.id}`)).toBe(typedText);
    expect((await unitStatus(target))?.submission).toBeUndefined();
    await page.close();
  });

  it('does not take zero-width characters as the content of a required text', async () => {
    const page = await browser.newPage();
    await page.goto(links().linkFor(claimsFor(textTarget)));
    const duty = plan.duties.find((d) => d.id === textTarget.dutyId);
    const required = duty?.fields.find((f) => f.type === 'text' && f.required);
    if (!duty || !required) throw new Error('text target lost its required text');
    for (const field of duty.fields) await page.fill(`#field_${field.id}`, field.type === 'text' ? 'Đã thực hiện' : '3');
    await page.fill(`#field_${required.id}`, '\u200b\u200c\u200d\u2060\ufeff');
    await page.click('button[type=submit]');
    await page.waitForSelector(`#error_${required.id}`);
    expect(await page.locator(`#error_${required.id}`).textContent()).toBe(
      `Trường "${required.label}" là bắt buộc; nội dung gửi lên chỉ có khoảng trắng hoặc ký tự vô hình, không có chữ nào.`,
    );
    expect((await unitStatus(textTarget))?.submission).toBeUndefined();
    await page.close();
  });

  it('shows the duty, takes the report and returns a receipt the workflow agrees with', async () => {
    const page = await browser.newPage();
    await page.goto(links().linkFor(claimsFor(target)));
    const duty = plan.duties.find((d) => d.id === target.dutyId);
    if (!duty) throw new Error('target duty missing');
    expect(await page.locator('h1').textContent()).toBe(duty.title);
    expect(await page.locator('main').textContent()).toContain(target.periodLabel);

    // Vietnamese thousands: "1.000" is one thousand, "1.234.567" a bit over a million.
    const typedValue = (type: string, index: number) => (type === 'text' ? `Nội dung số ${index} của đơn vị` : index === 0 ? '1.000' : '1.234.567');
    for (const field of duty.fields) expect(['count', 'text']).toContain(field.type);
    for (const [index, field] of duty.fields.entries()) await page.fill(`#field_${field.id}`, typedValue(field.type, index));
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
    expect(recorded?.submission?.fields).toEqual(
      Object.fromEntries(duty.fields.map((field, index) => [field.id, field.type === 'text' ? `Nội dung số ${index} của đơn vị` : index === 0 ? 1000 : 1234567])),
    );

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
