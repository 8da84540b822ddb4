/**
 * Whether a command is on PATH, found without running it: asking `java -version` starts a JVM,
 * a tenth of a second on a quiet machine and a second on a busy one.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export function isOnPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return true;
    } catch {
      // Not in this directory, or not executable.
    }
  }
  return false;
}
