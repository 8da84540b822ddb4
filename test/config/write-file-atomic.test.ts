import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../config/write-file-atomic';

describe('writeFilesAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kehoach-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('places every file whole and private, creating the folders, with no temporary file left', async () => {
    const message = path.join(dir, 'outbox', 'a.eml');
    const index = path.join(dir, 'outbox', 'a.json');
    await writeFilesAtomic([
      { file: message, data: Buffer.from('Subject: thư\n\nnội dung\n') },
      { file: index, data: '{"id":"a"}\n' },
    ]);
    expect(readFileSync(message, 'utf8')).toBe('Subject: thư\n\nnội dung\n');
    expect(readFileSync(index, 'utf8')).toBe('{"id":"a"}\n');
    expect(statSync(index).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dir, 'outbox')).sort()).toEqual(['a.eml', 'a.json']);
  });

  it('places no file after one that could not be placed, and leaves no temporary file', async () => {
    // A non-empty folder where the first file should go: its rename fails after both were written.
    const blocked = path.join(dir, 'a.eml');
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, 'x'), 'x');
    const index = path.join(dir, 'a.json');
    await expect(writeFilesAtomic([{ file: blocked, data: 'message' }, { file: index, data: 'index' }])).rejects.toThrow();
    expect(existsSync(index)).toBe(false);
    expect(readdirSync(dir)).toEqual(['a.eml']);
  });

  it('replaces a file that is there', async () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    await writeFilesAtomic([{ file, data: 'new' }]);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});
