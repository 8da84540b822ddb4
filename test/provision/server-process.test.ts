import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../provision/free-port';
import { launchTestServer } from '../../provision/server-process';

/** Launchers that never serve: what matters is how soon and how clearly waiting for them ends. */
describe('a launched test server that never serves', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kehoach-launcher-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const launcher = (name: string, script: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  it('is reported with its exit code even when nobody waited for it while it died', async () => {
    const launched = launchTestServer({ launcher: launcher('exits', 'echo "thiếu thư viện" >&2; exit 3'), port: await freePort() });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    await expect(launched.whenServing()).rejects.toThrow(/dừng ngay khi khởi động \(mã 3\)[\s\S]*thiếu thư viện/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('is not waited for until the line it would print when it exits without printing it', async () => {
    const launched = launchTestServer({
      launcher: launcher('silent', 'sleep 1; exit 4'),
      port: await freePort(),
      readyLine: 'kehoach-test-server listening on',
    });
    const started = Date.now();
    await expect(launched.whenServing()).rejects.toThrow(/mã 4/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
