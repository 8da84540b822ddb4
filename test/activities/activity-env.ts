import { type Logger, type LogLevel, type LogMetadata } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';

export interface LogEntry {
  level: LogLevel;
  message: string;
  meta: LogMetadata | undefined;
}

/** Everything activities logged through Temporal's activity Context, for assertions (and quiet output). */
export const logged: LogEntry[] = [];

const capturingLogger: Logger = {
  log: (level, message, meta) => void logged.push({ level, message, meta }),
  trace: (message, meta) => capturingLogger.log('TRACE', message, meta),
  debug: (message, meta) => capturingLogger.log('DEBUG', message, meta),
  info: (message, meta) => capturingLogger.log('INFO', message, meta),
  warn: (message, meta) => capturingLogger.log('WARN', message, meta),
  error: (message, meta) => capturingLogger.log('ERROR', message, meta),
};

/** Runs an activity function the way a worker would: inside a Temporal activity Context. */
export function runActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, args: A, attempt = 1): Promise<R> {
  return new MockActivityEnvironment({ attempt }, { logger: capturingLogger }).run(fn, ...args) as Promise<R>;
}
