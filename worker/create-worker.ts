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

export async function createKehoachWorker(options: KehoachWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleKehoachWorkflows()),
    activities: options.activities,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  });
}
