/**
 * `start|status|submit|extend|waive|amend|cancel`: talk to the running plan workflows. The work is in
 * operations/plan-client.ts; this module parses options and prints Vietnamese (or `--json`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../config/config';
import type { DutyStatusView, Receipt } from '../../workflows/types';
import { dutyStatusLabel, OCCURRENCE_STATUS_LABELS } from '../../domain/status-labels';
import { DUE_SOON_DAYS, isDueSoon } from '../../domain/statuses';
import { printJson, say } from '../cli-output';
import { UserError } from '../../domain/user-error';
import {
  amendPlan,
  cancelPlan,
  coerceFieldLists,
  coerceFields,
  decideExtension,
  expandPlanFile,
  getDutyStatus,
  getPlanStatus,
  requestExtension,
  resolvePlanRef,
  startPlan,
  submitReport,
  submitReports,
  waiveOccurrence,
  type PlanRef,
} from '../../operations/plan-client';
import { connectClient } from '../../operations/temporal';
import { isSpreadsheet, readReportList, REPORT_LIST_SHAPE } from '../report-lists';
import { reportSheetTemplate } from '../../reports/report-sheet';
import { toXlsx } from '../../reports/table-export';
import { formatInstant, formatShortDate, localDateOf } from '../../domain/calendar';
import { periodYearsText } from '../../domain/plan/period';
import { periodOfPlan } from '../../domain/schedule/expanded-period';
import { periodOfPlanInFiles } from '../../operations/plan-catalog';


export interface PlanOptions {
  plan?: string;
  year?: string;
  json?: boolean;
}

/** A deadline is 24:00 of its last day; show that day rather than the next midnight. */
/** Deadlines are stored as 24:00 local, which people call the end of the day before. */
function deadlineText(instant: string, timeZone: string): string {
  const lastDay = localDateOf(new Date(Date.parse(instant) - 1).toISOString(), timeZone);
  return `hết ngày ${formatShortDate(lastDay)}`;
}

export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const client = await connectClient(config);
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

export async function planRef(client: Client, options: PlanOptions): Promise<PlanRef> {
  const year = options.year === undefined ? undefined : Number(options.year);
  if (year !== undefined && !Number.isInteger(year)) throw new UserError(`năm "${options.year}" không hợp lệ`);
  return resolvePlanRef(client, { ...(options.plan ? { planId: options.plan } : {}), ...(year ? { year } : {}) });
}

export function withPlanOptions(command: Command): Command {
  return command
    .option('--plan <mã>', 'mã kế hoạch (mặc định: kế hoạch duy nhất đang chạy)')
    .option('--year <năm>', 'năm của kế hoạch')
    .option('--json', 'in kết quả dạng JSON');
}

function collectField(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseFieldArgs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`"--field ${pair}" phải có dạng tên=giá-trị`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return out;
}

async function readFieldFile(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UserError(`không đọc được tệp báo cáo "${file}": ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError(`tệp báo cáo "${file}" phải chứa một đối tượng JSON {"tên-trường": giá-trị, ...}`);
  }
  return parsed as Record<string, unknown>;
}

/** Writes the spreadsheet on which the office enters a duty's paper reports as they arrive. */
async function writeReportTemplate(options: PlanOptions & { duty: string; template: string; period?: string }): Promise<void> {
  if (!isSpreadsheet(options.template)) throw new UserError(`bảng nhập phải là tệp .xlsx (đã cho "${options.template}")`);
  const table = await withClient(async (client) => reportSheetTemplate(await getDutyStatus(client, await planRef(client, options), options.duty), Date.now(), options.period));
  await writeFile(options.template, await toXlsx(table));
  if (table.rows.length === 0) {
    say(`Không còn báo cáo nào chờ nộp${options.period ? ` cho kỳ ${options.period}` : ''}; đã lập bảng trống: ${options.template}`);
    return;
  }
  say(`Đã lập bảng nhập ${table.rows.length} báo cáo còn chờ nộp: ${options.template}`);
  const plan = [...(options.plan ? [`--plan ${options.plan}`] : []), ...(options.year ? [`--year ${options.year}`] : [])].join(' ');
  say(`Điền số liệu các báo cáo đã nhận rồi nộp: kehoach submit-many ${plan ? `${plan} ` : ''}--duty ${options.duty} --file ${options.template}`);
}

/** When a report was received and whether it was late, as every receipt says it. */
function receivedText(receipt: Receipt): string {
  return `${formatInstant(receipt.receivedAt, 'Asia/Ho_Chi_Minh')}${receipt.late ? ' — NỘP MUỘN (quá hạn)' : ' — đúng hạn'}`;
}

function receiptLine(receipt: Receipt): string {
  return `số tiếp nhận ${receipt.reference}, nhận lúc ${receivedText(receipt)}`;
}

function printStatus(views: DutyStatusView[], filter: { unitId?: string; overdueOnly?: boolean; dueSoon?: boolean }): void {
  let shown = 0;
  for (const view of views) {
    if ((filter.unitId || filter.overdueOnly || filter.dueSoon) && view.occurrences.length === 0) continue;
    shown += 1;
    const next = view.nextDeadline ? `, hạn gần nhất ${deadlineText(view.nextDeadline, view.timeZone)}` : '';
    say(`${view.dutyId} — ${view.dutyTitle} [${dutyStatusLabel(view)}${next}]`);
    for (const occ of view.occurrences) {
      const parts = [`  ${occ.unitId.padEnd(16)} ${occ.periodKey.padEnd(12)} ${OCCURRENCE_STATUS_LABELS[occ.status].padEnd(18)} hạn ${deadlineText(occ.dueAt, view.timeZone)}`];
      if (occ.submission) parts.push(`số tiếp nhận ${occ.submission.reference}`);
      if (occ.waiver) parts.push(`lý do miễn: ${occ.waiver.reason}`);
      if (occ.escalatedLevels.length > 0) parts.push(`đã báo cấp ${occ.escalatedLevels.join(', ')}`);
      say(parts.join('  '));
    }
  }
  if (shown === 0) {
    say(filter.overdueOnly ? 'Không có việc nào quá hạn.' : filter.dueSoon ? `Không có việc nào đến hạn trong ${DUE_SOON_DAYS} ngày tới.` : 'Không có việc nào phù hợp.');
  }
}

export function registerDutyCommands(program: Command): void {
  program
    .command('start')
    .description('Kiểm tra và khởi chạy kế hoạch năm (chạy lại lần nữa không tạo thêm gì)')
    .argument('[tệp-kế-hoạch]', 'tệp YAML của kế hoạch (mặc định: KEHOACH_PLAN)')
    .option('--from <ngày>', 'bắt đầu theo dõi từ ngày (NĂM-THÁNG-NGÀY); việc đến hạn trước đó không được nhắc')
    .option('--json', 'in kết quả dạng JSON')
    .action(async (file: string | undefined, options: { from?: string; json?: boolean }) => {
      const config = loadConfig();
      const plan = await expandPlanFile(file ?? config.planFile, options.from ? { from: options.from } : {});
      const result = await withClient((client) => startPlan(client, config.temporal.taskQueue, plan));
      if (options.json) return printJson({ ...result, planId: plan.planId, year: plan.year, occurrences: plan.occurrences.length });
      if (result.started) {
        say(`Đã khởi chạy kế hoạch "${plan.title}" (${plan.planId}, ${periodYearsText(periodOfPlan(plan))}): ${plan.duties.length} nhiệm vụ, ${plan.occurrences.length} lượt việc.`);
      } else {
        say(`Kế hoạch "${plan.title}" (${plan.planId}, ${periodYearsText(periodOfPlan(plan))}) đã đang chạy; không khởi chạy thêm.`);
      }
      say(`Mã tiến trình: ${result.workflowId}`);
    });

  withPlanOptions(program.command('status'))
    .description('Xem tình hình thực hiện từng nhiệm vụ')
    .option('--unit <mã>', 'chỉ xem việc của một đơn vị')
    .option('--duty <mã>', 'chỉ xem một nhiệm vụ')
    .option('--overdue', 'chỉ xem việc quá hạn')
    // An overdue item is no longer awaited: together the two filters would always list nothing.
    .addOption(new Option('--due-soon', `chỉ xem việc còn chờ nộp, đến hạn trong ${DUE_SOON_DAYS} ngày tới`).conflicts('overdue'))
    .action(async (options: PlanOptions & { unit?: string; duty?: string; overdue?: boolean; dueSoon?: boolean }) => {
      const filter = { ...(options.unit ? { unitId: options.unit } : {}), ...(options.overdue ? { overdueOnly: true } : {}) };
      const views = await withClient(async (client) => {
        const ref = await planRef(client, options);
        const all = await getPlanStatus(client, ref, filter);
        return options.duty ? all.filter((v) => v.dutyId === options.duty) : all;
      });
      const nowMs = Date.now();
      const shown = options.dueSoon ? views.map((view) => ({ ...view, occurrences: view.occurrences.filter((o) => isDueSoon(o, nowMs)) })) : views;
      if (options.json) return printJson(shown);
      printStatus(shown, { ...filter, ...(options.dueSoon ? { dueSoon: true } : {}) });
    });

  withPlanOptions(program.command('submit'))
    .description('Nộp báo cáo hoặc biên bản cho một kỳ')
    .requiredOption('--duty <mã>', 'mã nhiệm vụ')
    .requiredOption('--unit <mã>', 'mã đơn vị nộp')
    .requiredOption('--period <kỳ>', 'mã kỳ, ví dụ 2026-03 hoặc 2026-Q1')
    .option('--field <tên=giá-trị>', 'một trường của báo cáo (lặp lại được)', collectField)
    .option('--file <tệp.json>', 'các trường của báo cáo trong một tệp JSON')
    .option('--by <người-nộp>', 'tên người nộp')
    .action(async (options: PlanOptions & { duty: string; unit: string; period: string; field?: string[]; file?: string; by?: string }) => {
      const raw = { ...(options.file ? await readFieldFile(options.file) : {}), ...parseFieldArgs(options.field ?? []) };
      const receipt = await withClient(async (client) => {
        const ref = await planRef(client, options);
        const fields = await coerceFields(client, ref, options.duty, raw);
        return submitReport(client, ref, {
          dutyId: options.duty,
          unitId: options.unit,
          periodKey: options.period,
          fields,
          ...(options.by ? { submittedBy: options.by } : {}),
        });
      });
      if (options.json) return printJson(receipt);
      say(`Đã nhận báo cáo. Số tiếp nhận: ${receipt.reference}`);
      say(`Thời điểm nhận: ${receivedText(receipt)}`);
    });

  withPlanOptions(program.command('submit-many'))
    .description('Nộp một lần báo cáo của nhiều đơn vị cho cùng một nhiệm vụ, ví dụ khi nhập các báo cáo giấy (tất cả được nhận hoặc không báo cáo nào)')
    .requiredOption('--duty <mã>', 'mã nhiệm vụ')
    .option('--file <tệp>', `danh sách báo cáo: bảng tính .xlsx lập bằng --template, hoặc tệp JSON ${REPORT_LIST_SHAPE}`)
    .option('--template <tệp.xlsx>', 'lập bảng tính để nhập: mỗi báo cáo còn chờ nộp một dòng, mỗi trường của báo cáo một cột')
    .option('--period <kỳ>', 'với --template: chỉ các báo cáo của kỳ này')
    .option('--by <người-nhập>', 'tên người nộp hoặc người nhập')
    .action(async (options: PlanOptions & { duty: string; file?: string; template?: string; period?: string; by?: string }) => {
      if (options.template !== undefined && options.file !== undefined) throw new UserError('chỉ chọn một trong --file (nộp) hoặc --template (lập bảng nhập)');
      if (options.template !== undefined) return writeReportTemplate(options as PlanOptions & { duty: string; template: string; period?: string });
      if (options.file === undefined) throw new UserError('cần --file <tệp> (danh sách báo cáo để nộp) hoặc --template <tệp.xlsx> (lập bảng nhập)');
      if (options.period !== undefined) throw new UserError('--period chỉ dùng với --template; kỳ của mỗi báo cáo ghi trong danh sách');
      const reports = await readReportList(options.file);
      const receipts = await withClient(async (client) => {
        const ref = await planRef(client, options);
        const where = (i: number) => `Báo cáo thứ ${i + 1} (đơn vị ${reports[i]?.unit}, kỳ ${reports[i]?.period}): `;
        const fields = await coerceFieldLists(client, ref, options.duty, reports.map((report) => report.fields), where);
        return submitReports(
          client,
          ref,
          options.duty,
          reports.map((report, i) => ({
            unitId: report.unit,
            periodKey: report.period,
            fields: fields[i] ?? {},
            ...(options.by ? { submittedBy: options.by } : {}),
          })),
        );
      });
      if (options.json) return printJson(receipts);
      say(`Đã nhận ${receipts.length} báo cáo:`);
      receipts.forEach((receipt, i) => say(`  ${i + 1}. Đơn vị ${reports[i]?.unit}, kỳ ${reports[i]?.period}: ${receiptLine(receipt)}`));
    });

  withPlanOptions(program.command('extend'))
    .description('Xin gia hạn một kỳ (--until, --reason), hoặc duyệt (--approve) / từ chối (--refuse) yêu cầu đang chờ')
    .requiredOption('--duty <mã>', 'mã nhiệm vụ')
    .requiredOption('--unit <mã>', 'mã đơn vị')
    .requiredOption('--period <kỳ>', 'mã kỳ')
    .option('--until <ngày>', 'hạn mới (NĂM-THÁNG-NGÀY)')
    .option('--reason <lý-do>', 'lý do xin gia hạn')
    .option('--approve', 'đồng ý yêu cầu gia hạn đang chờ')
    .option('--refuse', 'không đồng ý yêu cầu gia hạn đang chờ')
    .option('--note <ghi-chú>', 'ghi chú kèm quyết định')
    .action(async (options: PlanOptions & { duty: string; unit: string; period: string; until?: string; reason?: string; approve?: boolean; refuse?: boolean; note?: string }) => {
      const target = { dutyId: options.duty, unitId: options.unit, periodKey: options.period };
      if (options.approve && options.refuse) throw new UserError('chỉ chọn một trong --approve hoặc --refuse');
      const deciding = options.approve || options.refuse;
      if (!deciding && (!options.until || !options.reason)) {
        throw new UserError('xin gia hạn cần --until NĂM-THÁNG-NGÀY và --reason "lý do"; duyệt thì dùng --approve hoặc --refuse');
      }
      const record = await withClient(async (client) => {
        const ref = await planRef(client, options);
        if (deciding) {
          const period = await periodOfPlanInFiles(loadConfig().plans, ref);
          return decideExtension(client, ref, { ...target, approve: Boolean(options.approve), ...(options.note ? { note: options.note } : {}) }, period);
        }
        return requestExtension(client, ref, { ...target, untilLocalDate: options.until as string, reason: options.reason as string });
      });
      if (options.json) return printJson(record);
      const until = deadlineText(record.until, 'Asia/Ho_Chi_Minh');
      if (record.status === 'pending') say(`Đã gửi yêu cầu gia hạn đến ${until}; đang chờ quyết định.`);
      else if (record.status === 'approved') say(`Đã đồng ý gia hạn. Hạn mới: ${until}.`);
      else say('Đã từ chối yêu cầu gia hạn; hạn nộp giữ nguyên.');
    });

  withPlanOptions(program.command('waive'))
    .description('Miễn một kỳ cho một đơn vị (cần nêu lý do)')
    .requiredOption('--duty <mã>', 'mã nhiệm vụ')
    .requiredOption('--unit <mã>', 'mã đơn vị')
    .requiredOption('--period <kỳ>', 'mã kỳ')
    .requiredOption('--reason <lý-do>', 'lý do miễn')
    .action(async (options: PlanOptions & { duty: string; unit: string; period: string; reason: string }) => {
      const record = await withClient(async (client) =>
        waiveOccurrence(client, await planRef(client, options), {
          dutyId: options.duty,
          unitId: options.unit,
          periodKey: options.period,
          reason: options.reason,
        }),
      );
      if (options.json) return printJson(record);
      say(`Đã miễn kỳ ${options.period} của đơn vị ${options.unit}. Lý do: ${record.reason}`);
    });

  program
    .command('amend')
    .description('Áp dụng kế hoạch đã sửa cho kế hoạch đang chạy (thêm/bớt đơn vị, nhiệm vụ, đổi lịch)')
    .argument('[tệp-kế-hoạch]', 'tệp YAML của kế hoạch đã sửa (mặc định: KEHOACH_PLAN)')
    .option('--json', 'in kết quả dạng JSON')
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      const config = loadConfig();
      const plan = await expandPlanFile(file ?? config.planFile);
      const summary = await withClient((client) => amendPlan(client, plan));
      if (options.json) return printJson(summary);
      say(`Đã áp dụng kế hoạch sửa đổi cho "${plan.title}".`);
      say(`  Nhiệm vụ thêm mới: ${summary.added.join(', ') || 'không có'}`);
      say(`  Nhiệm vụ bỏ đi:    ${summary.removed.join(', ') || 'không có'}`);
      say(`  Nhiệm vụ đổi lịch: ${summary.changed.join(', ') || 'không có'}`);
    });

  withPlanOptions(program.command('cancel'))
    .description('Hủy kế hoạch đang chạy: dừng mọi nhắc việc, thư đã gom vẫn được gửi')
    .action(async (options: PlanOptions) => {
      const ref = await withClient(async (client) => {
        const resolved = await planRef(client, options);
        await cancelPlan(client, resolved);
        return resolved;
      });
      if (options.json) return printJson({ cancelled: true, ...ref });
      say(`Đã yêu cầu hủy kế hoạch ${ref.planId} năm ${ref.year}.`);
    });
}
