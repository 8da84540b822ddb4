import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../config/data-dir';

/**
 * Readers see either no file or the whole file: write a temporary sibling, flush it to disk,
 * then move it into place (atomic within one directory on POSIX file systems). Only the service
 * user may read what lands in the data directory (mails carry signed links).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await withFlushedSibling(file, data, (temp) => rename(temp, file));
}

/**
 * Creates `file` with `data` unless it exists, and says whether it did. A contender reading the
 * file never sees it half written: the whole content is flushed in a sibling first and then
 * hard-linked into place, which fails when the name is taken.
 */
export async function createFileExclusive(file: string, data: string | Uint8Array): Promise<boolean> {
  let created = false;
  await withFlushedSibling(file, data, async (temp) => {
    try {
      await link(temp, file);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await rm(temp, { force: true });
  });
  return created;
}

async function withFlushedSibling(file: string, data: string | Uint8Array, place: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await place(temp);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
