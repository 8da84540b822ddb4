/**
 * The office's decisions in a real browser (Debian's Chromium via playwright-core) against the dev
 * server and a running plan: a unit's extension request approved from the office page through its
 * confirmation step, the deadline moving in the duty workflow and on the page; a waiver without a
 * reason refused by the workflow's validator with its Vietnamese message; a decision without the
 * confirmation's token, from another site, or by another commune's account refused, changing nothing.
 */
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus, requestExtension } from '../../operations/plan-client';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { OFFICE_USER } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { serveStackPages, type ServedPages } from '../support/serve-pages';
import { ical4jProblems, strictIcsProblems } from '../support/ics-strict';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { basicAuth } from '../support/basic-auth';

const SECRET = 'web-decisions-secret-0123456789abcdef012345';
const OFFICE_PASSWORD = 'mat-khau-van-phong-2026';
const OTHER_OFFICE = 'van-phong-xa-khac';
const OTHER_PASSWORD = 'mat-khau-xa-khac-2026';

let stack: PlanStack;
let client: Client;
let plan: ExpandedPlan;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
/** Open occurrences of one unit, not due for a week: one to extend, one to waive. */
let toExtend: Occurrence;
let toWaive: Occurrence;

beforeAll(async () => {
  stack = await startPlanStack('web-decisions', SECRET);
  ({ client, plan } = stack);
  const now = Date.now();
  const open = plan.occurrences.filter((o) => Date.parse(o.dueAt) > now + 7 * 86_400_000 && !o.eventAt);
  const [first] = open;
  const second = open.find((o) => o.unitId === first?.unitId && o.key !== first.key);
  if (!first || !second) throw new Error('the default plan has no unit with two open reports a week ahead: pick another fixture');
  toExtend = first;
  toWaive = second;
  const accounts = await accountBookWith(stack.dataDir, [
    { name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: OFFICE_PASSWORD },
    { name: OTHER_OFFICE, role: 'office', commune: 'xa-khac', password: OTHER_PASSWORD },
  ]);
  pages = await serveStackPages(stack, SECRET, { accounts });
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  await stack?.stop();
});

async function statusOf(occurrence: Occurrence) {
  const duty = await getDutyStatus(client, plan, occurrence.dutyId, { unitId: occurrence.unitId });
  const found = duty.occurrences.find((o) => o.key === occurrence.key);
  if (!found) throw new Error(`occurrence ${occurrence.key} missing`);
  return found;
}

/** "dd/MM/yyyy" as people read a deadline at the end of a local day, computed here with luxon. */
function lastDayOf(instant: string): string {
  const day = DateTime.fromISO(instant, { zone: plan.timeZone }).minus({ milliseconds: 1 });
  return day.toFormat('dd/MM/yyyy');
}

/**
 * The unit's feed fetched like a calendar app would (webcal:// is http(s) underneath), validated by
 * ical4j in strict mode and read by node-ical, neither of which shares code with our writer.
 */
async function feedEvent(occurrence: Occurrence): Promise<VEvent> {
  const link = createSubmissionLinks(SECRET, baseUrl).feedLinkFor({ planId: plan.planId, year: plan.year, unitId: occurrence.unitId });
  expect(link.startsWith('webcal://')).toBe(true);
  const response = await fetch(link.replace(/^webcal:/, 'http:'));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  const body = await response.text();
  expect(strictIcsProblems(body)).toEqual([]);
  expect(await ical4jProblems({ 'feed.ics': body })).toEqual({});
  const events = Object.values(ical.sync.parseICS(body)).filter((entry) => entry?.type === 'VEVENT') as VEvent[];
  expect(events.every((event) => event.uid.endsWith(`@${plan.planId}`))).toBe(true);
  const event = events.find((candidate) => candidate.uid === `${occurrence.key}@${plan.planId}`);
  if (!event) throw new Error(`the feed has no event for ${occurrence.key}`);
  return event;
}

/** An all-day event's day as node-ical gives it (a Date at local midnight of the host, flagged dateOnly). */
function eventDay(event: VEvent): string {
  const start = event.start as Date & { dateOnly?: boolean };
  expect(start.dateOnly).toBe(true);
  return DateTime.fromJSDate(start).toFormat('dd/MM/yyyy');
}

const officeUrl = (unitId: string) => `${baseUrl}/theo-doi?ke-hoach=${plan.planId}&nam=${plan.year}&don-vi=${unitId}`;

describe('office decisions on the web', () => {
  it('answers a forged or altered feed link with 404, asking nothing of the workflows', async () => {
    const link = createSubmissionLinks(SECRET, baseUrl).feedLinkFor({ planId: plan.planId, year: plan.year, unitId: toExtend.unitId }).replace(/^webcal:/, 'http:');
    const forgedUnit = createSubmissionLinks('another-secret-0123456789abcdef', baseUrl).feedLinkFor({ planId: plan.planId, year: plan.year, unitId: toExtend.unitId }).replace(/^webcal:/, 'http:');
    for (const bad of [forgedUnit, link.replace(/\.ics$/, 'x.ics'), link.replace(/\.ics$/, '')]) {
      const response = await fetch(bad);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Không tìm thấy trang');
    }
  });

  it('approves a pending extension through its confirmation page and the deadline moves, in the workflow, on the page and in the feed', async () => {
    expect(eventDay(await feedEvent(toExtend))).toBe(lastDayOf(toExtend.dueAt));
    const lastDay = DateTime.fromISO(toExtend.dueAt, { zone: plan.timeZone }).minus({ milliseconds: 1 });
    const untilLocalDate = lastDay.plus({ days: 10 }).toISODate() as string;
    await requestExtension(client, plan, { dutyId: toExtend.dutyId, unitId: toExtend.unitId, periodKey: toExtend.periodKey, untilLocalDate, reason: 'Chờ số liệu của thôn' });
    const requested = (await statusOf(toExtend)).extensions[0];
    expect(requested?.status).toBe('pending');

    const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD } });
    const page = await context.newPage();
    await page.goto(officeUrl(toExtend.unitId));
    const row = page.locator('#pending-extensions tbody tr', { hasText: 'Chờ số liệu của thôn' });
    await expect(row.count()).resolves.toBe(1);
    await Promise.all([page.waitForNavigation(), row.locator('a', { hasText: 'Duyệt' }).click()]);

    // The confirmation: what is asked, and nothing decided yet.
    expect(await page.locator('h1').textContent()).toBe('Xác nhận: Đồng ý gia hạn');
    const confirmationUrl = page.url();
    expect(await page.locator('#han-hien-tai').textContent()).toContain(lastDayOf(toExtend.dueAt));
    const newDay = lastDay.plus({ days: 10 });
    expect(await page.locator('#han-xin').textContent()).toContain(newDay.toFormat('dd/MM/yyyy'));
    expect((await statusOf(toExtend)).extensions[0]?.status).toBe('pending');

    await page.fill('#ghi-chu', 'Đồng ý, nộp đúng hạn mới');
    const response = await Promise.all([page.waitForNavigation(), page.click('#xac-nhan')]).then(([r]) => r);
    expect(response?.status()).toBe(200);
    expect(await page.locator('#decision-done').textContent()).toContain(`hạn mới`);
    expect(await page.locator('#decision-done').textContent()).toContain(newDay.toFormat('dd/MM/yyyy'));

    const decided = await statusOf(toExtend);
    expect(decided.status).toBe('extended');
    expect(decided.dueAt).toBe(requested?.until);
    expect(decided.extensions[0]).toMatchObject({ status: 'approved', decidedBy: OFFICE_USER, decisionNote: 'Đồng ý, nộp đúng hạn mới' });
    // The subscribed calendar follows: the same event (UID), now on the new last day.
    expect(eventDay(await feedEvent(toExtend))).toBe(newDay.toFormat('dd/MM/yyyy'));

    // Back on the office page the unit's item shows the new deadline.
    await Promise.all([page.waitForNavigation(), page.click('#quay-lai')]);
    const unitRow = page.locator('#unit tbody tr', { hasText: decided.periodLabel }).filter({ hasText: plan.duties.find((d) => d.id === toExtend.dutyId)?.title ?? '?' });
    expect(await unitRow.first().textContent()).toContain(newDay.toFormat('dd/MM/yyyy'));

    // The same confirmation sent again: the workflow's validator refuses, in Vietnamese, on the page.
    const again = await page.goto(confirmationUrl);
    expect(again?.status()).toBe(200);
    const refused = await Promise.all([page.waitForNavigation(), page.click('#xac-nhan')]).then(([r]) => r);
    expect(refused?.status()).toBe(422);
    expect(await page.locator('#decision-error').textContent()).toContain('không có yêu cầu gia hạn nào đang chờ quyết định');
    await context.close();
  });

  it('refuses a waiver without a reason through the workflow validator, then waives with one', async () => {
    const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD } });
    const page = await context.newPage();
    await page.goto(officeUrl(toWaive.unitId));
    const title = plan.duties.find((d) => d.id === toWaive.dutyId)?.title ?? '?';
    const row = page.locator('#unit tbody tr', { hasText: title }).filter({ hasText: (await statusOf(toWaive)).periodLabel });
    await Promise.all([page.waitForNavigation(), row.first().locator('a', { hasText: 'Miễn' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Xác nhận: Miễn nộp kỳ này');

    // Blanks satisfy the browser's "required", not the workflow.
    await page.fill('#ghi-chu', '   ');
    const refused = await Promise.all([page.waitForNavigation(), page.click('#xac-nhan')]).then(([r]) => r);
    expect(refused?.status()).toBe(422);
    expect(await page.locator('#decision-error').textContent()).toBe('Miễn một kỳ phải nêu lý do.');
    expect((await statusOf(toWaive)).status).not.toBe('waived');

    await page.fill('#ghi-chu', 'Đơn vị sáp nhập từ tháng này');
    await Promise.all([page.waitForNavigation(), page.click('#xac-nhan')]);
    expect(await page.locator('h1').textContent()).toBe('Đã miễn nộp');
    const waived = await statusOf(toWaive);
    expect(waived.status).toBe('waived');
    expect(waived.waiver).toMatchObject({ reason: 'Đơn vị sáp nhập từ tháng này', waivedBy: OFFICE_USER });
    // A waived item is no longer on the unit's calendar.
    await expect(feedEvent(toWaive)).rejects.toThrow(/has no event/);
    await context.close();
  });

  it('refuses a decision without its confirmation token, from another site, or by another commune, changing nothing', async () => {
    const other = plan.occurrences.find((o) => o.unitId !== toExtend.unitId && Date.parse(o.dueAt) > Date.now() + 86_400_000);
    if (!other) throw new Error('no other open occurrence');
    const form = new URLSearchParams({ 'ke-hoach': plan.planId, nam: String(plan.year), 'nhiem-vu': other.dutyId, 'don-vi': other.unitId, ky: other.periodKey, viec: 'mien', 'ghi-chu': 'giả mạo' });
    const post = (auth: string, headers: Record<string, string> = {}, body = form) =>
      fetch(`${baseUrl}/theo-doi/quyet-dinh`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });

    const noToken = await post(basicAuth(OFFICE_USER, OFFICE_PASSWORD));
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Trang xác nhận đã hết hạn hoặc không phải do hệ thống cấp');

    // A genuine token from the confirmation page, but the form sent by another site.
    const confirm = await fetch(`${baseUrl}/theo-doi/quyet-dinh?${new URLSearchParams({ 'ke-hoach': plan.planId, nam: String(plan.year), 'nhiem-vu': other.dutyId, 'don-vi': other.unitId, ky: other.periodKey, viec: 'mien' })}`, {
      headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD) },
    });
    const token = /name="xac-nhan" value="([^"]+)"/.exec(await confirm.text())?.[1];
    expect(token).toBeDefined();
    const withToken = new URLSearchParams(form);
    withToken.set('xac-nhan', token as string);
    const crossSite = await post(basicAuth(OFFICE_USER, OFFICE_PASSWORD), { origin: 'https://ke-gian.example', 'sec-fetch-site': 'cross-site' }, withToken);
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('chỉ được gửi từ trang xác nhận');

    const otherCommune = await post(basicAuth(OTHER_OFFICE, OTHER_PASSWORD), {}, withToken);
    expect(otherCommune.status).toBe(403);
    expect(await otherCommune.text()).toContain('Không có quyền quyết định');

    // The token was issued for a waiver of this item: it does not approve anything else.
    const retargeted = new URLSearchParams(withToken);
    retargeted.set('ky', toWaive.periodKey);
    retargeted.set('don-vi', toWaive.unitId);
    retargeted.set('nhiem-vu', toWaive.dutyId);
    expect((await post(basicAuth(OFFICE_USER, OFFICE_PASSWORD), {}, retargeted)).status).toBe(403);

    expect((await statusOf(other)).waiver).toBeUndefined();
  });
});
