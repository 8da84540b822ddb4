/**
 * A throw-away PostgreSQL cluster for tests: `initdb` into a temporary directory, `postgres` on a
 * free loopback port (trust authentication, no durability settings: nothing here outlives the
 * test), removed again by `stop()`.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: the cluster then runs as the `postgres`
 * system user (which the Debian package creates), or `nobody` without it, by `setpriv` (util-linux:
 * it execs, so the process we hold is postgres itself, and needs no PAM session unlike `runuser`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port';
import { ProvisionError } from './provision-error';
import { runCommand } from './run-command';

export interface ThrowawayPostgres {
  /** postgres://kehoach@127.0.0.1:PORT/kehoach */
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const INSTALL_HINT = 'cài gói postgresql (apt-get install postgresql) hoặc đặt KEHOACH_PG_BIN trỏ tới thư mục bin của PostgreSQL';

/** `KEHOACH_PG_BIN`, or the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout). */
function postgresBinDir(): string {
  const fromEnv = process.env.KEHOACH_PG_BIN;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, 'initdb'))) throw new ProvisionError(`Không thấy initdb trong KEHOACH_PG_BIN=${fromEnv}: ${INSTALL_HINT}.`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new ProvisionError(`Không tìm thấy PostgreSQL trên máy này: ${INSTALL_HINT}.`);
  return path.join(root, versions[0] as string, 'bin');
}

interface RunAs {
  uid: number;
  gid: number;
  /** Prefix that runs a command as that user (empty when we are not root). */
  prefix: string[];
}

async function unprivilegedUser(): Promise<RunAs> {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, prefix: [] };
  if (!existsSync('/usr/bin/setpriv')) {
    throw new ProvisionError('Đang chạy với quyền root, PostgreSQL không chạy dưới root và không có setpriv (gói util-linux) để chạy nó dưới người dùng khác.');
  }
  for (const name of ['postgres', 'nobody']) {
    const ids = await runCommand('id', ['-u', name]);
    const gids = await runCommand('id', ['-g', name]);
    if (ids.code === 0 && gids.code === 0) {
      const uid = Number(ids.stdout.trim());
      const gid = Number(gids.stdout.trim());
      return { uid, gid, prefix: ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'] };
    }
  }
  throw new ProvisionError('Đang chạy với quyền root và không có người dùng postgres hay nobody để chạy PostgreSQL.');
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= new Promise<void>((resolve) => {
      const cleanUp = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return cleanUp();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        cleanUp();
      });
      // SIGINT is PostgreSQL's "fast shutdown": sessions are cut, no checkpoint wait worth having.
      child.kill('SIGINT');
    }));
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const runAs = await unprivilegedUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'kehoach-pg-'));
  const dataDir = path.join(dir, 'data');
  chownSync(dir, runAs.uid, runAs.gid);
  const [command, ...prefixArgs] = [...runAs.prefix, path.join(bin, 'initdb')];
  const init = await runCommand(command as string, [...prefixArgs, '-D', dataDir, '-U', 'kehoach', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
    timeoutMs: READY_TIMEOUT_MS,
  });
  if (init.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new ProvisionError(`initdb không tạo được cụm PostgreSQL tạm (mã ${init.code}):\n${(init.stderr || init.stdout).slice(-2000)}`);
  }

  const port = await freePort();
  const postgresArgs = [
    path.join(bin, 'postgres'),
    '-D', dataDir,
    '-p', String(port),
    '-k', dir,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ];
  const [program, ...args] = [...runAs.prefix, ...postgresArgs];
  const child = spawn(program as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let log = '';
  const capture = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  const stop = stopper(child, dir);

  const adminUrl = `postgres://kehoach@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new ProvisionError(`PostgreSQL tạm dừng ngay khi khởi động (mã ${child.exitCode ?? child.signalCode}). Nhật ký:\n${log}`);
    }
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('CREATE DATABASE kehoach');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw new ProvisionError(`PostgreSQL tạm không sẵn sàng sau ${READY_TIMEOUT_MS / 1000} giây tại 127.0.0.1:${port}. Nhật ký:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url: `postgres://kehoach@127.0.0.1:${port}/kehoach`, stop };
}
