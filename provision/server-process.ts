/**
 * Starting and stopping the Temporal servers this project runs itself (the embedded dev server and
 * the time-skipping test server), waiting until they answer rather than for a fixed delay.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../config/data-dir';
import { ProvisionError } from './provision-error';

export interface RunningServer {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/**
 * Asks the server until it answers. A server that announces on stdout that it listens is first
 * waited for until it says so: asking earlier costs more than the wait, since a refused connection
 * puts gRPC into a reconnect backoff of a second or more.
 */
async function waitUntilServing(address: string, child: ChildProcess, tail: () => string, announced?: Promise<void>): Promise<void> {
  // Loaded here, not with the module: `kehoach simulate` launches its JVM before it loads the SDKs.
  const { Connection } = await import('@temporalio/client');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const exitCode = (): number | null => child.exitCode ?? (child.signalCode !== null ? -1 : null);
  if (announced) {
    let timer: NodeJS.Timeout | undefined;
    const exitedOrLate = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      timer = setTimeout(resolve, READY_TIMEOUT_MS);
    });
    if (exitCode() === null) await Promise.race([announced, exitedOrLate]);
    clearTimeout(timer);
  }
  for (;;) {
    const exited = exitCode();
    if (exited !== null) {
      throw new ProvisionError(`Máy chủ Temporal dừng ngay khi khởi động (mã ${exited}). Nhật ký:\n${tail()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new ProvisionError(
          `Máy chủ Temporal không sẵn sàng sau ${READY_TIMEOUT_MS / 1000} giây tại ${address}. Nhật ký:\n${tail()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function stopper(child: ChildProcess, signal: NodeJS.Signals): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill(signal);
    });
}

function spawnLogged(
  command: string,
  args: string[],
  logFile: string | undefined,
  ownProcessGroup = false,
): { child: ChildProcess; tail: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
  if (ownProcessGroup) {
    // Out of the terminal's reach, so it must not outlive us: stopped in order normally, killed here otherwise.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
  }
  let recent = '';
  const sink = logFile
    ? (mkdirSync(path.dirname(logFile), { recursive: true, mode: PRIVATE_DIR_MODE }),
      createWriteStream(logFile, { flags: 'a', mode: PRIVATE_FILE_MODE }))
    : undefined;
  const capture = (chunk: Buffer) => {
    recent = (recent + chunk.toString()).slice(-4000);
    sink?.write(chunk);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  child.once('exit', () => sink?.end());
  return { child, tail: () => recent };
}

export interface DevServerOptions {
  cli: string;
  port: number;
  /** `undefined` = headless (no Web UI). */
  uiPort: number | undefined;
  /** SQLite file to persist to; `undefined` = in memory. */
  dbFile: string | undefined;
  namespace?: string;
  logFile?: string;
  /**
   * Run it in its own process group, so Ctrl-C in a terminal (SIGINT to the whole foreground
   * group) reaches only us and we stop it last, after the web app and worker are done with it.
   */
  ownProcessGroup?: boolean;
}

export async function startDevServer(options: DevServerOptions): Promise<RunningServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    '--log-format',
    'json',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
  ];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true, mode: PRIVATE_DIR_MODE });
    args.push('--db-filename', options.dbFile);
  }
  const { devServerSearchAttributeArgs } = await import('../operations/search-attributes');
  args.push(...devServerSearchAttributeArgs());

  const address = `127.0.0.1:${options.port}`;
  const { child, tail } = spawnLogged(options.cli, args, options.logFile, options.ownProcessGroup);
  await waitUntilServing(address, child, tail);
  // SIGTERM lets the dev server close its SQLite file cleanly.
  return { address, pid: child.pid ?? -1, stop: stopper(child, 'SIGTERM') };
}

/** A test server process under way: its JVM boots while the caller does other work. */
export interface LaunchedServer {
  address: string;
  /** Resolves once the server answers; a server that does not is killed. */
  whenServing(): Promise<RunningServer>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  launcher: string;
  port: number;
  initialTime?: string | undefined;
  logFile?: string;
  /** What the launcher prints on stdout once it listens, if it says so (the stock server does not). */
  readyLine?: string | undefined;
}

export function launchTestServer(options: TestServerOptions): LaunchedServer {
  const args = [String(options.port)];
  if (options.initialTime) args.push(new Date(options.initialTime).toISOString());
  const address = `127.0.0.1:${options.port}`;
  const { child, tail } = spawnLogged(options.launcher, args, options.logFile);
  const { readyLine } = options;
  const announced =
    readyLine === undefined
      ? undefined
      : new Promise<void>((resolve) => {
          const look = () => {
            if (!tail().includes(readyLine)) return;
            child.stdout?.off('data', look);
            resolve();
          };
          child.stdout?.on('data', look);
        });
  const stop = stopper(child, 'SIGKILL');
  return {
    address,
    stop,
    async whenServing() {
      await waitUntilServing(address, child, tail, announced);
      return { address, pid: child.pid ?? -1, stop };
    },
  };
}

export async function startTestServer(options: TestServerOptions): Promise<RunningServer> {
  return launchTestServer(options).whenServing();
}
