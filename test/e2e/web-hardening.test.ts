/**
 * The web app's edges against the real stack (dev server, worker, a running plan), over HTTP, raw
 * sockets and Chromium: what it accepts, what it refuses and how, the headers on every response,
 * rate limits and the login lockout, and what it logs (and never logs).
 *
 * The app trusts 127.0.0.1 as a reverse proxy, so each test speaks for its own client address
 * through X-Forwarded-For and the per-address limits of one test cannot touch another.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus } from '../../operations/plan-client';
import { createSubmissionLinks, type SubmissionClaims } from '../../domain/keys/submission-links';
import type { Occurrence } from '../../domain/schedule/types';
import { createWebLogger, tokenHash } from '../../web/logging';
import { createWebApp, OFFICE_USER } from '../../web/server';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { accountBookWith } from '../support/accounts';
import { devServer } from '../support/temporal-servers';
import { serveStackPages, type ServedPages } from '../support/serve-pages';
import { basicAuth } from '../support/basic-auth';

const SECRET = 'web-hardening-secret-0123456789abcdef0123';
const OFFICE_PASSWORD = 'mat-khau-theo-doi-2026';
const CITY_USER = 'thanhpho';
const CITY_PASSWORD = 'mat-khau-thanh-pho-2026';
const LIMITS = { requestsPerMinute: 20, loginMaxFailures: 5, loginLockoutMinutes: 15 };

let stack: PlanStack;
let pages: ServedPages | undefined;
let port: number;
let baseUrl: string;
let target: Occurrence;
let browser: Browser;
const logLines: Record<string, unknown>[] = [];
const rawLog: string[] = [];

const links = () => createSubmissionLinks(SECRET, baseUrl);
const claimsFor = (o: Occurrence): SubmissionClaims => ({ planId: stack.plan.planId, year: stack.plan.year, occurrenceKey: o.key, unitId: o.unitId });
const tokenOf = (o: Occurrence) => links().tokenFor(claimsFor(o));
const basic = (password: string, user = OFFICE_USER) => basicAuth(user, password);
let nextAddress = 10;
/** A client address of its own for each caller, as the trusted proxy would report it. */
const newClient = () => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` });

function collectingStream(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        rawLog.push(line);
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
}

beforeAll(async () => {
  stack = await startPlanStack('web-hardening', SECRET);
  const now = Date.now();
  const open = stack.plan.occurrences.find((o) => Date.parse(o.dueAt) > now + 86_400_000);
  if (!open) throw new Error('the plan has no occurrence still open');
  target = open;
  const accounts = await accountBookWith(stack.dataDir, [
    { name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: OFFICE_PASSWORD },
    { name: CITY_USER, role: 'city', password: CITY_PASSWORD },
  ]);
  pages = await serveStackPages(stack, SECRET, {
    accounts,
    logger: createWebLogger('info', collectingStream()),
    limits: LIMITS,
    trustedProxies: ['127.0.0.1'],
  });
  ({ baseUrl, browser, port } = pages);
});

afterAll(async () => {
  await pages?.close();
  await stack?.stop();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (no client library to tidy them) and reads the answer until the server closes. */
function rawRequest(request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer within 15 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

async function get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

function expectSecurityHeaders(response: RawResponse) {
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cache-control']).toBe('no-store');
}

/** A Vietnamese HTML page with the security headers, whatever produced the answer. */
function expectVietnamesePage(response: RawResponse, status: number, heading: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expectSecurityHeaders(response);
  expect(response.body).toContain('<html lang="vi">');
  expect(response.body).toContain(`<h1>${heading}</h1>`);
  expect(response.body).not.toMatch(/"statusCode"|Bad Request|Not Found|Error/);
}

describe('what the submission page accepts', () => {
  it('refuses a JSON body, object or array, with 415 and records nothing', async () => {
    for (const body of ['{"submittedBy":5}', '{"submittedBy":{"a":1},"note":["x"]}', '[1,2]']) {
      const response = await fetch(`${baseUrl}/nop/${tokenOf(target)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...newClient() },
        body,
      });
      expectVietnamesePage(
        { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() },
        415,
        'Không nhận nội dung dạng này',
      );
    }
    const duty = await getDutyStatus(stack.client, stack.plan, target.dutyId, { unitId: target.unitId });
    expect(duty.occurrences.find((o) => o.key === target.key)?.submission).toBeUndefined();
  });

  it('accepts only the issued spelling of a link', async () => {
    const token = tokenOf(target);
    expect((await get(`/nop/${token}`, newClient())).status).toBe(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    const variant = token.slice(0, -1) + alphabet[(last & ~3) | ((last + 1) & 3)];
    expectVietnamesePage(await get(`/nop/${variant}`, newClient()), 400, 'Đường dẫn không hợp lệ');
  });
});

describe('the status page', () => {
  it('answers an unknown plan with a Vietnamese 404 naming it, not a 500', async () => {
    // Only the city may ask about any commune; an office asking about another is refused before (below).
    const response = await get('/theo-doi?ke-hoach=xyz&nam=2027', { authorization: basic(CITY_PASSWORD, CITY_USER), ...newClient() });
    expectVietnamesePage(response, 404, 'Không tìm thấy kế hoạch');
    expect(response.body).toContain('Không có kế hoạch &quot;xyz&quot; năm 2027');
    expectVietnamesePage(await get('/theo-doi?ke-hoach=xyz&nam=2027', { authorization: basic(OFFICE_PASSWORD), ...newClient() }), 403, 'Không có quyền xem');
    expectVietnamesePage(
      await get('/theo-doi?nam=20x7', { authorization: basic(OFFICE_PASSWORD), ...newClient() }),
      404,
      'Không tìm thấy kế hoạch',
    );
  });

  it('locks an address out after 5 wrong passwords, even for the right one, with Retry-After', async () => {
    const attacker = newClient();
    const started = performance.now();
    const statuses: number[] = [];
    // Fewer than the per-minute rate limit, so what answers is the lockout.
    const attempts = LIMITS.requestsPerMinute - 2;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      statuses.push((await get('/theo-doi', { authorization: basic(`sai-mat-khau-${attempt}`), ...attacker })).status);
    }
    process.stdout.write(`${attempts} wrong passwords answered in ${Math.round(performance.now() - started)} ms\n`);
    expect(statuses.slice(0, LIMITS.loginMaxFailures)).toEqual(Array(LIMITS.loginMaxFailures).fill(401));
    expect(statuses.slice(LIMITS.loginMaxFailures)).toEqual(Array(attempts - LIMITS.loginMaxFailures).fill(429));

    const locked = await get('/theo-doi', { authorization: basic(OFFICE_PASSWORD), ...attacker });
    expectVietnamesePage(locked, 429, 'Tạm khóa đăng nhập');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(locked.body).toContain('Xin thử lại sau 15 phút');
    // Another address is not locked out.
    expect((await get(`/theo-doi?ke-hoach=${stack.plan.planId}&nam=${stack.plan.year}`, { authorization: basic(OFFICE_PASSWORD), ...newClient() })).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers the 21st request in a minute from one address with 429 and Retry-After, others unaffected', async () => {
    const flooder = newClient();
    const forged = `/nop/${tokenOf(target).slice(0, -3)}AAA`;
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.requestsPerMinute + 5; i += 1) {
      const response = await fetch(`${baseUrl}${forged}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...flooder },
        body: 'submittedBy=x',
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.slice(0, LIMITS.requestsPerMinute).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(LIMITS.requestsPerMinute)).toEqual(Array(5).fill(429));
    const limited = await get(forged, flooder);
    expectVietnamesePage(limited, 429, 'Quá nhiều yêu cầu');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatch(/Xin thử lại sau \d+ giây/);
    expect((await get(forged, newClient())).status).toBe(400);
  });

  it('limits the status page per address too', async () => {
    const client = { authorization: basic(OFFICE_PASSWORD), ...newClient() };
    const path = `/theo-doi?ke-hoach=xyz&nam=2027`;
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.requestsPerMinute; i += 1) statuses.push((await get(path, client)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 403)).toBe(true);
  });
});

describe('every response is a Vietnamese page with the security headers', () => {
  it('on pages, the .docx, 404, refusals and errors fastify raises', async () => {
    const office = { authorization: basic(OFFICE_PASSWORD) };
    const ref = `ke-hoach=${stack.plan.planId}&nam=${stack.plan.year}`;
    const submission = await get(`/nop/${tokenOf(target)}`, newClient());
    expect(submission.status).toBe(200);
    expectSecurityHeaders(submission);
    const status = await get(`/theo-doi?${ref}`, { ...office, ...newClient() });
    expect(status.status).toBe(200);
    expectSecurityHeaders(status);
    const docx = await fetch(`${baseUrl}/theo-doi/bao-cao-tong-ket.docx?${ref}`, { headers: { ...office, ...newClient() } });
    expect(docx.status).toBe(200);
    expectSecurityHeaders({ status: docx.status, headers: Object.fromEntries(docx.headers), body: '' });
    await docx.arrayBuffer();

    expectVietnamesePage(await get('/khong-co-trang-nay'), 404, 'Không tìm thấy trang');
    expectVietnamesePage(await get('/theo-doi', newClient()), 401, 'Cần đăng nhập');
    const tooLarge = await fetch(`${baseUrl}/nop/${tokenOf(target)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...newClient() },
      body: `note=${'x'.repeat(300 * 1024)}`,
    });
    expectVietnamesePage({ status: tooLarge.status, headers: Object.fromEntries(tooLarge.headers), body: await tooLarge.text() }, 413, 'Nội dung quá lớn');
  });

  it('on what the router and the HTTP parser refuse: 414, bad URL encoding, 431, garbage', async () => {
    const host = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n`;
    expectVietnamesePage(await rawRequest(`GET /nop/${'a'.repeat(3000)}.b HTTP/1.1\r\n${host}\r\n`), 414, 'Địa chỉ quá dài');
    expectVietnamesePage(await rawRequest(`GET /nop/%E0%A4%A HTTP/1.1\r\n${host}\r\n`), 400, 'Yêu cầu không hợp lệ');
    expectVietnamesePage(await rawRequest(`GET /nop/abc HTTP/1.1\r\n${host}X-Big: ${'x'.repeat(20_000)}\r\n\r\n`), 431, 'Yêu cầu quá lớn');
    expectVietnamesePage(await rawRequest(`GET /${'x'.repeat(20_000)} HTTP/1.1\r\n${host}\r\n`), 431, 'Yêu cầu quá lớn');
    expectVietnamesePage(await rawRequest('KHÔNG PHẢI HTTP\r\n\r\n'), 400, 'Yêu cầu không hợp lệ');
  });

  it('cannot be framed by another site (Chromium)', async () => {
    const page = await browser.newPage();
    // A page of another origin that frames the submission page.
    await page.setContent(`<iframe id="f" src="${baseUrl}/nop/${tokenOf(target)}"></iframe>`);
    await page.waitForTimeout(500);
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    const text = await framed?.evaluate<string>('document.body ? document.body.innerText : ""').catch(() => '');
    expect(text ?? '').not.toContain(target.periodLabel);
    expect(framed?.url() ?? '').not.toContain('/nop/');
    await page.close();
  });
});

describe('logs', () => {
  it('one JSON line per request, without tokens, passwords or credentials', async () => {
    const token = tokenOf(target);
    await get(`/nop/${token}`, newClient());
    const everything = rawLog.join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[1]);
    expect(everything).not.toContain(OFFICE_PASSWORD);
    expect(everything).not.toContain('sai-mat-khau');
    expect(everything).not.toContain(Buffer.from(`${OFFICE_USER}:${OFFICE_PASSWORD}`).toString('base64'));
    const request = logLines.find((line) => line.event === 'request' && line.url === `/nop/#${tokenHash(token)}` && line.status === 200);
    expect(request).toMatchObject({ method: 'GET', ip: expect.stringMatching(/^203\.0\.113\./), ms: expect.any(Number) });
  });

  it('records failed logins, lockouts, rate limiting and refusals', () => {
    const events = new Set(logLines.map((line) => line.event));
    for (const event of ['login-failed', 'login-locked', 'rate-limited', 'link-refused', 'refused']) expect(events).toContain(event);
    expect(logLines.find((line) => line.event === 'login-failed')).toMatchObject({ level: 40, knownUser: true, ip: expect.any(String) });
    expect(logLines.find((line) => line.event === 'refused' && line.status === 431)).toBeDefined();
    expect(logLines.find((line) => line.event === 'refused' && line.status === 414)).toBeDefined();
  });

  it('records a failure with its stack and answers the user in Vietnamese', async () => {
    // The same app with Temporal gone: every query fails, a real 500.
    const connection = await Connection.connect({ address: devServer().address });
    const lostClient = new Client({ connection, namespace: devServer().namespace });
    await connection.close();
    const lines: Record<string, unknown>[] = [];
    const broken = await createWebApp({
      client: lostClient,
      links: links(),
    logger: createWebLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) })),
    });
    const response = await broken.inject({ method: 'GET', url: `/nop/${tokenOf(target)}` });
    await broken.close();
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Hệ thống đang gặp sự cố');
    const failure = lines.find((line) => line.event === 'error');
    expect(failure).toMatchObject({ level: 50, err: { message: expect.any(String), stack: expect.any(String) } });
    expect(JSON.stringify(lines)).not.toContain(tokenOf(target));
  });
});
