/**
 * Loads TypeScript (tsx) in the main thread only: `node --import ./worker/register-tsx.mjs
 * client/main.ts`, as the npm scripts run the CLI and the worker. With `node --import tsx` every
 * worker thread inherits the flag, and the Temporal SDK runs workflows in worker threads that load
 * plain JavaScript only (the SDK's own files and the workflow bundle): each of them started tsx's
 * loader for nothing, and `kehoach simulate` had its worker running 0.5-0.7 s later.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const { register } = await import('tsx/esm/api');
  register();
}
