/**
 * `outbox list|show`: the local mail outbox used when no SMTP server is configured, so a commune
 * can run the system (and check what would have been sent) before it has a mail server.
 */
import type { Command } from 'commander';
import { listOutbox, outboxDir, readOutboxMessage, type OutboxEntry } from '../../activities/mail/outbox-mailer';
import { loadConfig } from '../../config/config';
import { DEFAULT_TIME_ZONE, formatInstant } from '../../domain/calendar';
import { printJson, say } from '../cli-output';
import { UserError } from '../../domain/user-error';


function localTime(instant: string): string {
  return formatInstant(instant, DEFAULT_TIME_ZONE);
}

function recipients(entry: OutboxEntry): string {
  return entry.to.map((box) => (box.name ? `${box.name} <${box.address}>` : box.address)).join(', ');
}

export function formatOutboxList(entries: OutboxEntry[], dir: string): string[] {
  if (entries.length === 0) return [`Hộp thư cục bộ chưa có thư nào (thư mục: ${dir}).`];
  const lines = [`Hộp thư cục bộ: ${entries.length} thư (thư mục: ${dir}); thời gian theo giờ Việt Nam.`, ''];
  for (const entry of entries) {
    lines.push(`${entry.id}  ${localTime(entry.createdAt)}  tới: ${recipients(entry)}`);
    lines.push(`    ${entry.subject}`);
  }
  lines.push('', 'Xem một thư: kehoach outbox show MÃ-THƯ (chỉ cần một phần mã, ví dụ 8 ký tự cuối).');
  return lines;
}

export function formatOutboxMessage(entry: OutboxEntry, emlPath: string): string[] {
  return [
    `Mã thư:        ${entry.id}`,
    `Thời gian:     ${localTime(entry.createdAt)} (giờ Việt Nam)`,
    `Người gửi:     ${entry.from}`,
    `Người nhận:    ${recipients(entry)}`,
    `Tiêu đề:       ${entry.subject}`,
    `Message-ID:    ${entry.messageId}`,
    `Tệp đính kèm:  ${entry.attachments.length > 0 ? entry.attachments.join(', ') : 'không có'}`,
    `Tệp .eml:      ${emlPath}`,
    '',
    entry.text.trimEnd(),
  ];
}

export function registerOutboxCommands(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('Xem hộp thư cục bộ (thư được lưu thành tệp khi chưa cấu hình máy chủ SMTP)');

  outbox
    .command('list')
    .description('Liệt kê các thư trong hộp thư cục bộ, cũ nhất trước')
    .option('--json', 'in kết quả dạng JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const entries = await listOutbox(config.dataDir);
      if (options.json) {
        printJson(entries.map(({ text: _text, ...rest }) => rest));
        return;
      }
      if (config.mail.smtpUrl) {
        say('Lưu ý: KEHOACH_SMTP_URL đang được đặt, thư mới được gửi qua máy chủ SMTP và không nằm ở đây.');
      }
      for (const line of formatOutboxList(entries, outboxDir(config.dataDir))) say(line);
    });

  outbox
    .command('show')
    .description('Hiển thị một thư trong hộp thư cục bộ')
    .argument('<mã-thư>', 'mã thư trong danh sách (đủ một phần không trùng với thư khác)')
    .option('--raw', 'in nguyên văn tệp .eml (định dạng MIME)')
    .option('--json', 'in kết quả dạng JSON')
    .action(async (id: string, options: { raw?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const lookup = await readOutboxMessage(config.dataDir, id.trim());
      if (!lookup.found) {
        if (lookup.candidates.length === 0) {
          throw new UserError(
            `không tìm thấy thư có mã "${id}" trong hộp thư cục bộ ${outboxDir(config.dataDir)} (xem danh sách: kehoach outbox list).`,
          );
        }
        throw new UserError(
          `mã "${id}" khớp với ${lookup.candidates.length} thư (${lookup.candidates.join(', ')}); hãy nhập đầy đủ hơn.`,
        );
      }
      const { entry, raw } = lookup.message;
      if (options.raw) {
        process.stdout.write(raw);
        return;
      }
      if (options.json) {
        printJson(entry);
        return;
      }
      for (const line of formatOutboxMessage(entry, `${outboxDir(config.dataDir)}/${entry.emlFile}`)) say(line);
    });
}
