/**
 * Files attached to a submission, in a real browser (Debian's Chromium via playwright-core) against
 * the dev server and a running plan: a unit attaches a PDF and a Word file to its report; the
 * submission in the duty workflow references them by SHA-256; the office downloads them byte for
 * byte from its page, while an anonymous request and another commune's account are refused. A file
 * named .pdf whose content is something else is refused with a Vietnamese message, recording nothing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Document, Packer, Paragraph } from 'docx';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDutyStatus } from '../../operations/plan-client';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { createDirectoryAttachmentStore } from '../../web/attachment-store';
import { OFFICE_USER } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { serveStackPages, type ServedPages } from '../support/serve-pages';
import { type PlanStack, startPlanStack } from '../support/plan-stack';
import { basicAuth } from '../support/basic-auth';

const SECRET = 'web-attachments-secret-0123456789abcdef01';
const OFFICE_PASSWORD = 'mat-khau-van-phong-2026';
const OTHER_OFFICE = 'van-phong-xa-khac';
const OTHER_PASSWORD = 'mat-khau-xa-khac-2026';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A minimal but well-formed PDF 1.4 (one empty page), written out by hand. */
function minimalPdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let stack: PlanStack;
let client: Client;
let plan: ExpandedPlan;
let pages: ServedPages | undefined;
let baseUrl: string;
let browser: Browser;
let withFiles: Occurrence;
let withFakePdf: Occurrence;

beforeAll(async () => {
  stack = await startPlanStack('web-attachments', SECRET);
  ({ client, plan } = stack);
  const now = Date.now();
  const open = plan.occurrences.filter((o) => Date.parse(o.dueAt) > now + 86_400_000 && !o.eventAt);
  const [first] = open;
  const second = open.find((o) => o.dutyId !== first?.dutyId);
  if (!first || !second) throw new Error('the default plan has no two open reports of different duties: pick another fixture');
  withFiles = first;
  withFakePdf = second;
  const accounts = await accountBookWith(stack.dataDir, [
    { name: OFFICE_USER, role: 'office', commune: stack.catalog.communeId, password: OFFICE_PASSWORD },
    { name: OTHER_OFFICE, role: 'office', commune: 'xa-khac', password: OTHER_PASSWORD },
  ]);
  pages = await serveStackPages(stack, SECRET, {
    accounts,
    attachments: createDirectoryAttachmentStore(path.join(stack.dataDir, 'tep-dinh-kem')),
  });
  ({ baseUrl, browser } = pages);
});

afterAll(async () => {
  await pages?.close();
  await stack?.stop();
});

function linkFor(occurrence: Occurrence): string {
  return createSubmissionLinks(SECRET, baseUrl).linkFor({ planId: plan.planId, year: plan.year, occurrenceKey: occurrence.key, unitId: occurrence.unitId });
}

/** Every required field filled with a value its type accepts. */
async function fillRequired(page: Page, occurrence: Occurrence) {
  const duty = plan.duties.find((d) => d.id === occurrence.dutyId);
  for (const field of duty?.fields.filter((f) => f.required) ?? []) {
    const selector = `#field_${field.id}`;
    if (field.type === 'yesno') await page.selectOption(selector, 'có');
    else if (field.type === 'text') await page.fill(selector, 'Nội dung báo cáo');
    else if (field.type === 'date') await page.fill(selector, '15/01/2027');
    else await page.fill(selector, String(Math.max(1, field.min ?? 1)));
  }
}

async function occurrenceNow(occurrence: Occurrence) {
  const duty = await getDutyStatus(client, plan, occurrence.dutyId, { unitId: occurrence.unitId });
  return duty.occurrences.find((o) => o.key === occurrence.key);
}

describe('attachments', () => {
  it('takes a PDF and a Word file with a submission, references them by hash, and serves them to the office only', async () => {
    const pdf = minimalPdf();
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Số liệu quý')] }] }));
    const page = await browser.newPage();
    await page.goto(linkFor(withFiles));
    await fillRequired(page, withFiles);
    await page.setInputFiles('#tep', [
      { name: 'Biên bản họp thôn.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'so-lieu.docx', mimeType: DOCX_TYPE, buffer: docx },
    ]);
    const response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(([r]) => r);
    expect(response?.status()).toBe(200);
    expect(await page.locator('#files').textContent()).toBe('Biên bản họp thôn.pdfso-lieu.docx');
    await page.close();

    const recorded = await occurrenceNow(withFiles);
    expect(recorded?.submission?.attachments).toEqual([
      { hash: sha256(pdf), name: 'Biên bản họp thôn.pdf', type: 'application/pdf', size: pdf.length },
      { hash: sha256(docx), name: 'so-lieu.docx', type: DOCX_TYPE, size: docx.length },
    ]);

    // The office finds the files on its page and downloads them unchanged.
    const context = await browser.newContext({ httpCredentials: { username: OFFICE_USER, password: OFFICE_PASSWORD } });
    const office = await context.newPage();
    await office.goto(`${baseUrl}/theo-doi?ke-hoach=${plan.planId}&nam=${plan.year}&don-vi=${withFiles.unitId}`);
    const fileLink = office.locator('#unit a.file', { hasText: 'Biên bản họp thôn.pdf' });
    const [download] = await Promise.all([office.waitForEvent('download'), fileLink.click()]);
    expect(download.suggestedFilename()).toBe('Biên bản họp thôn.pdf');
    const downloaded = await download.path().then((file) => import('node:fs/promises').then((fs) => fs.readFile(file)));
    expect(sha256(downloaded)).toBe(sha256(pdf));
    const href = (await fileLink.getAttribute('href')) ?? '';
    const served = await context.request.get(`${baseUrl}${href}`);
    expect(served.headers()['content-type']).toBe('application/pdf');
    expect(served.headers()['content-disposition']).toContain("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n");
    // The unit's history lists both files with the item's submission, linked to the same download.
    await office.goto(`${baseUrl}/theo-doi/don-vi/${withFiles.unitId}?ke-hoach=${plan.planId}&nam=${plan.year}`);
    const listed = office.locator('a', { hasText: 'Biên bản họp thôn.pdf' });
    expect(await listed.getAttribute('href')).toBe(href);
    expect(await office.locator('a', { hasText: 'so-lieu.docx' }).count()).toBe(1);
    await context.close();

    // Nobody else: anonymous (a unit has no account), another commune's office.
    const anonymous = await fetch(`${baseUrl}${href}`);
    expect(anonymous.status).toBe(401);
    expect(Buffer.from(await anonymous.arrayBuffer()).includes(pdf.subarray(0, 16))).toBe(false);
    const otherCommune = await fetch(`${baseUrl}${href}`, { headers: { authorization: basicAuth(OTHER_OFFICE, OTHER_PASSWORD) } });
    expect(otherCommune.status).toBe(403);
    // A hash the item's submission does not reference is not served, even to the office.
    const unreferenced = await fetch(`${baseUrl}${href.replace(sha256(pdf), sha256(Buffer.from('khác')))}`, { headers: { authorization: basicAuth(OFFICE_USER, OFFICE_PASSWORD) } });
    expect(unreferenced.status).toBe(404);
  });

  it('refuses a file named .pdf whose content is not a PDF, in Vietnamese, and records nothing', async () => {
    const page = await browser.newPage();
    await page.goto(linkFor(withFakePdf));
    await fillRequired(page, withFakePdf);
    await page.setInputFiles('#tep', [{ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Đây là văn bản thường, không phải PDF.\n', 'utf8') }]);
    const response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(([r]) => r);
    expect(response?.status()).toBe(422);
    expect(await page.locator('p.error[role=alert]').textContent()).toBe(
      'Chưa nộp được vì tệp đính kèm: Tệp "bao-cao.pdf" mang đuôi .pdf nhưng nội dung không phải PDF; tệp có thể bị hỏng hoặc bị đổi tên. ' +
        'Chỉ nhận PDF, ảnh JPEG hoặc PNG, Word (.docx), Excel (.xlsx). Những gì đã nhập vẫn được giữ nguyên; xin chọn lại tệp.',
    );
    await page.close();
    const after = await occurrenceNow(withFakePdf);
    expect(after?.submission).toBeUndefined();
    expect(after?.status).toBe('pending');
  });
});
