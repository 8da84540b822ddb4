/**
 * Starting, watching and killing workers in their own processes (`worker-process.ts`), for tests
 * that kill one with SIGKILL the way a crash or a power cut would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Rig } from './rig';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface WorkerProcessOptions {
  /** Its own data directory (outbox, file ledger); defaults to the rig's. */
  dataDir?: string;
  /** 'no-cache' for a worker that will be killed: see worker-restart.test.ts. */
  cache: 'cache' | 'no-cache';
  /** Fault injection, e.g. `crash-after-ledger:2026-07-06` (see worker-process.ts). */
  crash?: string;
  /** KEHOACH_LEDGER_URL of the process: the shared PostgreSQL ledger; unset = files in its data directory. */
  ledgerUrl?: string;
  /** More environment for the process. */
  env?: Record<string, string>;
  /** Called with each line the process prints (its fault injection reports itself this way). */
  onLine?: (line: string) => void;
}

export function startWorkerProcess(rig: Rig, options: WorkerProcessOptions): Promise<ChildProcess> {
  const args = [WORKER_SCRIPT, rig.server.address, rig.taskQueue, rig.smtp.url, options.dataDir ?? rig.dataDir, options.cache, ...(options.crash ? [options.crash] : [])];
  const env = { ...process.env, ...options.env };
  delete env.KEHOACH_LEDGER_URL;
  if (options.ledgerUrl) env.KEHOACH_LEDGER_URL = options.ledgerUrl;
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let pending = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line);
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker-ready')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`worker process exited (${code}): ${stderr}`)));
  });
}

/** Resolves when the process has exited; rejects if it is still running after `withinMs`. */
export function exited(proc: ChildProcess, withinMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const timer = setTimeout(() => reject(new Error(`the worker did not crash within ${withinMs} ms of ${what}`)), withinMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}
