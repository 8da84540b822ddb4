import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../provision/free-port';
import { launchTestServer, PortInUseError, portInUseIn, startDevServer } from '../../provision/server-process';
import { provideJavaTestServer } from '../../provision/java-test-server';
import { provideTemporalCli } from '../../provision/temporal-cli';

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

/** A port held open by this process for the length of a test; whoever connects to it is never answered. */
async function takenPort(): Promise<{ port: number; release(): Promise<void> }> {
  const callers = new Set<net.Socket>();
  const holder = net.createServer((socket) => callers.add(socket));
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const address = holder.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  const release = () =>
    new Promise<void>((resolve) => {
      holder.close(() => resolve());
      for (const socket of callers) socket.destroy();
    });
  return { port: address.port, release };
}

describe('the dev server when a port it needs is taken', () => {
  it('reads the taken port from the line the server writes', () => {
    const line = '{"time":"2026-12-02T10:07:06.340071702Z","level":"ERROR","msg":"can\'t set frontend HTTP port 53557: listen tcp 127.0.0.1:53557: bind: address already in use"}';
    expect(portInUseIn(`khởi động...\n${line}\n`)).toBe(53557);
    expect(portInUseIn('{"level":"ERROR","msg":"unable to open database file"}')).toBeUndefined();
  });

  it('names a port the caller fixed and does not try it again', async () => {
    const cli = await provideTemporalCli(() => {});
    const taken = await takenPort();
    try {
      const started = Date.now();
      const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'kehoach-dev-log-')), 'dev-server.log');
      const failure = await startDevServer({ cli: cli.path, port: taken.port, uiPort: undefined, dbFile: undefined, logFile }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PortInUseError);
      expect((failure as PortInUseError).port).toBe(taken.port);
      expect((failure as Error).message).toContain(`cổng 127.0.0.1:${taken.port} vì cổng này đang có chương trình khác dùng`);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(readFileSync(logFile, 'utf8').match(/address already in use/g)).toHaveLength(1);
    } finally {
      await taken.release();
    }
  });

  it('starts on a port chosen afresh when the one chosen first was taken before the server bound it', async () => {
    const cli = await provideTemporalCli(() => {});
    const taken = await takenPort();
    const chosen: number[] = [];
    const choose = async (): Promise<number> => {
      const port = chosen.length === 0 ? taken.port : await freePort();
      chosen.push(port);
      return port;
    };
    try {
      const server = await startDevServer({ cli: cli.path, port: choose, uiPort: undefined, dbFile: undefined });
      try {
        expect(chosen).toHaveLength(2);
        expect(server.address).toBe(`127.0.0.1:${chosen[1]}`);
        // startDevServer returns only once the server answered at its address.
      } finally {
        await server.stop();
      }
    } finally {
      await taken.release();
    }
  });
});

describe('the time-skipping test server launched on port 0', () => {
  it('binds a port of its own choosing and is asked there, so no other process can take it first', async () => {
    const { launcher, readyLine } = await provideJavaTestServer(() => {});
    const servers = await Promise.all([0, 1].map(() => launchTestServer({ launcher, readyLine, port: 0 }).whenServing()));
    try {
      const ports = servers.map((server) => Number(server.address.split(':')[1]));
      expect(ports.every((port) => port > 0)).toBe(true);
      expect(new Set(ports).size).toBe(2);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });

  it('is refused for a launcher that would not name the port it took', () => {
    expect(() => launchTestServer({ launcher: '/bin/true', port: 0 })).toThrow(/Cần một cổng cụ thể/);
  });
});
