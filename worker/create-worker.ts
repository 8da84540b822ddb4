/**
 * A worker that registers the kehoach workflows and the given activities on one task queue.
 */
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { KehoachActivities } from '../activities';
import { bundleKehoachWorkflows } from './bundle';

export interface KehoachWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: KehoachActivities;
  /** A prebuilt bundle (tests reuse one); bundled on the spot when absent. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Identity shown in the Temporal UI; defaults to the SDK's pid@host. */
  identity?: string;
  /**
   * Workflow cache size; 0 turns off sticky task queues, so work of a worker that dies is picked up
   * at once by another instead of after the sticky timeout (used by the crash test).
   */
  maxCachedWorkflows?: number;
  /** Activities run at once (the SDK's default when absent). */
  maxConcurrentActivityTaskExecutions?: number;
}

/**
 * Workflow code runs on this many threads (the SDK's default is one), and at most this many
 * workflow tasks are taken at once (the SDK's default is 40). At a morning burst every mailroom
 * wakes at the same instant and each of its tasks schedules dozens of digests; with 40 tasks queued
 * behind one thread, tasks waited past the server's 10-second workflow-task timeout, were given
 * again and their work was done twice (`npx tsx --expose-gc bench/burst.ts 114`). Fewer tasks in
 * hand wait on the server instead, where no timeout runs, and a second thread uses the second core.
 */
export const WORKFLOW_THREADS = 2;
export const MAX_CONCURRENT_WORKFLOW_TASKS = 10;

export async function createKehoachWorker(options: KehoachWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleKehoachWorkflows()),
    activities: options.activities,
    workflowThreadPoolSize: WORKFLOW_THREADS,
    maxConcurrentWorkflowTaskExecutions: MAX_CONCURRENT_WORKFLOW_TASKS,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  });
}
