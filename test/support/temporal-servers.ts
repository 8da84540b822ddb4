/**
 * Real Temporal servers for tests.
 *
 * Time skipping is global to a server and its clock only moves forward, so every test file that
 * needs it gets a server of its own (`startTimeSkippingServer`), with its clock set where the test
 * wants it to start (e.g. 1 January of the plan year). End-to-end files share one dev server that
 * vitest's global setup starts (`devServer()`).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import { inject } from 'vitest';
import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../config/search-attributes';
import { freePort } from '../../provision/free-port';
import { provideJavaTestServer } from '../../provision/java-test-server';
import { startTestServer } from '../../provision/server-process';

export interface TimeSkippingServer {
  env: TestWorkflowEnvironment;
  address: string;
  stop(): Promise<void>;
}

const INDEXED_VALUE_TYPES = {
  Keyword: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Int: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Text: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
} as const;

export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED_VALUE_TYPES[type]]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
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

export async function startTimeSkippingServer(options: { initialTime?: string } = {}): Promise<TimeSkippingServer> {
  const { launcher } = await provideJavaTestServer(() => {});
  const server = await startTestServer({ launcher, port: await freePort(), initialTime: options.initialTime });
  try {
    const create = (TestWorkflowEnvironment as unknown as { create: CreateEnvironment }).create.bind(
      TestWorkflowEnvironment,
    );
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
      async stop() {
        await env.teardown();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    devServerAddress: string;
  }
}

/** The dev server started by `test/support/dev-server-setup.ts` for the e2e project. */
export function devServer(): { address: string; namespace: string } {
  return { address: inject('devServerAddress'), namespace: 'default' };
}
