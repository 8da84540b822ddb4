/**
 * `request`: the office asks units of an on-request duty for a report, with a deadline. The
 * request then runs like any planned report: reminders, submission, overdue notice, escalations,
 * and it is counted in the year-end summary. `--dry-run` shows what would be sent.
 */
import type { Command } from 'commander';
import { printJson, say } from '../cli-output';
import { describeDeadline, prepareReportRequest, sendReportRequest } from '../../operations/report-requests';
import { periodOfPlanInFiles } from '../../operations/plan-catalog';
import { loadConfig } from '../../config/config';
import { planRef, withClient, withPlanOptions, type PlanOptions } from './duty';

interface RequestOptions extends PlanOptions {
  duty: string;
  unit: string[];
  until?: string;
  content?: string;
  by?: string;
  id?: string;
  dryRun?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerRequestCommand(program: Command): void {
  withPlanOptions(program.command('request'))
    .description('Yêu cầu đơn vị hoặc nhóm báo cáo đột xuất (nhiệm vụ theo yêu cầu), có hạn nộp; được nhắc, đôn đốc và tính vào báo cáo năm')
    .requiredOption('--duty <mã>', 'mã nhiệm vụ theo yêu cầu (cadence every: on-request)')
    .requiredOption('--unit <mã>', 'mã đơn vị hoặc nhóm được yêu cầu (lặp lại được)', collect)
    .option('--until <ngày>', 'hạn nộp (NĂM-THÁNG-NGÀY); bỏ trống là hạn mặc định của nhiệm vụ')
    .option('--content <nội-dung>', 'nội dung yêu cầu, ghi trong thư gửi đơn vị')
    .option('--by <người-yêu-cầu>', 'người hoặc cơ quan yêu cầu')
    .option('--id <mã-yêu-cầu>', 'mã yêu cầu (gửi lại cùng mã không tạo thêm gì)')
    .option('--dry-run', 'chỉ hiện lịch sẽ gửi, chưa gửi yêu cầu')
    .action(async (options: RequestOptions) => {
      const input = {
        dutyId: options.duty,
        targets: options.unit,
        ...(options.until ? { deadline: options.until } : {}),
        ...(options.content ? { content: options.content } : {}),
        ...(options.by ? { requestedBy: options.by } : {}),
        ...(options.id ? { requestId: options.id } : {}),
      };
      const outcome = await withClient(async (client) => {
        const ref = await planRef(client, options);
        const placed = await prepareReportRequest(client, ref, input, await periodOfPlanInFiles(loadConfig().plans, ref));
        return options.dryRun ? { placed } : { placed, result: await sendReportRequest(client, ref, placed) };
      });
      const { placed, result } = outcome;
      if (options.json) return printJson({ ...placed, ...(result ?? { dryRun: true }) });
      const first = placed.occurrences[0];
      const deadline = first ? describeDeadline(first, placed.timeZone) : '';
      const names = placed.occurrences.map((occ) => placed.unitNames[occ.unitId] ?? occ.unitId).join(', ');
      if (!result) say(`Xem trước (chưa gửi): yêu cầu "${placed.requestId}" — ${placed.dutyTitle}, hạn nộp hết ngày ${deadline}, gửi tới: ${names}.`);
      else if (result.added.length === 0) say(`Yêu cầu "${placed.requestId}" đã được gửi trước đó; không gửi thêm.`);
      else say(`Đã gửi yêu cầu "${placed.requestId}" — ${placed.dutyTitle}: ${result.added.length} đơn vị (${names}), hạn nộp hết ngày ${deadline}. Kỳ: ${first?.periodKey ?? ''}`);
    });
}
