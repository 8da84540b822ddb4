/**
 * What every workflow test needs: a time-skipping server, a real SMTP server on loopback, the real
 * mail activities writing their ledger to a fresh directory, and workers built from one bundle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { bundleKehoachWorkflows } from '../../worker/bundle';
import { createKehoachWorker } from '../../worker/create-worker';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { startTimeSkippingServer, type TimeSkippingServer } from '../support/temporal-servers';

import { LINK_SECRET, MAIL_FROM } from './rig-constants';

let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;
export function sharedBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundlePromise ??= bundleKehoachWorkflows();
  return bundlePromise;
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export interface Rig {
  server: TimeSkippingServer;
  smtp: TestSmtpServer;
  dataDir: string;
  taskQueue: string;
  startWorker(): Promise<RunningWorker>;
  /** Advance the server clock to an absolute instant (never backwards). */
  sleepUntil(instant: string | number): Promise<void>;
  now(): Promise<number>;
  close(): Promise<void>;
}

let queueCounter = 0;

export async function createRig(options: { initialTime?: string } = {}): Promise<Rig> {
  const [server, smtp, bundle] = await Promise.all([
    startTimeSkippingServer(options.initialTime ? { initialTime: options.initialTime } : {}),
    startTestSmtpServer(),
    sharedBundle(),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kehoach-wf-'));
  queueCounter += 1;
  const taskQueue = `kehoach-test-${process.pid}-${queueCounter}`;
  const activities = createActivities(
    buildActivityDeps({
      smtpUrl: smtp.url,
      mailFrom: MAIL_FROM,
      publicUrl: 'http://127.0.0.1:8080',
      dataDir,
      linkSecret: LINK_SECRET,
    }),
  );
  const running = new Set<RunningWorker>();
  return {
    server,
    smtp,
    dataDir,
    taskQueue,
    async startWorker() {
      const worker = await createKehoachWorker({
        connection: server.env.nativeConnection,
        namespace: 'default',
        taskQueue,
        activities,
        workflowBundle: bundle,
      });
      const done = worker.run();
      const handle: RunningWorker = {
        worker,
        async stop() {
          if (!running.delete(handle)) return;
          worker.shutdown();
          await done;
        },
      };
      running.add(handle);
      return handle;
    },
    sleepUntil: (instant) => server.sleepUntil(instant),
    now: () => server.now(),
    async close() {
      for (const handle of [...running]) await handle.stop();
      await smtp.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
