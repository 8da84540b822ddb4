import os from 'node:os';
import path from 'node:path';

/**
 * Where provisioned servers live: outside the repository, so a fresh clone on the same machine
 * reuses them. `KEHOACH_CACHE_DIR` overrides it.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEHOACH_CACHE_DIR) return path.resolve(env.KEHOACH_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'kehoach');
}
