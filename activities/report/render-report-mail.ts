/**
 * The mail that carries a version of the year-end report to the supervising office: the figures a
 * reader wants before opening the attachment (rates, counts, what is still missing) and, from the
 * second version on, which version it replaces. The sentences are the report's own
 * (reports/year-end-text.ts), so the mail and the document cannot disagree.
 */
import { formatInstant } from '../../domain/calendar';
import { periodYearsText } from '../../domain/plan/period';
import { periodOfPlan } from '../../domain/schedule/expanded-period';
import { formatVietnameseNumber } from '../../domain/summary/vietnamese-numbers';
import type { YearSummary } from '../../domain/summary/types';
import { mailTemplates } from '../mail/mail-templates';
import { dutiesWithShortfall, dutyShortfallLine, overallParagraph, rateText, unitShortfallLine } from '../../reports/year-end-text';

export interface ReportMailInput {
  summary: YearSummary;
  officeName: string;
  version: number;
  fileName: string;
  /** The version this one replaces and the instant its figures were taken. */
  replaces?: { version: number; asOf: string };
}

export interface RenderedReportMail {
  subject: string;
  text: string;
  html: string;
}

/** Units listed by name in "what is missing"; the document has them all. */
const UNITS_LISTED = 10;

export function reportMailSubject(summary: YearSummary, version: number): string {
  return `Báo cáo tổng kết ${periodYearsText(periodOfPlan(summary.plan))}, phiên bản ${version}: ${summary.plan.title}`;
}

export function renderReportMail(input: ReportMailInput): RenderedReportMail {
  const { summary, version } = input;
  const zone = summary.plan.timeZone;
  const n = formatVietnameseNumber;
  const { counts, rates } = summary.totals;
  const subject = reportMailSubject(summary, version);
  const missing = [
    ...dutiesWithShortfall(summary).map((duty) => `Nhiệm vụ ${dutyShortfallLine(duty)}`),
    ...summary.unitsMostOverdue.slice(0, UNITS_LISTED).map((unit) => `Đơn vị ${unitShortfallLine(unit)}`),
  ];
  if (summary.unitsMostOverdue.length > UNITS_LISTED) {
    missing.push(`Và ${n(summary.unitsMostOverdue.length - UNITS_LISTED)} đơn vị khác (xem phụ lục của báo cáo).`);
  }
  const view = {
    subject,
    officeName: input.officeName,
    intro:
      `Hệ thống theo dõi kế hoạch gửi kèm báo cáo tổng kết ${periodYearsText(periodOfPlan(summary.plan))} (phiên bản ${version}) của ` +
      `${summary.plan.title}, số liệu tính đến ${formatInstant(summary.asOf, zone)}.`,
    replaces: input.replaces
      ? `Phiên bản này thay thế phiên bản ${input.replaces.version} (số liệu đến ${formatInstant(input.replaces.asOf, zone)}) ` +
        'vì các đơn vị đã nộp thêm báo cáo; xin dùng phiên bản này.'
      : undefined,
    overall: overallParagraph(summary),
    figures: [
      { label: 'Lượt việc đã đến hạn', value: n(rates.owed) },
      { label: 'Nộp đúng hạn', value: n(counts['on-time']) },
      { label: 'Nộp muộn', value: n(counts.late) },
      { label: 'Chưa nộp', value: n(counts.missing) },
      { label: 'Được miễn', value: n(counts.waived) },
      { label: 'Chưa đến hạn', value: n(counts['not-due']) },
      { label: 'Tỷ lệ hoàn thành', value: rateText(rates.completion, rates.owed) },
      { label: 'Tỷ lệ đúng hạn', value: rateText(rates.onTime, rates.owed) },
    ],
    missing,
    hasMissing: missing.length > 0,
    fileName: input.fileName,
    footer:
      'Thư này được gửi tự động từ hệ thống theo dõi kế hoạch. Các phiên bản của báo cáo có trên trang theo dõi (/theo-doi). ' +
      'Nếu số liệu chưa đúng, xin liên hệ đơn vị quản trị hệ thống.',
  };
  const { text, html } = mailTemplates('year-end-report');
  return { subject, text: text.render(view), html: html.render(view) };
}
