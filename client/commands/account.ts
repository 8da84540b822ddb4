/**
 * `account add|list|remove|password`: the accounts of the status pages. An office account sees
 * one commune's plans (`--commune`, the plan id without its year: `ha-dong` for `ha-dong-2026`);
 * the city account sees every commune read-only. Passwords are generated (printed once) or read
 * from standard input with `--password-stdin`; only their scrypt hashes are stored.
 */
import type { Command } from 'commander';
import { addAccount, generatePassword, readAccounts, removeAccount, ROLE_LABELS, setPassword, type Role } from '../../accounts/account-file';
import { loadConfig } from '../../config/config';
import { ensurePrivateDir, PRIVATE_UMASK } from '../../config/data-dir';
import { printJson, say } from '../cli-output';
import { UserError } from '../../domain/user-error';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UserError('--password-stdin đọc mật khẩu từ đầu vào chuẩn, ví dụ: printf "%s" "$MAT_KHAU" | npm run kehoach -- account add …');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is what `echo` adds, not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The password given on standard input, or a new one to be printed once. */
async function passwordFrom(options: { passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  return options.passwordStdin ? { password: await readStdin(), generated: false } : { password: generatePassword(), generated: true };
}

function accountsFile(): string {
  const config = loadConfig();
  process.umask(PRIVATE_UMASK);
  ensurePrivateDir(config.dataDir);
  return config.accountsFile;
}

function parseRole(value: string): Role {
  if (value === 'office' || value === 'city') return value;
  throw new UserError(`vai trò "${value}" không có; dùng office (văn phòng một xã) hoặc city (thành phố, xem mọi xã)`);
}

export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description('Quản lý tài khoản đăng nhập trang theo dõi (văn phòng xã, thành phố)');

  account
    .command('add')
    .description('Tạo tài khoản; mật khẩu được tạo ngẫu nhiên và in ra một lần (hoặc đọc từ đầu vào chuẩn)')
    .argument('<tên>', 'tên đăng nhập: chữ thường không dấu, số, dấu chấm, gạch ngang, ví dụ vp-ha-dong')
    .requiredOption('--role <vai-trò>', 'office (văn phòng một xã) hoặc city (thành phố, xem mọi xã)')
    .option('--commune <mã-xã>', 'mã xã của tài khoản office: mã kế hoạch bỏ phần năm, ví dụ ha-dong')
    .option('--password-stdin', 'đọc mật khẩu từ đầu vào chuẩn thay vì tạo ngẫu nhiên')
    .action(async (name: string, options: { role: string; commune?: string; passwordStdin?: boolean }) => {
      const role = parseRole(options.role);
      if (role === 'office' && !options.commune) throw new UserError('tài khoản office cần --commune (mã xã, ví dụ ha-dong)');
      if (role === 'city' && options.commune) throw new UserError('tài khoản city xem mọi xã, không dùng --commune');
      const file = accountsFile();
      const { password, generated } = await passwordFrom(options);
      await addAccount(file, { name, role, ...(options.commune ? { commune: options.commune } : {}) }, password);
      say(`Đã tạo tài khoản "${name}" (${role === 'office' ? `văn phòng xã "${options.commune}"` : `${ROLE_LABELS.city}, xem mọi xã`}).`);
      if (generated) say(`Mật khẩu: ${password}\n(chỉ hiện một lần; hệ thống chỉ lưu mã băm, không xem lại được)`);
    });

  account
    .command('list')
    .description('Liệt kê các tài khoản (không có mật khẩu)')
    .option('--json', 'in kết quả dạng JSON')
    .action((options: { json?: boolean }) => {
      const accounts = readAccounts(accountsFile()).map(({ passwordHash: _hash, ...rest }) => rest);
      if (options.json) return printJson(accounts);
      if (accounts.length === 0) return say('Chưa có tài khoản nào. Tạo bằng: npm run kehoach -- account add TÊN --role office --commune MÃ-XÃ');
      for (const entry of accounts) say(`${entry.name.padEnd(20)} ${ROLE_LABELS[entry.role]}${entry.commune ? ` — xã "${entry.commune}"` : ' — mọi xã (chỉ xem)'}`);
      return undefined;
    });

  account
    .command('remove')
    .description('Xóa tài khoản; có hiệu lực ngay, không cần khởi động lại')
    .argument('<tên>', 'tên đăng nhập')
    .action((name: string) => {
      removeAccount(accountsFile(), name);
      say(`Đã xóa tài khoản "${name}".`);
    });

  account
    .command('password')
    .description('Đặt mật khẩu mới; mật khẩu cũ hết hiệu lực ngay')
    .argument('<tên>', 'tên đăng nhập')
    .option('--password-stdin', 'đọc mật khẩu từ đầu vào chuẩn thay vì tạo ngẫu nhiên')
    .action(async (name: string, options: { passwordStdin?: boolean }) => {
      const file = accountsFile();
      const { password, generated } = await passwordFrom(options);
      await setPassword(file, name, password);
      say(`Đã đổi mật khẩu của "${name}".`);
      if (generated) say(`Mật khẩu mới: ${password}\n(chỉ hiện một lần)`);
    });
}
