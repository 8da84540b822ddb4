/**
 * The whole Hà Đông 2026 year on the time-skipping server against a real SMTP server on loopback:
 * the mail received must be exactly the mail the schedule and the script call for, and the plan
 * mails its year-end report by itself: version 1 on the first working day after the yearly data
 * cut-off (14/12), a newer version at the next working day's mail time after later submissions.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { paragraphTexts, readDocx } from '../summary/docx-reader';
import { waitFor } from '../support/wait-for';
import { createRig, type Rig } from './rig';
import { PLAN_FILE, runHaDongYear } from './year-scenario';
import { checkYear, isYearEndReportMail } from './year-checks';
import { OracleCalendar } from './year-oracle';

const ZONE = 'Asia/Ho_Chi_Minh';
const OFFICE_EMAIL = 'vhxh@ha-dong.example';
const REMOVED_DUTY = 'bao-cao-dccs-doanh-nghiep';

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

/** 08:00 local of the first working day whose 08:00 is after `ms`. */
function mailTimeAfter(calendar: OracleCalendar, ms: number): number {
  let day = DateTime.fromMillis(ms, { zone: ZONE }).startOf('day');
  for (;;) {
    const at = day.set({ hour: 8 });
    if (at.toMillis() > ms && calendar.isWorkingDay(day.toISODate() as string)) return at.toMillis();
    day = day.plus({ days: 1 });
  }
}

/** 'HH:mm ngày dd/MM/yyyy', written here with luxon rather than with the product's formatter. */
function spoken(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toFormat("HH:mm 'ngày' dd/MM/yyyy");
}

const reportMails = () => rig.smtp.messages.filter(isYearEndReportMail);

it('runs the Hà Đông 2026 year, mails exactly the expected digests and the year-end report versions', async () => {
  const calendar = new OracleCalendar(PLAN_FILE);
  // The yearly cut-off is 14/12 (NĐ 09/2019, the plan's yearly reporting duties); the plan sets no date.
  const firstReportAt = mailTimeAfter(calendar, DateTime.fromISO('2026-12-14T23:59', { zone: ZONE }).toMillis());
  expect(spoken(firstReportAt)).toBe('08:00 ngày 15/12/2026');

  const run = await runHaDongYear(rig, {
    checkpoints: [
      {
        at: new Date(firstReportAt - 60_000).toISOString(),
        label: 'no report before its instant',
        run: async () => expect(reportMails()).toEqual([]),
      },
      {
        at: new Date(firstReportAt + 30 * 60_000).toISOString(),
        label: 'report version 1 arrived',
        run: () => waitFor('the first report mail', async () => reportMails().length === 1, { timeoutMs: 60_000 }),
      },
    ],
  });
  checkYear(run, rig);

  // The versions the script calls for: v1 at the report instant, then after each later submission
  // the next working day's 08:00, while tracking lasts.
  const expectedAsOf = [firstReportAt];
  for (;;) {
    const last = expectedAsOf[expectedAsOf.length - 1] as number;
    const next = run.submissions.find((s) => s.at > last);
    if (!next) break;
    const at = mailTimeAfter(calendar, next.at);
    if (at >= Date.parse(run.closesAt)) break;
    expectedAsOf.push(at);
  }
  expect(expectedAsOf.length).toBeGreaterThanOrEqual(2);

  const mails = reportMails();
  expect(mails.map((m) => m.parsed.subject)).toEqual(
    expectedAsOf.map((_, index) => `Báo cáo tổng kết năm 2026, phiên bản ${index + 1}: ${run.plan.title}`),
  );
  const storedFiles = readdirSync(path.join(rig.dataDir, 'reports', 'ha-dong-2026-2026'));
  for (const [index, mail] of mails.entries()) {
    const version = index + 1;
    const asOf = expectedAsOf[index] as number;
    expect(mail.envelope.to).toEqual([OFFICE_EMAIL]);
    const text = mail.parsed.text ?? '';
    expect(text).toContain(`số liệu tính đến ${spoken(asOf)}`);
    if (version > 1) expect(text).toContain(`Phiên bản này thay thế phiên bản ${version - 1} (số liệu đến ${spoken(expectedAsOf[index - 1] as number)})`);
    else expect(text).not.toContain('thay thế');

    // Numbers: what the script submitted by then (the removed duty is no longer reported on).
    const submitted = run.submissions.filter((s) => s.at <= asOf && !s.key.startsWith(`${REMOVED_DUTY}:`)).length;
    const figure = (label: string) => Number(new RegExp(`${label}: (\\d+(?:\\.\\d{3})*)`).exec(text)?.[1]?.replace(/\./g, ''));
    expect(figure('Nộp đúng hạn') + figure('Nộp muộn')).toBe(submitted);

    const attachment = mail.parsed.attachments.find((a) => a.filename?.endsWith('.docx'));
    expect(attachment?.filename).toBe(`bao-cao-tong-ket-ha-dong-2026-2026-phien-ban-${version}.docx`);
    expect(attachment?.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const bytes = attachment?.content as Buffer;
    // Stored as that version, named by its content hash.
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    expect(storedFiles).toContain(`v${version}-${hash}.docx`);

    const docx = await readDocx(bytes);
    const texts = paragraphTexts(docx.document);
    expect(texts).toContain('BÁO CÁO');
    const date = DateTime.fromMillis(asOf, { zone: ZONE });
    // NĐ 30/2020: day below 10 and months 1–2 with a leading zero.
    expect(texts).toContain(`Hà Đông, ngày ${date.toFormat('dd')} tháng ${date.toFormat(date.month <= 2 ? 'MM' : 'M')} năm ${date.year}`);
    const overall = texts.find((t) => t.startsWith('Trong năm 2026')) ?? '';
    const count = (phrase: string) => Number(new RegExp(`(\\d+(?:\\.\\d{3})*) lượt ${phrase}`).exec(overall)?.[1]?.replace(/\./g, '') ?? '0');
    expect(count('nộp đúng hạn') + count('nộp muộn')).toBe(submitted);
    // The chart: one PNG in the package, drawn in the document.
    expect(docx.files.filter((f) => /^word\/media\/.+\.png$/.test(f))).toHaveLength(1);
    expect(docx.document).toMatch(/<a:blip r:embed="[^"]+"/);
    // Page numbers: a PAGE field in the headers, none on each section's first page, restarting at 1.
    expect(docx.headers.some((h) => /<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/.test(h))).toBe(true);
    expect(docx.document.match(/<w:titlePg\/>/g)?.length).toBe(2);
    expect(docx.document.match(/<w:pgNumType w:start="1"/g)?.length).toBe(2);
  }

  const largest = [...run.histories].sort((a, b) => b.largestBytes - a.largestBytes)[0];
  const mostEvents = [...run.histories].sort((a, b) => b.largestEvents - a.largestEvents)[0];
  console.log(
    `[full-year] wall ${(run.wallMs / 1000).toFixed(1)} s; ${run.expectation.delivered.length} digests delivered, ` +
      `${run.expectation.rejected.length} rejected, ${mails.length} report versions; largest history by bytes: ${largest?.workflowId} ` +
      `${largest?.largestEvents} events / ${largest?.largestBytes} bytes (${largest?.runs} runs); ` +
      `most events: ${mostEvents?.workflowId} ${mostEvents?.largestEvents} events / ${mostEvents?.largestBytes} bytes`,
  );
  const busiestDuty = run.histories.filter((h) => h.workflowId.includes(':duty:')).sort((a, b) => b.largestEvents - a.largestEvents)[0];
  console.log(`[full-year] busiest duty: ${busiestDuty?.workflowId} ${busiestDuty?.largestEvents} events / ${busiestDuty?.largestBytes} bytes (${busiestDuty?.runs} runs)`);
  const planHistory = run.histories.find((h) => !h.workflowId.includes(':duty:') && !h.workflowId.endsWith(':mail'));
  console.log(`[full-year] plan: ${planHistory?.largestEvents} events / ${planHistory?.largestBytes} bytes (${planHistory?.runs} runs)`);
  // Every run of every workflow, the mailroom's included, under 1 MB (10^6 bytes) and 2 000 events.
  for (const history of run.histories) {
    expect(history.largestBytes, history.workflowId).toBeLessThan(1_000_000);
    expect(history.largestEvents, history.workflowId).toBeLessThanOrEqual(2_000);
  }
});
