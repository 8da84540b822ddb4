/**
 * Starting and stopping the Temporal servers this project runs itself (the embedded dev server and
 * the time-skipping test server), waiting until they answer rather than for a fixed delay.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../config/data-dir';
import { ProvisionError } from './provision-error';
import { freePort } from './free-port';

/** A server stopped at start-up because a port it needed was taken. */
export class PortInUseError extends ProvisionError {
  constructor(
    readonly port: number,
    log: string,
  ) {
    super(`Máy chủ Temporal không mở được cổng 127.0.0.1:${port} vì cổng này đang có chương trình khác dùng. Nhật ký:\n${log}`);
  }
}

/** The port a server's log says it could not bind, as Go's net package words it. */
export function portInUseIn(log: string): number | undefined {
  const match = /listen tcp [^\s]*:(\d+): bind: address already in use/.exec(log);
  return match ? Number(match[1]) : undefined;
}

export interface RunningServer {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

/**
 * Asks the server until it answers: a refused connection puts gRPC into a reconnect backoff of a
 * second or more, so a server that announces when it listens is first waited for (see `announcement`).
 */
async function waitUntilServing(address: string, child: ChildProcess, tail: () => string): Promise<void> {
  // Loaded here, not with the module: `kehoach simulate` launches its JVM before it loads the SDKs.
  const { Connection } = await import('@temporalio/client');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const exitCode = (): number | null => child.exitCode ?? (child.signalCode !== null ? -1 : null);
  const exited = new Promise<false>((resolve) => {
    if (exitCode() !== null) resolve(false);
    else child.once('exit', () => resolve(false));
  });
  for (;;) {
    const code = exitCode();
    if (code !== null) {
      const taken = portInUseIn(tail());
      if (taken !== undefined) throw new PortInUseError(taken, tail());
      throw new ProvisionError(`Máy chủ Temporal dừng ngay khi khởi động (mã ${code}). Nhật ký:\n${tail()}`);
    }
    // A server that dies while asked is noticed at once, not after the question times out.
    if (await Promise.race([answers(Connection, address), exited])) return;
    if (exitCode() !== null) continue;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ProvisionError(`Máy chủ Temporal không sẵn sàng sau ${READY_TIMEOUT_MS / 1000} giây tại ${address}. Nhật ký:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Whether a Temporal frontend answers at the address within two seconds (a stranger on the port does not). */
async function answers(connectionClass: typeof import('@temporalio/client').Connection, address: string): Promise<boolean> {
  try {
    const connection = await connectionClass.connect({ address, connectTimeout: 2_000 });
    try {
      await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
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
): { child: ChildProcess; tail: () => string; logClosed: Promise<void> } {
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
  // Resolves once everything the server printed is in its log file (at once without a file).
  const logClosed = sink ? new Promise<void>((resolve) => sink.once('close', () => resolve())) : Promise.resolve();
  return { child, tail: () => recent, logClosed };
}

export interface DevServerOptions {
  cli: string;
  /** The gRPC port, or how to choose a free one afresh for each attempt. */
  port: number | (() => Promise<number>);
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

/** Attempts at starting the dev server when a port it chose itself was taken before it bound it. */
const DEV_SERVER_START_ATTEMPTS = 3;

/**
 * The dev server picks its HTTP API, metrics and internal ports itself; another process can take
 * one of them between the pick and the bind, and the server then stops at once. Such a start is
 * tried again (the server picks anew); a port the caller fixed is reported instead.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = typeof options.port === 'number' ? options.port : await options.port();
    try {
      return await startDevServerOn(port, options);
    } catch (error) {
      const fixedPorts = [typeof options.port === 'number' ? port : undefined, options.uiPort];
      const retry = error instanceof PortInUseError && !fixedPorts.includes(error.port) && attempt < DEV_SERVER_START_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

async function startDevServerOn(port: number, options: DevServerOptions): Promise<RunningServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
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

  const address = `127.0.0.1:${port}`;
  const { child, tail, logClosed } = spawnLogged(options.cli, args, options.logFile, options.ownProcessGroup);
  try {
    await waitUntilServing(address, child, tail);
  } catch (error) {
    // Whoever reads the log after the error finds all of it (the child has exited or been killed).
    await logClosed;
    throw error;
  }
  // SIGTERM lets the dev server close its SQLite file cleanly.
  return { address, pid: child.pid ?? -1, stop: stopper(child, 'SIGTERM') };
}

/** A test server process under way: its JVM boots while the caller does other work. */
export interface LaunchedServer {
  /** Resolves once the server answers; a server that does not is killed. */
  whenServing(): Promise<RunningServer>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  launcher: string;
  /**
   * The port to listen on. 0, for a launcher that announces (`readyLine`), lets it bind a port the
   * system has free at that moment, which it names in the announcement: nothing can take the port
   * between a choice and the bind.
   */
  port: number;
  initialTime?: string | undefined;
  logFile?: string;
  /** What the launcher prints on stdout once it listens, followed by its port (the stock server prints nothing). */
  readyLine?: string | undefined;
}

/**
 * The port a launcher announced, or `undefined` once it exited or took too long without announcing.
 * Until then the server is not asked at all.
 */
function announcement(child: ChildProcess, tail: () => string, readyLine: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const pattern = new RegExp(`${readyLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\d+)`);
    const finish = (port: number | undefined) => {
      child.stdout?.off('data', look);
      clearTimeout(timer);
      resolve(port);
    };
    const look = () => {
      const match = pattern.exec(tail());
      if (match) finish(Number(match[1]));
    };
    const timer = setTimeout(() => finish(undefined), READY_TIMEOUT_MS);
    child.stdout?.on('data', look);
    child.once('exit', () => finish(undefined));
    if (child.exitCode !== null || child.signalCode !== null) finish(undefined);
  });
}

/**
 * The port to give a test-server launcher: 0 when it announces its port (it binds one the system
 * has free), otherwise one chosen free here (the stock server needs a number).
 */
export async function testServerPort(readyLine: string | undefined): Promise<number> {
  return readyLine === undefined ? freePort() : 0;
}

export function launchTestServer(options: TestServerOptions): LaunchedServer {
  if (options.port === 0 && options.readyLine === undefined) throw new ProvisionError('Cần một cổng cụ thể cho máy chủ kiểm thử không báo cổng của nó.');
  const args = [String(options.port)];
  if (options.initialTime) args.push(new Date(options.initialTime).toISOString());
  const { child, tail } = spawnLogged(options.launcher, args, options.logFile);
  const announced = options.readyLine === undefined ? undefined : announcement(child, tail, options.readyLine);
  const stop = stopper(child, 'SIGKILL');
  return {
    stop,
    async whenServing() {
      const port = (await announced) ?? options.port;
      const address = `127.0.0.1:${port}`;
      if (port === 0 && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        throw new ProvisionError(`Máy chủ kiểm thử Temporal không báo đã sẵn sàng sau ${READY_TIMEOUT_MS / 1000} giây. Nhật ký:\n${tail()}`);
      }
      await waitUntilServing(address, child, tail);
      return { address, pid: child.pid ?? -1, stop };
    },
  };
}

export async function startTestServer(options: TestServerOptions): Promise<RunningServer> {
  return launchTestServer(options).whenServing();
}
