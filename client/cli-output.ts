/**
 * Shared CLI output helpers: every message a user reads is Vietnamese; `--json` prints machine output.
 */
import { ConfigError } from '../config/config';

/** Exit code for input the user can fix (bad plan, bad environment, bad arguments). */
export const EXIT_BAD_INPUT = 2;

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_BAD_INPUT,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

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

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
