/**
 * The data directory holds what must stay private to the service user: the outbox (mails carry
 * signed submission links), the delivery ledger, the generated link secret and office password, the
 * dev server's SQLite file and the logs. Directories are 0700 and files 0600, whatever the umask.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** For files created by programs we start (the dev server's SQLite file): group and others get nothing. */
export const PRIVATE_UMASK = 0o077;

/** Creates the directory private, or makes an existing one private (earlier versions left it 0755). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** The names in a folder of the data directory; none when the folder was never created. */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
