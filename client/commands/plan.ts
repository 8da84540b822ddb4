import type { Command } from 'commander';
import { calendarCommand, newPlanCommand, validateCommand, type CommandOutput } from './plan-output';

function emit(output: CommandOutput): void {
  if (output.stdout !== '') process.stdout.write(output.stdout);
  if (output.stderr !== '') process.stderr.write(output.stderr);
  process.exitCode = output.exitCode;
}

/** `plan validate|calendar|new`: implemented with the domain core. */
export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('Kiểm tra, xem lịch và tạo kế hoạch năm');

  plan
    .command('validate')
    .description('Kiểm tra tệp kế hoạch và liệt kê mọi lỗi (dòng, cột, trường)')
    .argument('<tệp>', 'tệp kế hoạch YAML')
    .option('--json', 'in kết quả dạng JSON cho máy đọc')
    .action(async (file: string, options: { json?: boolean }) => emit(await validateCommand(file, options)));

  plan
    .command('calendar')
    .description('Xem mọi ngày họp, hạn nộp trong năm; xuất tệp lịch iCalendar (.ics)')
    .argument('<tệp>', 'tệp kế hoạch YAML')
    .option('--unit <mã>', 'chỉ đơn vị hoặc nhóm này')
    .option('--from <ngày>', 'từ ngày (YYYY-MM-DD)')
    .option('--to <ngày>', 'đến ngày (YYYY-MM-DD)')
    .option('--format <dạng>', 'table, ics hoặc json', 'table')
    .option('--out <tệp>', 'ghi ra tệp thay vì màn hình')
    .action(async (file: string, options: Record<string, string | undefined>) => emit(await calendarCommand(file, options)));

  plan
    .command('new')
    .description('Tạo kế hoạch năm mới từ kế hoạch năm trước, theo lịch làm việc của năm mới')
    .requiredOption('--from <tệp>', 'tệp kế hoạch năm trước')
    .requiredOption('--year <năm>', 'năm của kế hoạch mới')
    .option('--out <tệp>', 'ghi kế hoạch mới ra tệp (mặc định in ra màn hình)')
    .option('--json', 'in kết quả dạng JSON cho máy đọc')
    .action(async (options: { from: string; year: string; out?: string; json?: boolean }) => emit(await newPlanCommand(options)));
}
