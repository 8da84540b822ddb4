/**
 * Start-up time of the two Temporal servers, from spawn until they answer a gRPC call.
 * Run: `npx tsx bench/servers.ts [runs]` (provisions the servers first if needed).
 */
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../provision/free-port';
import { provideJavaTestServer } from '../provision/java-test-server';
import { startDevServer, startTestServer, testServerPort, type RunningServer } from '../provision/server-process';
import { provideTemporalCli } from '../provision/temporal-cli';
import { medianOf } from './stats';

const COMMAND = 'npx tsx bench/servers.ts';
const runs = Number(process.argv[2] ?? 3);
const quiet = () => {};

async function timeStart(start: () => Promise<RunningServer>): Promise<number[]> {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const server = await start();
    seconds.push((performance.now() - started) / 1000);
    await server.stop();
  }
  return seconds.sort((a, b) => a - b);
}

function report(what: string, seconds: number[]): void {
  const median = medianOf(seconds);
  process.stdout.write(`${what}: min ${seconds[0]?.toFixed(2)} s, median ${median.toFixed(2)} s over ${seconds.length} starts (${COMMAND})\n`);
}

const cli = await provideTemporalCli(quiet);
const { launcher, readyLine } = await provideJavaTestServer(quiet);
report(
  'Dev server, persisting to SQLite',
  await timeStart(async () =>
    startDevServer({
      cli: cli.path,
      port: freePort,
      uiPort: await freePort(),
      dbFile: path.join(os.tmpdir(), `kehoach-bench-${process.pid}-${Date.now()}.sqlite`),
    }),
  ),
);
report(
  'Time-skipping test server (JVM), clock at 2026-01-01',
  await timeStart(async () => startTestServer({ launcher, readyLine, port: await testServerPort(readyLine), initialTime: '2026-01-01T00:00:00+07:00' })),
);
