import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultReportFile } from '../../client/commands/summary';
import { buildYearEndReport } from '../../reports/year-end-report';
import { loadPlanFile } from '../../domain/plan/load';
import { AS_OF, sampleViews } from './fixtures';
import { paragraphTexts, readDocx } from './docx-reader';

const run = promisify(execFile);

describe('kehoach summary', async () => {
  const loaded = await loadPlanFile('plans/ha-dong-2026.yaml');
  if (!loaded.ok) throw new Error('the sample plan must load');
  const plan = loaded.plan.plan;

  it('builds the report from the plan file metadata and the status views', async () => {
    const { summary, docx } = await buildYearEndReport({ plan, views: sampleViews(), asOf: AS_OF, date: '2027-01-05' });
    expect(summary.plan).toEqual({ planId: 'ha-dong-2026', year: 2026, title: plan.title, timeZone: 'Asia/Ho_Chi_Minh' });
    expect(summary.totals.counts.total).toBe(11);
    const texts = paragraphTexts((await readDocx(docx)).document);
    expect(texts).toContain('ỦY BAN NHÂN DÂN XÃ HÀ ĐÔNG');
    expect(texts).toContain('UBND THÀNH PHỐ HẢI PHÒNG');
    // The plan is "/KH-UBND": the report takes the same body part after "BC".
    expect(texts).toContain('Số:       /BC-UBND');
    expect(texts).toContain('Hà Đông, ngày 05 tháng 01 năm 2027');
    expect(texts).toContain('Hoàng Văn Đại');
    expect(texts.at(texts.indexOf('Nơi nhận:') + plan.recipients.length)).toBe('- Lưu: VT, VHXH.');
  });

  it('writes to data/reports by default', () => {
    expect(defaultReportFile('/srv/kehoach/data', 'ha-dong-2026', 2026)).toBe('/srv/kehoach/data/reports/bao-cao-tong-ket-ha-dong-2026-2026.docx');
  });

  it('refuses a cut-off date that does not exist, in Vietnamese, before connecting', async () => {
    const failure = await run('npx', ['tsx', 'client/main.ts', 'summary', '--as-of', '2026-02-30'], { env: { ...process.env, KEHOACH_DEBUG: '' } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('Lỗi: ngày tính số liệu "2026-02-30" không hợp lệ');
  });
});
