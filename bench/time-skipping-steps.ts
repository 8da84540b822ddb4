/**
 * What a simulated year costs on the time-skipping server, against that server's own pace: the
 * year's workflow tasks and activities counted from the histories of every run, and the time one
 * trivial workflow task (and one no-op activity) takes after another on a fresh server of the same
 * kind, with a worker of our workflow-task settings in the same process.
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { ExpandedPlan } from '../domain/schedule/types';
import { dutyWorkflowId, mailroomWorkflowId, planWorkflowId } from '../domain/keys/workflow-ids';
import { startTimeSkippingServer } from '../simulation/time-skipping-server';
import { WORKFLOW_TASK_SETTINGS } from '../worker/create-worker';

const TRIVIAL = fileURLToPath(new URL('./workflows/trivial.ts', import.meta.url));
const EventType = proto.temporal.api.enums.v1.EventType;

export interface YearSteps {
  workflowTasks: number;
  activities: number;
  /**
   * Milliseconds from each activity's scheduling to its completion, summed: the server holds its
   * clock while an activity is out, so this is wall time the year waited on them.
   */
  activitiesOutMs: number;
  runs: number;
}

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

function eventMs(event: HistoryEvent | undefined): number {
  const time = event?.eventTime;
  return time ? Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6 : 0;
}

/** Scheduled-to-closed milliseconds of every activity of one history that closed. */
function activitiesOutMsOf(events: HistoryEvent[]): number {
  const scheduledAt = new Map<number, number>();
  let total = 0;
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) scheduledAt.set(Number(event.eventId), eventMs(event));
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    const scheduled = closed ? scheduledAt.get(Number(closed.scheduledEventId)) : undefined;
    if (scheduled !== undefined) total += eventMs(event) - scheduled;
  }
  return total;
}

/** Every run of one workflow, from the latest back to the first (each run names the one it continued). */
async function countRuns(client: Client, workflowId: string, into: YearSteps): Promise<void> {
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    into.runs += 1;
    into.workflowTasks += events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).length;
    into.activities += events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).length;
    into.activitiesOutMs += activitiesOutMsOf(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
}

/** The year's workflow tasks and activities: the plan workflow, its mailroom and every duty, all their runs. */
export async function countYearSteps(client: Client, plan: ExpandedPlan): Promise<YearSteps> {
  const steps: YearSteps = { workflowTasks: 0, activities: 0, activitiesOutMs: 0, runs: 0 };
  const ids = [
    planWorkflowId(plan.planId, plan.year),
    mailroomWorkflowId(plan.planId, plan.year),
    ...plan.duties.map((duty) => dutyWorkflowId(plan.planId, plan.year, duty.id)),
  ];
  for (const id of ids) await countRuns(client, id, steps);
  return steps;
}

export interface StepPace {
  /** Milliseconds per workflow task, one after another. */
  workflowTaskMs: number;
  /** Milliseconds of an activity's own round trip (the workflow task that takes its result aside). */
  activityMs: number;
}

/** Sequential steps per measurement: a few seconds each. */
const STEPS = 500;

/** The least a year of these steps takes at this pace, one after another. */
export function floorSeconds(steps: YearSteps, pace: StepPace): number {
  return (steps.workflowTasks * pace.workflowTaskMs + steps.activities * pace.activityMs) / 1000;
}

/** The pace of a fresh time-skipping server and a worker with our workflow-task settings, after a warm-up of the same length. */
export async function measureStepPace(): Promise<StepPace> {
  const server = await startTimeSkippingServer({ initialTime: '2026-01-01T00:00:00Z' });
  try {
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      taskQueue: 'bench-steps',
      workflowsPath: TRIVIAL,
      activities: { noop: async () => {} },
      ...WORKFLOW_TASK_SETTINGS,
    });
    const run = async (withActivity: boolean): Promise<number> => {
      const started = performance.now();
      await server.env.client.workflow.execute('stepsWorkflow', {
        taskQueue: 'bench-steps',
        workflowId: `steps-${withActivity}-${started}`,
        args: [STEPS, withActivity],
      });
      return (performance.now() - started) / STEPS;
    };
    return await worker.runUntil(async () => {
      await run(true); // warm-up: the JVM compiles the server's paths, the worker loads its bundle
      const workflowTaskMs = await run(false);
      const withActivityMs = await run(true);
      // A step with an activity is two workflow tasks (the timer's, the result's) and the activity.
      return { workflowTaskMs, activityMs: withActivityMs - 2 * workflowTaskMs };
    });
  } finally {
    await server.stop();
  }
}
