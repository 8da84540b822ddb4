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
  /**
   * Workflow tasks taken and polled for at once, instead of `WORKFLOW_TASK_SETTINGS`' ten
   * (`KEHOACH_WORKFLOW_TASKS_AT_ONCE`); half of the polls still go to the task queue.
   */
  workflowTasksAtOnce?: number;
}

/**
 * How a worker of ours takes workflow tasks; the benchmarks give their reference workers the same,
 * so a reference rate is the server's pace under these settings, not the SDK's defaults.
 *
 * - Workflow code runs on two threads (the SDK's default is one), and at most ten workflow tasks
 *   are taken at once (the SDK's default is 40). At a morning burst every mailroom wakes at the
 *   same instant and each of its tasks schedules dozens of digests; with 40 tasks queued behind one
 *   thread, tasks waited past the server's 10-second workflow-task timeout, were given again and
 *   their work was done twice (`npx tsx --expose-gc bench/burst.ts 114`). Fewer tasks in hand wait
 *   on the server instead, where no timeout runs, and a second thread uses the second core.
 * - Half of the ten task polls ask the task queue itself, half the worker's own sticky queue (the
 *   SDK's default is two and eight). A workflow's first task, and any task of a workflow the worker
 *   does not hold in its cache, comes from the task queue: at a roll-out that is every task, and
 *   two polls left the worker idle a third of the time while thousands of duties waited to start
 *   (40 workflows/s against 66 with five, `npx tsx --expose-gc bench/rollout.ts 60`). The SDK's
 *   autoscaling polls were faster still on the dev server but, on the time-skipping server, left a
 *   task waiting for its 10-second timeout in two simulated years of five.
 */
export function workflowTaskSettings(tasksAtOnce = 10) {
  return {
    workflowThreadPoolSize: 2,
    maxConcurrentWorkflowTaskExecutions: tasksAtOnce,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: tasksAtOnce },
    nonStickyToStickyPollRatio: 0.5,
  } as const;
}

export const WORKFLOW_TASK_SETTINGS = workflowTaskSettings();

export async function createKehoachWorker(options: KehoachWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleKehoachWorkflows()),
    activities: options.activities,
    ...workflowTaskSettings(options.workflowTasksAtOnce),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions }
      : {}),
  });
}
