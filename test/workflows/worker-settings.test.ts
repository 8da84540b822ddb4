/**
 * What a kehoach worker hands the SDK for taking workflow tasks, read back from the worker the SDK
 * built (its compiled options) on a real time-skipping server: the defaults, and
 * KEHOACH_WORKFLOW_TASKS_AT_ONCE's override of both the task slots and the polls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { createKehoachWorker } from '../../worker/create-worker';
import { startTimeSkippingServer, type TimeSkippingServer } from '../support/temporal-servers';
import { sharedBundle } from './rig';
import { LINK_SECRET, MAIL_FROM } from './rig-constants';

let server: TimeSkippingServer;

beforeAll(async () => {
  server = await startTimeSkippingServer();
});

afterAll(async () => {
  await server?.stop();
});

async function compiledOptions(workflowTasksAtOnce?: number): Promise<Record<string, unknown>> {
  const worker: Worker = await createKehoachWorker({
    connection: server.env.nativeConnection,
    namespace: 'default',
    taskQueue: `settings-${workflowTasksAtOnce ?? 'default'}`,
    activities: createActivities(
      buildActivityDeps({ mailFrom: MAIL_FROM, publicUrl: 'http://127.0.0.1:8080', dataDir: '/nonexistent-kehoach', linkSecret: LINK_SECRET }),
    ),
    workflowBundle: await sharedBundle(),
    ...(workflowTasksAtOnce !== undefined ? { workflowTasksAtOnce } : {}),
  });
  try {
    return worker.options as unknown as Record<string, unknown>;
  } finally {
    await worker.runUntil(Promise.resolve());
  }
}

describe('how a kehoach worker takes workflow tasks', () => {
  it('takes ten at once on two threads, half of its ten polls on the task queue', async () => {
    const options = await compiledOptions();
    expect(options).toMatchObject({
      tuner: { workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 10 } },
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 10 },
      nonStickyToStickyPollRatio: 0.5,
      workflowThreadPoolSize: 2,
    });
  });

  it('takes and polls for as many as configured', async () => {
    const options = await compiledOptions(40);
    expect(options).toMatchObject({
      tuner: { workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 } },
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 40 },
      nonStickyToStickyPollRatio: 0.5,
    });
  });
});
