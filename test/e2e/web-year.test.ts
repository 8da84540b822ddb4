/**
 * The office's year at a glance, item histories, mail log and exports in Debian's Chromium
 * against the dev server, a real worker and the file delivery ledger.
 *
 * The plan is next year's (nothing depends on today's date) with one item moved into the test's
 * own minute: reminded, due, overdue and escalated to level 1 within about a minute, so its mail
 * really goes through the mailroom and the ledger. The mailroom is told the plan has no mail
 * slots, so that mail goes out whatever the hour and day the suite runs (otherwise it would wait
 * for next year's first working day).
 */
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDeliveryLedger } from '../../activities/mail/delivery-ledger';
import { submitReport } from '../../operations/plan-client';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { OFFICE_USER } from '../../web/server';
import { updateMailSlotsSignal } from '../../workflows/messages';
import { mailroomWorkflowId } from '../../domain/keys/workflow-ids';
import { accountBookWith } from '../support/accounts';
import { scrollWidth } from '../support/browser';
import { serveStackPages, type ServedPages } from '../support/serve-pages';
import { readXlsx } from '../support/openpyxl';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { waitFor } from '../support/wait-for';

const SECRET = 'web-year-secret-0123456789abcdef0123456789';
const PASSWORD = 'mat-khau-luoi-2027';
const ZONE = 'Asia/Ho_Chi_Minh';

let stack: PlanStack;
let client: Client;
let plan: ExpandedPlan;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
/** The item moved into this minute: reminded, due, overdue and escalated while the test waits. */
let escalated: Occurrence;
/** A report moved to fall due three days after the test starts. */
let dueSoon: Occurrence;
/** An open item of a report with only count and text fields, alone in its (duty, unit, month) cell. */
let target: Occurrence;

/** 'YYYY-MM' of an instant in Hà Nội, computed here with Intl (not the code under test). */
function monthOf(instant: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).formatToParts(new Date(instant));
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
}

const unitName = (id: string) => plan.units.find((unit) => unit.id === id)?.name ?? `missing unit ${id}`;
const dutyTitle = (id: string) => plan.duties.find((duty) => duty.id === id)?.title ?? `missing duty ${id}`;

beforeAll(async () => {
  const t0 = Date.now();
  const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
  stack = await startPlanStack('web-year', SECRET, {
    settings: { mailCollectionWindowMs: 1_000 },
    adjust: (expanded) => {
      const withAddress = new Set(expanded.units.filter((unit) => unit.emails.length > 0).map((unit) => unit.id));
      const reports = new Set(expanded.duties.filter((duty) => duty.kind === 'report').map((duty) => duty.id));
      const chosen = expanded.occurrences.find(
        (o) => reports.has(o.dutyId) && withAddress.has(o.unitId) && o.escalations.length > 0 && withAddress.has(o.escalations[0]?.notifyUnitId ?? ''),
      );
      if (!chosen) throw new Error('the default plan has no escalated report between units with addresses: pick another fixture');
      const step = chosen.escalations[0] as Occurrence['escalations'][number];
      // Far enough ahead that every duty has started (and this one tracks the item) before it is due.
      const moved: Occurrence = {
        ...chosen,
        remindAt: [at(40)],
        dueAt: at(50),
        overdueAt: at(55),
        escalations: [{ ...step, level: 1, at: at(60) }],
      };
      escalated = moved;
      // Another report due in three days, with nothing mailed meanwhile: the office's "due soon" list.
      const soon = expanded.occurrences.find((o) => o.key !== chosen.key && o.unitId !== chosen.unitId && reports.has(o.dutyId) && !o.eventAt);
      if (!soon) throw new Error('the default plan has no second report: pick another fixture');
      const { opensAt: _opensWithItsPeriod, ...always } = soon;
      dueSoon = { ...always, remindAt: [], dueAt: at(3 * 86_400), overdueAt: at(3 * 86_400 + 300), escalations: [] };
      const replaced = new Map([
        [chosen.key, moved],
        [soon.key, dueSoon],
      ]);
      return { ...expanded, occurrences: expanded.occurrences.map((o) => replaced.get(o.key) ?? o) };
    },
  });
  ({ client, plan } = stack);
  await client.workflow.getHandle(mailroomWorkflowId(plan.planId, plan.year)).signal(updateMailSlotsSignal, []);

  const simple = new Set(plan.duties.filter((d) => d.id !== escalated.dutyId && d.fields.every((f) => f.type === 'count' || f.type === 'text')).map((d) => d.id));
  const cellmates = (o: Occurrence) => plan.occurrences.filter((other) => other.dutyId === o.dutyId && other.unitId === o.unitId && monthOf(other.dueAt) === monthOf(o.dueAt));
  const open = plan.occurrences.find((o) => simple.has(o.dutyId) && Date.parse(o.dueAt) > Date.now() + 86_400_000 && cellmates(o).length === 1);
  if (!open) throw new Error('no open report alone in its month: pick another fixture');
  target = open;

  const accounts = await accountBookWith(stack.dataDir, [{ name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: PASSWORD }]);
  pages = await serveStackPages(stack, SECRET, { accounts, deliveryLog: createFileDeliveryLedger(stack.dataDir) });
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  await stack?.stop();
});

const planQuery = () => `ke-hoach=${encodeURIComponent(plan.planId)}&nam=${plan.year}`;

/** Requests the pages made to anything but the app itself (each one is also refused). */
const external: string[] = [];

async function signedIn(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: PASSWORD }, viewport: { width, height: 900 }, acceptDownloads: true });
  // No request may leave the machine: every resource of the pages is their own.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, async (route) => {
    external.push(route.request().url());
    await route.abort();
  });
  return { context, page: await context.newPage() };
}

/** The grid's cell of a unit and month: "T3", or "T12/2026" for a month outside the plan year. */
function cell(page: Page, unitId: string, month: string) {
  const [y, m] = month.split('-').map(Number);
  const label = y === plan.year ? `T${m}` : `T${m}/${y}`;
  return page.locator('#luoi tbody tr', { has: page.locator('th', { hasText: unitName(unitId) }) }).locator(`td[data-month="${label}"]`);
}

describe('year at a glance', () => {
  for (const width of [1280, 390]) {
    it(`shows every unit and month without horizontal scroll at ${width} px`, async () => {
      const { context, page } = await signedIn(width);
      const response = await page.goto(`${baseUrl}/theo-doi/luoi?${planQuery()}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Lưới theo dõi theo tháng');
      const units = new Set(plan.occurrences.map((o) => o.unitId));
      expect(await page.locator('#luoi tbody tr').count()).toBe(units.size);
      expect(await page.locator('#luoi thead th[scope=col]').count()).toBeGreaterThanOrEqual(14);
      const { scroll, viewport } = await scrollWidth(page);
      expect(scroll).toBeLessThanOrEqual(viewport);
      // Labels for every filter; keyboard reaches the first filter.
      for (const id of ['nhiem-vu', 'tinh-trang']) expect(await page.locator(`label[for="${id}"]`).count()).toBe(1);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.textContent')).toBe('Bỏ qua, tới nội dung chính');
      await page.screenshot({ path: path.join(os.tmpdir(), `kehoach-grid-${width}.png`), fullPage: false });
      await page.locator('#luoi tbody tr').first().screenshot({ path: path.join(os.tmpdir(), `kehoach-grid-row-${width}.png`) });
      for (const path of [`/theo-doi?${planQuery()}`, `/theo-doi/thu?${planQuery()}`, `/theo-doi/nhiem-vu/${target.dutyId}?${planQuery()}`, `/theo-doi/don-vi/${target.unitId}?${planQuery()}`]) {
        expect((await page.goto(`${baseUrl}${path}`))?.status()).toBe(200);
        if (path.startsWith('/theo-doi?')) {
          const soonRows = page.locator('#due-soon tbody tr', { hasText: unitName(dueSoon.unitId) }).filter({ hasText: dutyTitle(dueSoon.dutyId) });
          expect(await soonRows.count()).toBe(1);
          expect(await page.locator('h2', { hasText: 'Đến hạn trong 7 ngày tới' }).count()).toBe(1);
        }
        const widths = await scrollWidth(page);
        expect(widths.scroll, path).toBeLessThanOrEqual(widths.viewport);
      }
      expect(external).toEqual([]);
      await context.close();
    });
  }

  it('keeps only the units of the chosen group', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${baseUrl}/theo-doi/luoi?${planQuery()}`);
    await page.selectOption('#nhom', { label: 'Các cơ sở giáo dục thuộc xã' });
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
    const schools = new Set(plan.occurrences.filter((o) => plan.units.find((u) => u.id === o.unitId)?.kind === 'school').map((o) => o.unitId));
    expect(schools.size).toBeGreaterThan(1);
    const shown = await page.locator('#luoi tbody th[scope=row]').allTextContents();
    expect(shown.sort()).toEqual([...schools].map(unitName).sort());
    expect(await page.locator('#dang-loc').textContent()).toContain('nhóm: Các cơ sở giáo dục thuộc xã');
    await context.close();
  });

  it('turns a cell from pending to on time once the unit submits', async () => {
    const { context, page } = await signedIn(1280);
    const url = `${baseUrl}/theo-doi/luoi?${planQuery()}&nhiem-vu=${target.dutyId}`;
    await page.goto(url);
    const before = cell(page, target.unitId, monthOf(target.dueAt));
    expect(await before.getAttribute('data-state')).toBe('pending');
    expect(await before.textContent()).toContain('○ Chờ nộp');

    const duty = plan.duties.find((d) => d.id === target.dutyId);
    const fields = Object.fromEntries((duty?.fields ?? []).map((f) => [f.id, f.type === 'count' ? 7 : 'Đã thực hiện đầy đủ']));
    await submitReport(client, plan, { dutyId: target.dutyId, unitId: target.unitId, periodKey: target.periodKey, fields, submittedBy: 'Lê Thị Mai' });

    await page.goto(url);
    const after = cell(page, target.unitId, monthOf(target.dueAt));
    expect(await after.getAttribute('data-state')).toBe('on-time');
    expect(await after.textContent()).toContain('✓ Đúng hạn');
    expect(await page.locator('#tong-hop').textContent()).toContain('đúng hạn 1');
    await context.close();
  });
});

describe('history of an escalated item', () => {
  it('shows the reminder, the overdue notice and the escalation with who received it and the server’s answer', async () => {
    const step = escalated.escalations[0];
    const ledger = createFileDeliveryLedger(stack.dataDir);
    await waitFor(
      'the escalation was answered by the mail server',
      async () => (await ledger.list(plan.planId)).some((r) => r.items?.some((item) => item.occurrenceKey === escalated.key && item.kind === 'escalation')),
      { timeoutMs: 150_000, intervalMs: 1_000 },
    );
    const { context, page } = await signedIn(390);
    expect((await page.goto(`${baseUrl}/theo-doi/nhiem-vu/${escalated.dutyId}?${planQuery()}`))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(dutyTitle(escalated.dutyId));
    const section = page.locator('section.item', { hasText: `${unitName(escalated.unitId)} – ${escalated.periodLabel}` });
    expect(await section.count()).toBe(1);
    const events = await section.locator('ol.timeline li').allTextContents();
    const escalation = events.find((text) => text.startsWith('Thư báo cấp trên cấp 1'));
    expect(escalation).toContain(`Gửi tới: ${unitName(step?.notifyUnitId ?? '')}`);
    expect(escalation).toContain('Kết quả: Máy chủ thư đã nhận');
    expect(events.some((text) => text.startsWith('Thư báo quá hạn') && text.includes(`Gửi tới: ${unitName(escalated.unitId)}`))).toBe(true);
    expect(events.some((text) => text.startsWith('Thư nhắc hạn'))).toBe(true);
    expect(await section.textContent()).toContain('QUÁ HẠN');
    const widths = await scrollWidth(page);
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);

    // The grid says it too: overdue, escalated to level 1.
    await page.goto(`${baseUrl}/theo-doi/luoi?${planQuery()}&nhiem-vu=${escalated.dutyId}&tinh-trang=qua-han`);
    const overdue = cell(page, escalated.unitId, monthOf(escalated.dueAt));
    expect(await overdue.getAttribute('data-state')).toBe('overdue');
    expect(await overdue.textContent()).toContain('✕ Quá hạn · cấp 1');

    // And the mail log, searched by the escalation's recipient.
    await page.goto(`${baseUrl}/theo-doi/thu?${planQuery()}&don-vi=${step?.notifyUnitId}`);
    const rows = await page.locator('#thu tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((row) => row.includes(unitName(step?.notifyUnitId ?? '')))).toBe(true);
    expect(rows.some((row) => row.includes('báo cấp trên') && row.includes('Máy chủ thư đã nhận'))).toBe(true);
    await context.close();
  });
});

describe('exports', () => {
  it('downloads the grid as .xlsx that openpyxl reads back with the cells the page shows', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${baseUrl}/theo-doi/luoi?${planQuery()}&nhiem-vu=${target.dutyId}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#xuat-luoi-xlsx')]);
    expect(download.suggestedFilename()).toBe(`luoi-theo-doi-${plan.planId}-${plan.year}.xlsx`);
    // openpyxl goes by the file's extension.
    const file = path.join(stack.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    const sheets = readXlsx(file);
    const rows = sheets['Lưới theo tháng'];
    if (!rows) throw new Error(`no grid sheet: ${Object.keys(sheets).join(', ')}`);
    const headerIndex = rows.findIndex((row) => row[0] === 'Đơn vị');
    const header = rows[headerIndex] ?? [];
    expect(header.slice(1, 13)).toEqual(Array.from({ length: 12 }, (_, i) => `Tháng ${i + 1}`));
    expect(header).toContain('Tỉ lệ đúng hạn');
    const row = rows.find((r) => r[0] === unitName(target.unitId));
    const month = Number(monthOf(target.dueAt).split('-')[1]);
    expect(row?.[header.indexOf(`Tháng ${month}`)]).toBe('✓ Đúng hạn');
    expect(row?.[header.indexOf('Đúng hạn')]).toBe(1);
    expect(rows[0]?.[0]).toBe(plan.title);
    await context.close();
  });

  it('downloads the item list as CSV in UTF-8 with a byte-order mark and Vietnamese headers', async () => {
    const auth = `Basic ${Buffer.from(`${OFFICE_USER}:${PASSWORD}`).toString('base64')}`;
    const response = await fetch(`${baseUrl}/theo-doi/danh-sach.csv?${planQuery()}&nhiem-vu=${target.dutyId}`, { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Nhiệm vụ,Đơn vị,Kỳ,Hạn chót,Tình trạng,Ngày nộp,Số tiếp nhận,Người nộp,Đã báo cấp trên,Gia hạn,Lý do miễn');
    const expectedItems = plan.occurrences.filter((o) => o.dutyId === target.dutyId).length;
    expect(lines.filter((line) => line.length > 0)).toHaveLength(expectedItems + 1);
    const submitted = lines.find((line) => line.includes(unitName(target.unitId)) && line.includes(target.periodLabel));
    expect(submitted).toContain('Đúng hạn');
    expect(submitted).toContain('Lê Thị Mai');
  });

  it('refuses a filter that names nothing with a Vietnamese page', async () => {
    const auth = `Basic ${Buffer.from(`${OFFICE_USER}:${PASSWORD}`).toString('base64')}`;
    for (const [query, words] of [
      ['nhiem-vu=khong-co', 'không có nhiệm vụ mã &quot;khong-co&quot;'],
      ['tinh-trang=xanh', 'Tình trạng &quot;xanh&quot; không có'],
    ]) {
      const response = await fetch(`${baseUrl}/theo-doi/luoi.xlsx?${planQuery()}&${query}`, { headers: { authorization: auth } });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(words);
    }
    const badDay = await fetch(`${baseUrl}/theo-doi/thu?${planQuery()}&ngay=2027-02-30`, { headers: { authorization: auth } });
    expect(badDay.status).toBe(400);
    expect(await badDay.text()).toContain('Ngày &quot;2027-02-30&quot; không hợp lệ');
  });
});
