/**
 * `summary`: the year-end summary report. Facts (what was submitted, when) come from the running
 * duty workflows; the document's issuer, signer and distribution list come from the plan file,
 * because the workflows carry only what reminders need (title, units, duties), not who signs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { endOfLocalDay, localDateOf, CalendarInputError } from '../../domain/calendar';
import { loadPlanFile } from '../../domain/plan/load';
import type { PlanFile } from '../../domain/plan/schema';
import { OUTCOME_LABELS } from '../../domain/summary/outcome-labels';
import type { YearSummary } from '../../domain/summary/types';
import { buildYearEndReport, reportGroups } from '../../reports/year-end-report';
import { completionPhrase, overallParagraph, unitShortfallLine } from '../../reports/year-end-text';
import type { DutyStatusView } from '../../workflows/types';
import { printJson, say } from '../cli-output';
import { UserError } from '../../domain/user-error';
import { getPlanStatus, PlanInvalidError, resolvePlanRef } from '../../operations/plan-client';
import { connectClient } from '../../operations/temporal';


export function defaultReportFile(dataDir: string, planId: string, year: number): string {
  return path.join(dataDir, 'reports', `bao-cao-tong-ket-${planId}-${year}.docx`);
}

function localDateOption(value: string | undefined, name: string, timeZone: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    endOfLocalDay(value, timeZone);
    return value;
  } catch (err) {
    if (!(err instanceof CalendarInputError)) throw err;
    throw new UserError(`${name} "${value}" không hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-12-14`);
  }
}

function numberOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UserError(`số văn bản "${value}" phải là số nguyên dương, ví dụ 15`);
  return number;
}

async function readPlanFile(file: string): Promise<PlanFile> {
  const loaded = await loadPlanFile(file);
  if (!loaded.ok) throw new PlanInvalidError(loaded.problems);
  return loaded.plan;
}

export function printSummary(summary: YearSummary, file: string): void {
  say(`Báo cáo tổng kết: ${summary.plan.title}`);
  say(overallParagraph(summary));
  say();
  for (const duty of summary.duties) {
    const counts = (['on-time', 'late', 'missing', 'waived'] as const).map((outcome) => `${duty.counts[outcome]} ${OUTCOME_LABELS[outcome]}`);
    say(`  ${duty.dutyId}: ${counts.join(', ')}; ${completionPhrase(duty.rates)}`);
  }
  if (summary.unitsMostOverdue.length > 0) {
    say();
    say('Cơ quan, đơn vị còn nhiều việc chưa nộp:');
    for (const unit of summary.unitsMostOverdue.slice(0, 5)) say(`  - ${unitShortfallLine(unit)}`);
  }
  say();
  say(`Đã ghi báo cáo (để văn thư điền số và trình ký): ${file}`);
}

export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description('Lập báo cáo tổng kết năm (tệp .docx theo Nghị định 30/2020/NĐ-CP) từ tình hình thực hiện các nhiệm vụ')
    .option('--plan <mã>', 'mã kế hoạch (mặc định: kế hoạch duy nhất đang chạy)')
    .option('--year <năm>', 'năm của kế hoạch')
    .option('--file <tệp-kế-hoạch>', 'tệp YAML của kế hoạch, lấy cơ quan ban hành, người ký, nơi nhận (mặc định: KEHOACH_PLAN)')
    .option('--out <tệp.docx>', 'nơi ghi báo cáo (mặc định: data/reports/bao-cao-tong-ket-<kế-hoạch>-<năm>.docx)')
    .option('--as-of <ngày>', 'tính số liệu đến hết ngày này (NĂM-THÁNG-NGÀY; mặc định: thời điểm hiện tại)')
    .option('--date <ngày>', 'ngày ký báo cáo (NĂM-THÁNG-NGÀY; mặc định: hôm nay)')
    .option('--number <số>', 'số của báo cáo (mặc định: để trống cho văn thư điền)')
    .option('--json', 'in số liệu tổng hợp dạng JSON')
    .action(
      async (options: { plan?: string; year?: string; file?: string; out?: string; asOf?: string; date?: string; number?: string; json?: boolean }) => {
        const config = loadConfig();
        const planFile = await readPlanFile(options.file ?? config.planFile);
        const plan = planFile.plan;
        const year = options.year === undefined ? undefined : Number(options.year);
        if (year !== undefined && !Number.isInteger(year)) throw new UserError(`năm "${options.year}" không hợp lệ`);
        const asOfDate = localDateOption(options.asOf, 'ngày tính số liệu', plan.timeZone);
        const date = localDateOption(options.date, 'ngày ký', plan.timeZone) ?? localDateOf(new Date().toISOString(), plan.timeZone);
        const number = numberOption(options.number);

        const client = await connectClient(config);
        let views: DutyStatusView[];
        try {
          const ref = await resolvePlanRef(client, { ...(options.plan ? { planId: options.plan } : {}), ...(year ? { year } : {}) });
          if (ref.planId !== plan.id || ref.year !== plan.year) {
            throw new UserError(
              `tệp kế hoạch là ${plan.id} năm ${plan.year} nhưng kế hoạch đang chạy là ${ref.planId} năm ${ref.year}; hãy chỉ rõ --file hoặc --plan, --year`,
            );
          }
          views = await getPlanStatus(client, ref);
        } finally {
          await client.connection.close();
        }

        const asOf = asOfDate ? endOfLocalDay(asOfDate, plan.timeZone) : new Date().toISOString();
        const { summary, docx } = await buildYearEndReport({ plan, views, asOf, date, groups: reportGroups(planFile), ...(number !== undefined ? { number } : {}) });
        const file = path.resolve(options.out ?? defaultReportFile(config.dataDir, plan.id, plan.year));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, docx);
        if (options.json) return printJson(summary);
        printSummary(summary, file);
      },
    );
}
