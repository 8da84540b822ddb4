/**
 * The office page lists the year-end report versions the plan mailed (as the plan's report
 * activity stores them in the data directory), newest first with the moment of their figures and a
 * download link that serves the stored bytes; another commune's office gets neither.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contentHash, storeReportVersion } from '../../reports/report-versions';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { createWebApp } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { startPlanStack, type PlanStack } from '../support/plan-stack';
import { basicAuth } from '../support/basic-auth';

const SECRET = 'report-versions-secret-0123456789abcdef0123';
const PASSWORD = 'mat-khau-bao-cao-2026';
const basic = (user: string) => ({ authorization: basicAuth(user, PASSWORD) });

let stack: PlanStack;
let web: Awaited<ReturnType<typeof createWebApp>>;
const v1 = Buffer.from('phiên bản 1 của báo cáo');
const v2 = Buffer.from('phiên bản 2 của báo cáo, có thêm số liệu');

beforeAll(async () => {
  stack = await startPlanStack('report-versions', SECRET);
  const { planId, year } = stack.plan;
  for (const [version, bytes, asOf, sentAt] of [
    [1, v1, `${year}-12-15T01:00:00.000Z`, `${year}-12-15T01:00:04.000Z`],
    [2, v2, `${year}-12-17T01:00:00.000Z`, undefined],
  ] as const) {
    const hash = contentHash(bytes);
    await storeReportVersion(
      stack.dataDir,
      { planId, year, version, asOf, file: `v${version}-${hash}.docx`, hash, messageId: `<m${version}@x>`, ...(sentAt ? { sentAt } : {}) },
      bytes,
    );
  }
  const accounts = await accountBookWith(stack.dataDir, [
    { name: 'vp-xa', role: 'office', commune: stack.catalog.communeId, password: PASSWORD },
    { name: 'vp-khac', role: 'office', commune: 'an-lao', password: PASSWORD },
  ]);
  web = await createWebApp({
    client: stack.client,
    links: createSubmissionLinks(SECRET, 'http://127.0.0.1'),
    accounts,
    plans: [stack.catalog],
    dataDir: stack.dataDir,
  });
});

afterAll(async () => {
  await web?.close();
  await stack?.stop();
});

it('lists the versions, newest first, and serves each one as stored', async () => {
  const { planId, year } = stack.plan;
  const page = await web.inject({ url: `/theo-doi?ke-hoach=${planId}&nam=${year}`, headers: basic('vp-xa') });
  expect(page.statusCode).toBe(200);
  const section = /<section id="report-versions">([\s\S]*?)<\/section>/.exec(page.body)?.[1] ?? '';
  const rows = [...section.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td><a href="([^"]+)"/g)].map((m) => m.slice(1));
  expect(rows.map(([version, asOf, sent]) => [version, asOf, sent])).toEqual([
    ['2', `08:00 ngày 17/12/${year}`, 'chưa gửi được'],
    ['1', `08:00 ngày 15/12/${year}`, `08:00 ngày 15/12/${year}`],
  ]);
  for (const [version, , , href] of rows) {
    const download = await web.inject({ url: (href as string).replace(/&amp;/g, '&'), headers: basic('vp-xa') });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="bao-cao-tong-ket-${planId}-${year}-phien-ban-${version}.docx"`);
    expect(download.rawPayload.equals(version === '1' ? v1 : v2)).toBe(true);
  }
  const missing = await web.inject({ url: `/theo-doi/bao-cao-tong-ket/phien-ban.docx?ke-hoach=${planId}&nam=${year}&phien-ban=7`, headers: basic('vp-xa') });
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toContain('không có phiên bản báo cáo tổng kết &quot;7&quot;');
});

it('refuses another commune\'s office the versions and their files', async () => {
  const { planId, year } = stack.plan;
  const download = await web.inject({ url: `/theo-doi/bao-cao-tong-ket/phien-ban.docx?ke-hoach=${planId}&nam=${year}&phien-ban=1`, headers: basic('vp-khac') });
  expect(download.statusCode).toBe(403);
  expect(download.rawPayload.includes(v1)).toBe(false);
  const page = await web.inject({ url: `/theo-doi?ke-hoach=${planId}&nam=${year}`, headers: basic('vp-khac') });
  expect(page.statusCode).toBe(403);
  expect(page.body).not.toContain('report-versions');
});
