/**
 * Vitest global setup for end-to-end tests: one real Temporal dev server (in memory, headless) for
 * the whole run. If it cannot start, the run fails with the reason; nothing is skipped.
 */
import type { TestProject } from 'vitest/node';
import { freePort } from '../../provision/free-port';
import { startDevServer } from '../../provision/server-process';
import { provideTemporalCli } from '../../provision/temporal-cli';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cli = await provideTemporalCli((line) => process.stdout.write(`${line}\n`));
  const server = await startDevServer({ cli: cli.path, port: freePort, uiPort: undefined, dbFile: undefined });
  project.provide('devServerAddress', server.address);
  return () => server.stop();
}
