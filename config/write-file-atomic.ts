import { randomBytes } from 'node:crypto';
import { linkSync, rmSync, writeFileSync } from 'node:fs';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir';

/**
 * Readers see either no file or the whole file: write a temporary sibling, flush it to disk,
 * then move it into place (atomic within one directory on POSIX file systems). Only the service
 * user may read what lands in the data directory (mails carry signed links).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ file, data }]);
}

/**
 * Several files, each written as `writeFileAtomic` writes one, their writes and flushes under way
 * at once, then moved into place one after another in the order given: a reader who sees a file
 * finds every file before it whole (an index entry never points at a message that is not there).
 * If any write fails, none of the files not yet in place lands and no temporary sibling is left.
 */
export async function writeFilesAtomic(files: readonly { file: string; data: string | Uint8Array }[]): Promise<void> {
  await withFlushedSiblings(files, async (temps) => {
    for (const [index, { file }] of files.entries()) await rename(temps[index] as string, file);
  });
}

/**
 * Creates `file` with `data` unless it exists, and says whether it did. A contender reading the
 * file never sees it half written: the whole content is flushed in a sibling first and then
 * hard-linked into place, which fails when the name is taken.
 */
export async function createFileExclusive(file: string, data: string | Uint8Array): Promise<boolean> {
  let created = false;
  await withFlushedSiblings([{ file, data }], async ([temp]) => {
    created = await link(temp as string, file).then(() => true, takenName);
    await rm(temp as string, { force: true });
  });
  return created;
}

/** `createFileExclusive` for start-up code that cannot wait (a generated secret read by a constructor). */
export function createFileExclusiveSync(file: string, data: string | Uint8Array): boolean {
  ensurePrivateDir(path.dirname(file));
  const temp = siblingOf(file);
  try {
    writeFileSync(temp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx', flush: true });
    try {
      linkSync(temp, file);
      return true;
    } catch (err) {
      return takenName(err);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** false when a link failed because the name is taken; any other failure is thrown. */
function takenName(err: unknown): false {
  if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  return false;
}

function siblingOf(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** A new private file with `data`, flushed to disk. */
async function writeFlushed(temp: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Each file's data written and flushed in a temporary sibling (folders created, all at once), then
 * `place` given the siblings in the files' order; on failure every sibling is removed.
 */
async function withFlushedSiblings(
  files: readonly { file: string; data: string | Uint8Array }[],
  place: (temps: string[]) => Promise<void>,
): Promise<void> {
  const dirs = new Set(files.map(({ file }) => path.dirname(file)));
  await Promise.all([...dirs].map((dir) => mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })));
  const temps = files.map(({ file }) => siblingOf(file));
  try {
    await Promise.all(files.map(({ data }, index) => writeFlushed(temps[index] as string, data)));
    await place(temps);
  } catch (err) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw err;
  }
}
