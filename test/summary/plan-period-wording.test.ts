/**
 * How mail, the report and the city page name a plan in time: a calendar-year plan as "năm 2026"
 * (unchanged), a plan whose period crosses 1 January by both years ("2026–2027") or by its days.
 * The expected strings are written out here, not built with the product's helpers.
 */
import { describe, expect, it } from 'vitest';
import { digestSubject, renderDigest } from '../../activities/mail/render-digest';
import { renderReportMail } from '../../activities/report/render-report-mail';
import { periodSpanText, periodYearsText } from '../../domain/plan/period';
import { summarise } from '../../domain/summary/aggregate';
import { renderYearEndReport } from '../../reports/year-end-docx';
import { cityView } from '../../web/city-page';
import { sampleDigest } from '../activities/fixtures';
import { paragraphTexts, readDocx } from './docx-reader';
import { AS_OF, DOCUMENT_INFO, dutyView, PLAN_INFO, sampleViews } from './fixtures';

const CAMPAIGN = {
  ...PLAN_INFO,
  planId: 'ha-dong-tet-2027',
  title: 'Kế hoạch tổ chức Tết Nguyên đán Đinh Mùi 2027',
  period: { from: '2026-11-16', to: '2027-04-15' },
};

const reportMail = (plan: typeof PLAN_INFO) =>
  renderReportMail({ summary: summarise(plan, sampleViews(), { asOf: AS_OF }), officeName: 'Văn phòng', version: 2, fileName: 'a.docx' });

describe('the label of a plan in time', () => {
  it('is the year of a period inside one calendar year, both years of one across two', () => {
    expect(periodYearsText({ from: '2026-01-01', to: '2026-12-31' })).toBe('năm 2026');
    expect(periodYearsText({ from: '2026-03-01', to: '2026-06-30' })).toBe('năm 2026');
    expect(periodYearsText({ from: '2026-09-01', to: '2027-05-31' })).toBe('2026–2027');
  });

  it('in a sentence is the year of a calendar-year plan and the days of any other', () => {
    expect(periodSpanText({ from: '2026-01-01', to: '2026-12-31' })).toBe('năm 2026');
    expect(periodSpanText({ from: '2026-03-01', to: '2026-06-30' })).toBe('thời gian 01/03/2026–30/06/2026');
    expect(periodSpanText({ from: '2026-09-01', to: '2027-05-31' })).toBe('thời gian 01/09/2026–31/05/2027');
  });
});

describe('the year-end report mail', () => {
  it('of a calendar-year plan says "năm 2026", as it always has', () => {
    const mail = reportMail(PLAN_INFO);
    expect(mail.subject).toBe('Báo cáo tổng kết năm 2026, phiên bản 2: Kế hoạch thực hiện dân chủ cơ sở trên địa bàn xã Hà Đông năm 2026');
    expect(mail.text).toContain('gửi kèm báo cáo tổng kết năm 2026 (phiên bản 2) của');
    expect(mail.text).toContain('Trong năm 2026, 2 nhiệm vụ');
  });

  it('of a campaign across 1 January names both years and the days, never "năm 2026"', () => {
    const mail = reportMail(CAMPAIGN);
    expect(mail.subject).toBe('Báo cáo tổng kết 2026–2027, phiên bản 2: Kế hoạch tổ chức Tết Nguyên đán Đinh Mùi 2027');
    expect(mail.text).toContain('gửi kèm báo cáo tổng kết 2026–2027 (phiên bản 2) của');
    expect(mail.text).toContain('Trong thời gian 16/11/2026–15/04/2027, 2 nhiệm vụ');
    // Dates ("ngày 14 tháng 12 năm 2026") aside, no sentence names the plan by one year.
    const withoutDates = `${mail.subject}\n${mail.text}\n${mail.html}`.replace(/ngày \d{2} tháng \d{1,2} năm \d{4}/g, '');
    expect(withoutDates).not.toContain('năm 2026');
  });
});

describe('the year-end report document of a campaign across 1 January', () => {
  it('counts deadlines by the months of the period, both years of them', async () => {
    // Two monthly reports: December 2026 on time, February 2027 missing (both due on the 10th).
    const views = [
      dutyView('bc-thang', 'Báo cáo tháng', [], [
        { unit: 'thon-1', period: '2026-12', status: 'submitted', dueAt: '2026-12-10T17:00:00.000Z', receivedAt: '2026-12-09T03:00:00.000Z' },
        { unit: 'thon-1', period: '2027-02', status: 'overdue', dueAt: '2027-02-10T17:00:00.000Z' },
      ]),
    ];
    const summary = summarise(CAMPAIGN, views, { asOf: '2027-04-15T01:00:00.000Z' });
    expect(summary.byMonth.map((month) => `${month.month}/${month.year}`)).toEqual([
      '11/2026', '12/2026', '1/2027', '2/2027', '3/2027', '4/2027', '5/2027', '6/2027', '7/2027', '8/2027', '9/2027', '10/2027',
    ]);
    expect(summary.byMonth[1]?.rates).toEqual({ owed: 1, completion: 1, onTime: 1 });
    expect(summary.byMonth[3]?.rates).toEqual({ owed: 1, completion: 0, onTime: 0 });
    const texts = paragraphTexts((await readDocx(await renderYearEndReport(summary, DOCUMENT_INFO))).document);
    const caption = texts.find((text) => text.startsWith('Hình 1.')) ?? '';
    expect(caption).toContain('Tháng 11/2026, 1/2027, 3/2027, 4/2027, 5/2027, 6/2027, 7/2027, 8/2027, 9/2027, 10/2027 không có lượt việc đến hạn');
  });

  it('reports on the days of the period', async () => {
    const docx = await readDocx(await renderYearEndReport(summarise(CAMPAIGN, sampleViews(), { asOf: AS_OF }), DOCUMENT_INFO));
    const texts = paragraphTexts(docx.document);
    expect(texts).toContain(
      'Thực hiện Kế hoạch tổ chức Tết Nguyên đán Đinh Mùi 2027, Ủy ban nhân dân xã Hà Đông báo cáo kết quả thực hiện ' +
        'trong thời gian 16/11/2026–15/04/2027 như sau:',
    );
    expect(texts.some((text) => text.startsWith('Trong thời gian 16/11/2026–15/04/2027, 2 nhiệm vụ'))).toBe(true);
  });
});

describe('a digest', () => {
  it('of a calendar-year plan keeps its subject and intro', () => {
    const digest = sampleDigest();
    expect(digestSubject(digest)).toBe('[Kế hoạch năm 2026] 3 việc cần thực hiện (1 việc quá hạn) – Trường Tiểu học Hà Đông – 20/03/2026');
    const mail = renderDigest(digest, { organizer: { name: 'Phòng', address: 'p@example.vn' }, linkFor: () => 'https://kehoach.example/nop/t' });
    expect(mail.text).toContain('Hệ thống theo dõi kế hoạch năm 2026 xin thông báo 3 việc');
  });

  it("names both years once it carries its plan's period (DigestInput has no such field yet)", () => {
    const digest = Object.assign(sampleDigest(), { period: { from: '2026-09-01', to: '2027-05-31' } });
    expect(digestSubject(digest)).toBe('[Kế hoạch 2026–2027] 3 việc cần thực hiện (1 việc quá hạn) – Trường Tiểu học Hà Đông – 20/03/2026');
  });
});

describe('the city page', () => {
  it('lists a plan across 1 January by both its years', () => {
    const view = cityView(
      [{ communeId: 'ha-dong', communeName: 'xã Hà Đông', plans: [{ year: 2026, duties: [] }, { year: 2026, period: CAMPAIGN.period, duties: [] }] }],
      '2026-12-01T02:00:00Z',
      'Asia/Ho_Chi_Minh',
    );
    expect(view.rows[0]?.years).toBe('2026, 2026–2027');
  });
});
