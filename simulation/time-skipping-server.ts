/**
 * The Java time-skipping test server, started at a chosen instant, with a client attached: what
 * `kehoach simulate` plays a plan year on, and what the workflow tests run on.
 *
 * Time skipping is global to a server and its clock only moves forward, so every simulation (and
 * every workflow test file) gets a server of its own, on a free loopback port.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { provideJavaTestServer } from '../provision/java-test-server';
import type { Log } from '../provision/provision-error';
import { launchTestServer, testServerPort, type LaunchedServer } from '../provision/server-process';

export interface TimeSkippingServer {
  env: TestWorkflowEnvironment;
  address: string;
  /** Advance the server clock to an absolute instant (never backwards). */
  sleepUntil(instant: string | number): Promise<void>;
  now(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `TestWorkflowEnvironment.create` is marked private in the SDK's typings but is the only way to
 * attach a time-skipping environment to a server we started ourselves (the SDK's own launcher waits
 * only ~5 s for a JVM and cannot set the server's initial time).
 */
type CreateEnvironment = (opts: {
  server: { type: 'existing' };
  address: string;
  namespace: string;
  supportsTimeSkipping: boolean;
}) => Promise<TestWorkflowEnvironment>;

/**
 * Starts the JVM and returns at once: `kehoach simulate` launches it before loading the SDKs and
 * the worker, which then load while it boots. The SDK modules this file needs are loaded by
 * `startTimeSkippingServer`, for the same reason.
 */
export async function launchTimeSkippingServer(options: { initialTime?: string; log?: Log } = {}): Promise<LaunchedServer> {
  const { launcher, readyLine } = await provideJavaTestServer(options.log ?? (() => {}));
  return launchTestServer({ launcher, port: await testServerPort(readyLine), initialTime: options.initialTime, readyLine });
}

/** `launched`: a server already launched (at the wanted initial time); it is stopped if it fails to serve. */
export async function startTimeSkippingServer(
  options: { initialTime?: string; log?: Log; launched?: LaunchedServer } = {},
): Promise<TimeSkippingServer> {
  const launched = options.launched ?? (await launchTimeSkippingServer(options));
  try {
    const [server, { TestWorkflowEnvironment: Environment }, { registerSearchAttributes }] = await Promise.all([
      launched.whenServing(),
      import('@temporalio/testing'),
      import('../operations/search-attributes'),
    ]);
    const create = (Environment as unknown as { create: CreateEnvironment }).create.bind(Environment);
    const env = await create({
      server: { type: 'existing' },
      address: server.address,
      namespace: 'default',
      supportsTimeSkipping: true,
    });
    await registerSearchAttributes(env.connection, 'default');
    return {
      env,
      address: server.address,
      async sleepUntil(instant) {
        const target = typeof instant === 'number' ? instant : Date.parse(instant);
        const now = await env.currentTimeMs();
        if (target > now) await env.sleep(target - now);
      },
      now: () => env.currentTimeMs(),
      async stop() {
        await env.teardown();
        await server.stop();
      },
    };
  } catch (err) {
    await launched.stop();
    throw err;
  }
}
