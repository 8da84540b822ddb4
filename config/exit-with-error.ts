/**
 * How every kehoach process (the CLI, a standalone worker) ends on an error: a Vietnamese line on
 * stderr and a non-zero exit code; the stack only with KEHOACH_DEBUG.
 */
import { EXIT_BAD_INPUT, UserError } from '../domain/user-error';
import { ConfigError } from './config';

export function exitWithError(err: unknown): never {
  if (err instanceof UserError || err instanceof ConfigError) {
    process.stderr.write(`Lỗi: ${err.message}\n`);
    process.exit(err instanceof UserError ? err.exitCode : EXIT_BAD_INPUT);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Lỗi không mong đợi: ${message}\n`);
  if (process.env.KEHOACH_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  process.exit(1);
}
