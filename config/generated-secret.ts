/**
 * Secrets the embedded setup generates once and keeps in the data directory (mode 600), so they
 * stay the same across restarts: links already emailed stay valid, the office password stays known.
 * An external setup sets them in the environment instead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../domain/user-error';
import { createFileExclusiveSync } from './write-file-atomic';

/**
 * The secret kept in `fileName`, made on first use. Processes starting together (the worker and the
 * web server of one host) agree on one secret and never read a half-written file: the new secret
 * is written whole beside the file and hard-linked into place, which only the first one manages.
 */
export function readOrCreateSecret(dataDir: string, fileName: string, bytes = 32): string {
  const file = path.join(dataDir, fileName);
  const kept = readSecret(file);
  if (kept !== undefined) return kept;
  createFileExclusiveSync(file, `${randomBytes(bytes).toString('base64url')}\n`);
  return readSecret(file) as string;
}

function readSecret(file: string): string | undefined {
  let text;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (text === '') {
    throw new UserError(`tệp khóa bí mật ${file} trống; xóa tệp này để kehoach tạo khóa mới (các liên kết đã gửi trước đó sẽ hết hiệu lực)`);
  }
  return text;
}
