/**
 * The secrets the embedded setup makes for itself: processes of one host starting together (real
 * Node processes here) agree on one secret, and a broken secret file is named in Vietnamese.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOrCreateSecret } from '../../config/generated-secret';

const run = promisify(execFile);
const MODULE = path.resolve(__dirname, '../../config/generated-secret.ts');
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-secret-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('readOrCreateSecret', () => {
  it('gives processes starting together one secret, kept in a private file', async () => {
    // Each process loads the module, then waits for the same instant before asking, so the asks meet.
    const at = Date.now() + 3_000;
    const script = `import('${MODULE}').then((m) => { while (Date.now() < ${at}); process.stdout.write(m.readOrCreateSecret(${JSON.stringify(dataDir)}, 'link-secret')); })`;
    const outputs = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', '-e', script])));
    const secrets = outputs.map((output) => output.stdout);
    const kept = (await readFile(path.join(dataDir, 'link-secret'), 'utf8')).trim();
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(secrets)).toEqual(new Set([kept]));
    expect((await stat(path.join(dataDir, 'link-secret'))).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecret(dataDir, 'link-secret')).toBe(kept);
  }, 60_000);

  it('refuses an empty secret file in Vietnamese rather than signing with an empty key', async () => {
    await writeFile(path.join(dataDir, 'link-secret'), '\n');
    expect(() => readOrCreateSecret(dataDir, 'link-secret')).toThrow(/tệp khóa bí mật .*link-secret trống/);
  });
});
