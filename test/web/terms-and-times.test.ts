/**
 * One receipt word and one way of writing a moment, wherever people read them: a digest and the
 * year-end report mail, the office page, the receipt page, the CLI's outbox listing and the duty
 * workflow's refusals. The checks are regular expressions of their own, not the product's formatter.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../activities/mail/render-digest';
import { renderReportMail } from '../../activities/report/render-report-mail';
import { formatOutboxList, formatOutboxMessage } from '../../client/commands/outbox';
import { formatInstant } from '../../domain/calendar';
import { summarise } from '../../domain/summary/aggregate';
import { officeView } from '../../web/office-page';
import { renderPage } from '../../web/pages';
import { formatInstant as workflowInstant } from '../../workflows/vietnamese-text';
import { sampleDigest } from '../activities/fixtures';
import { AS_OF, PLAN_INFO, sampleViews } from '../summary/fixtures';

/** 'HH:mm ngày dd/MM/yyyy', or the start of a span 'HH:mm – HH:mm ngày dd/MM/yyyy'. */
const MOMENT = /^\d{2}:\d{2}(?: – \d{2}:\d{2})? ngày \d{2}\/\d{2}\/\d{4}/;

/** Every time of day in `text` that is not written as a moment, with what follows it. */
function strayTimes(text: string): string[] {
  const stray: string[] = [];
  for (const match of text.matchAll(/(?<![\d:])\d{1,2}:\d{2}(?![\d:])/g)) {
    const at = match.index ?? 0;
    const isSpanEnd = text.slice(Math.max(0, at - 2), at) === '– ';
    if (!isSpanEnd && !MOMENT.test(text.slice(at))) stray.push(text.slice(Math.max(0, at - 20), at + 30));
  }
  // A date followed by a time ('20/03/2026 08:00', '20/03/2026, lúc 08:00') is the other order.
  for (const match of text.matchAll(/\d{1,2}\/\d{1,2}\/\d{2,4},? (?:lúc )?\d{1,2}:\d{2}/g)) stray.push(match[0]);
  return stray;
}

function plainText(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

const ZONE = 'Asia/Ho_Chi_Minh';

describe('moments are written one way', () => {
  it('in a digest (a meeting, a deadline with its hour)', () => {
    const digest = sampleDigest();
    const withHour = { ...digest, items: [...digest.items, { ...digest.items[0]!, id: 'x', dueAt: '2026-03-20T10:00:00.000Z' }] };
    const mail = renderDigest(withHour, { organizer: { name: 'Phòng', address: 'p@example.vn' }, linkFor: () => 'https://kehoach.example/nop/t' });
    expect(mail.text).toContain('08:00 ngày 23/03/2026');
    expect(mail.text).toContain('17:00 ngày 20/03/2026');
    expect(strayTimes(mail.text)).toEqual([]);
    expect(strayTimes(plainText(mail.html))).toEqual([]);
  });

  it('in the year-end report mail', () => {
    const summary = summarise(PLAN_INFO, sampleViews(), { asOf: AS_OF });
    const mail = renderReportMail({ summary, officeName: 'Phòng Văn hóa - Xã hội', version: 2, fileName: 'a.docx', replaces: { version: 1, asOf: '2026-12-15T01:00:00.000Z' } });
    expect(mail.text).toContain('số liệu tính đến 00:00 ngày 15/12/2026');
    expect(mail.text).toContain('thay thế phiên bản 1 (số liệu đến 08:00 ngày 15/12/2026)');
    expect(strayTimes(mail.text)).toEqual([]);
    expect(strayTimes(plainText(mail.html))).toEqual([]);
  });

  it('on the office page (as-of line, mail outage) and the receipt page', () => {
    const views = sampleViews();
    const outage = { since: '2026-03-02T00:30:00.000Z', waitingDigests: 3, lastError: '451', nextAttemptAt: '2026-03-02T02:30:00.000Z' };
    const office = renderPage('office', { ...officeView('Kế hoạch', views, undefined, '2026-03-02T03:15:00.000Z', outage), planId: 'p', year: 2026 });
    const officeText = plainText(office);
    expect(officeText).toContain('10:15 ngày 02/03/2026');
    expect(officeText).toContain('từ 07:30 ngày 02/03/2026');
    expect(strayTimes(officeText)).toEqual([]);
    const receipt = plainText(renderPage('receipt', { reference: '2026/BC/0001', receivedAt: formatInstant('2026-03-20T03:05:00.000Z', ZONE), late: false }));
    expect(receipt).toContain('Số tiếp nhận');
    expect(receipt).toContain('10:05 ngày 20/03/2026');
    expect(strayTimes(receipt)).toEqual([]);
  });

  it('in the CLI outbox listing and message view', () => {
    const entry = {
      id: 'abc',
      createdAt: '2026-03-20T01:00:12.000Z',
      messageId: '<m@x>',
      from: 'a@x',
      to: [{ name: 'Trường', address: 't@x' }],
      subject: 'Nhắc việc',
      attachments: [],
      text: '',
      emlFile: '/tmp/abc.eml',
    };
    const lines = [...formatOutboxList([entry], '/tmp'), ...formatOutboxMessage(entry, '/tmp/abc.eml')].join('\n');
    expect(lines).toContain('08:00 ngày 20/03/2026');
    expect(strayTimes(lines)).toEqual([]);
  });

  it('in refusals written by workflow code (offset arithmetic, no zone library)', () => {
    expect(workflowInstant(Date.parse('2026-03-20T03:05:00.000Z'), 420)).toBe('10:05 ngày 20/03/2026');
    expect(workflowInstant(Date.parse('2026-03-20T03:05:00.000Z'), 420)).toBe(formatInstant('2026-03-20T03:05:00.000Z', ZONE));
  });
});

describe('the receipt word', () => {
  /** Every file people read text from: code, mail and page templates. */
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return sources(file);
      return /\.(ts|html|txt)$/.test(name) ? [file] : [];
    });
  }

  it('is "số tiếp nhận" everywhere: no other word for it in code or templates', () => {
    const offending = ['activities', 'client', 'domain', 'reports', 'simulation', 'web', 'workflows']
      .flatMap(sources)
      .filter((file) => /biên nhận|phiếu nhận|giấy nhận|mã nộp|số tham chiếu/i.test(readFileSync(file, 'utf8')));
    expect(offending).toEqual([]);
    const receiptTemplates = ['web/templates/receipt.html', 'web/templates/submission.html'].map((file) => readFileSync(file, 'utf8'));
    for (const template of receiptTemplates) expect(template).toMatch(/[Ss]ố tiếp nhận/);
  });
});
