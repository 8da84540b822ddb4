/**
 * What a simulated year leaves in its folder: the script, the mail preview (text and JSON), the
 * year-end report and the office page, all marked as a simulation. The outbox is written there by
 * the activities while the year runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { endOfLocalDay } from '../domain/calendar';
import { formatShortDate } from '../domain/calendar/vietnamese-format';
import type { PlanFile } from '../domain/plan/schema';
import { isCalendarYearPlan, periodOfPlan } from '../domain/schedule/expanded-period';
import { monthIndexInPeriod, periodMonths } from '../domain/plan/period';
import { formatVietnameseNumber } from '../domain/summary/vietnamese-numbers';
import type { YearSummary } from '../domain/summary/types';
import { buildYearEndReport, reportGroups } from '../reports/year-end-report';
import { officeView } from '../web/office-page';
import { renderPage } from '../web/pages';
import type { MailPreview } from './preview';
import type { SimulationRun } from './run-simulation';
import { mixText } from './script';

export const SIMULATION_FILES = {
  script: 'kich-ban.json',
  previewText: 'xem-truoc.txt',
  previewJson: 'xem-truoc.json',
  report: 'bao-cao-tong-ket-mo-phong.docx',
  officePage: 'theo-doi.html',
  /** One page per unit, linked from the office page. */
  unitPages: 'don-vi',
  outbox: 'outbox',
} as const;

const n = (value: number) => formatVietnameseNumber(value);

function pad(text: string, width: number, right = false): string {
  const gap = ' '.repeat(Math.max(0, width - [...text].length));
  return right ? gap + text : text + gap;
}

export function previewText(run: Pick<SimulationRun, 'plan' | 'script'>, preview: MailPreview): string {
  const lines: string[] = [];
  lines.push(`MÔ PHỎNG: ${run.plan.title}`);
  lines.push(`Hạt giống ${run.script.seed}; cách các đơn vị thực hiện: ${mixText(run.script.mix)}.`);
  lines.push('');
  lines.push(
    `Tổng cộng ${n(preview.digests)} thư (${n(preview.items)} việc được nhắc), ${n(preview.invitations)} giấy mời, ` +
      `${n(preview.overdueNotices)} thông báo quá hạn.`,
  );
  if (preview.escalations.length === 0) lines.push('Không có lượt báo cáo cấp trên nào.');
  else {
    lines.push('Báo cáo cấp trên (việc quá hạn được báo lên):');
    for (const level of preview.escalations) {
      const top = level.recipients.slice(0, 3).map((r) => `${r.unitName} ${n(r.notices)}`).join('; ');
      lines.push(`  - cấp ${level.level}: ${n(level.notices)} lượt (nhiều nhất: ${top})`);
    }
  }
  lines.push('');
  lines.push('10 ngày nhiều thư nhất:');
  for (const day of preview.busiestDays) lines.push(`  - ${formatShortDate(day.localDate)}: ${n(day.digests)} thư, ${n(day.items)} việc`);
  lines.push('');
  // The months of the period and the one after it (deadlines of its last month), twelve at most.
  const period = periodOfPlan(run.plan);
  const shown = Math.min(12, monthIndexInPeriod(period.from, Number(period.to.slice(0, 4)), Number(period.to.slice(5, 7))) + 2);
  const months = periodMonths(period.from).slice(0, shown);
  lines.push(`Số thư mỗi đơn vị nhận theo tháng ${isCalendarYearPlan(run.plan) ? `năm ${run.plan.year}` : 'của thời gian kế hoạch'}:`);
  const nameWidth = Math.max(8, ...preview.units.map((unit) => [...unit.unitName].length));
  lines.push(`${pad('Đơn vị', nameWidth)} ${months.map((month) => pad(`T${month.month}`, 4, true)).join('')} ${pad('Cộng', 5, true)}`);
  for (const unit of preview.units) {
    lines.push(`${pad(unit.unitName, nameWidth)} ${unit.byMonth.slice(0, shown).map((count) => pad(count === 0 ? '·' : n(count), 4, true)).join('')} ${pad(n(unit.total), 5, true)}`);
  }
  if (preview.afterYear > 0) lines.push(`(Cột "Cộng" tính cả ${n(preview.afterYear)} thư gửi sang năm sau cho các hạn cuối năm.)`);
  return `${lines.join('\n')}\n`;
}

export interface WrittenOutputs {
  summary: YearSummary;
  files: Record<keyof typeof SIMULATION_FILES, string>;
}

export async function writeSimulationOutputs(
  dir: string,
  run: SimulationRun,
  planFile: PlanFile,
  preview: MailPreview,
): Promise<WrittenOutputs> {
  const files = Object.fromEntries(Object.entries(SIMULATION_FILES).map(([key, name]) => [key, path.join(dir, name)])) as WrittenOutputs['files'];
  const zone = run.plan.timeZone;
  const lastDay = periodOfPlan(run.plan).to;
  const asOf = endOfLocalDay(lastDay, zone);
  const { summary, docx } = await buildYearEndReport({
    plan: { ...planFile.plan, id: run.plan.planId },
    groups: reportGroups(planFile),
    views: run.views,
    asOf,
    date: lastDay,
    simulation: true,
  });
  // The office page as files: opened from the disk, no server; the unit selector becomes links.
  const officePage = (unitId: string | undefined, up: string) =>
    renderPage('office', {
      ...officeView(run.plan.title, run.views, unitId, asOf),
      pageTitle: 'Theo dõi thực hiện kế hoạch (mô phỏng)',
      simulationNotice: `Số liệu của một năm mô phỏng (hạt giống ${run.script.seed}; ${mixText(run.script.mix)}), không phải số liệu thật của kế hoạch.`,
      offline: true,
      unitPagePrefix: up === '' ? `${SIMULATION_FILES.unitPages}/` : '',
      reportLink: `${up}${SIMULATION_FILES.report}`,
      reportNote: 'số liệu mô phỏng tính đến hết ngày 31/12, chỉ để xem thử.',
    });
  const html = officePage(undefined, '');
  const unitIds = [...new Set(run.views.flatMap((view) => view.occurrences.map((occ) => occ.unitId)))];
  await mkdir(files.unitPages, { recursive: true });
  await Promise.all(unitIds.map((unitId) => writeFile(path.join(files.unitPages, `${unitId}.html`), officePage(unitId, '../'))));
  await Promise.all([
    writeFile(files.script, `${JSON.stringify(run.script, null, 2)}\n`),
    writeFile(files.previewJson, `${JSON.stringify(preview, null, 2)}\n`),
    writeFile(files.previewText, previewText(run, preview)),
    writeFile(files.report, docx),
    writeFile(files.officePage, html),
  ]);
  return { summary, files };
}
