/**
 * Who tells the plan that its duties run: the client that started them, in one signal, once every
 * duty is started; a duty started so never signals its plan at its first task. A start interrupted
 * before that signal leaves the plan "starting" (the office sees it is not done), and starting the
 * same plan again finishes it without starting any duty twice.
 */
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { afterEach, expect, it } from 'vitest';
import { getPlanView, startPlan } from '../../operations/plan-client';
import { dutyWorkflowId } from '../../domain/keys/workflow-ids';
import { KEHOACH_NEXT_DEADLINE, KEHOACH_STATUS, KEHOACH_UNITS } from '../../workflows/search-attributes';
import { clockFrom, nextLocalMidnight, smallPlan } from '../fixtures/expanded/small-plan';
import { waitFor } from '../support/wait-for';
import { createRig, type Rig } from './rig';

let rig: Rig | undefined;


afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A client that dies at the moment it would tell the plan its duties run. */
function clientDyingBeforeTheReport(on: Rig): Client {
  const dies: WorkflowClientInterceptor = {
    async signal(input, next) {
      if (input.signalName === 'dutiesRunning') throw new Error('the client process died here');
      return next(input);
    },
  };
  return new Client({ connection: on.server.env.connection, interceptors: { workflow: [dies] } });
}

async function signalsToThePlan(client: Client, planId: string, year: number, dutyId: string): Promise<number> {
  const history = await client.workflow.getHandle(dutyWorkflowId(planId, year, dutyId)).fetchHistory();
  return (history.events ?? []).filter((event) => event.signalExternalWorkflowExecutionInitiatedEventAttributes).length;
}

/** A worker on a fresh server and a small plan laid out from its next midnight. */
async function smallPlanOnRig(planId: string, initialTime = '2026-01-01T00:00:00+07:00') {
  const started = await createRig({ initialTime });
  rig = started;
  await started.startWorker();
  const base = nextLocalMidnight(await started.now(), 420);
  return { rig: started, client: started.server.env.client, closesAt: clockFrom(base).at(75), plan: smallPlan(planId, base) };
}

it('runs once the client that started the duties has told the plan, and no duty signals it at start', async () => {
  const { rig: r, client, closesAt, plan } = await smallPlanOnRig('bat-dau');
  await startPlan(client, r.taskQueue, plan, { closesAt });

  const view = await waitFor('the plan runs', async () => {
    const current = await getPlanView(client, plan);
    return current.status === 'running' ? current : undefined;
  });
  expect(view.duties.map((duty) => [duty.dutyId, duty.lifecycle])).toEqual(plan.duties.map((duty) => [duty.id, 'running']));
  for (const duty of plan.duties) {
    // Its first task has run: it published its own status.
    await waitFor(`duty ${duty.id} ran its first task`, async () => {
      const history = await client.workflow.getHandle(dutyWorkflowId(plan.planId, plan.year, duty.id)).fetchHistory();
      return (history.events ?? []).some((event) => event.timerStartedEventAttributes);
    });
    expect(await signalsToThePlan(client, plan.planId, plan.year, duty.id)).toBe(0);
  }
});

it('stays starting when the client died before telling the plan, and starting it again finishes the job', async () => {
  const { rig: r, client, closesAt, plan } = await smallPlanOnRig('bat-dau-lai');
  await expect(startPlan(clientDyingBeforeTheReport(r), r.taskQueue, plan, { closesAt })).rejects.toThrow(
    'the client process died here',
  );
  const runIds = await Promise.all(
    plan.duties.map(async (duty) => (await client.workflow.getHandle(dutyWorkflowId(plan.planId, plan.year, duty.id)).describe()).runId),
  );
  // Every duty runs, and nothing told the plan so: it says it is still starting them.
  const stuck = await getPlanView(client, plan);
  expect(stuck.status).toBe('starting');
  expect(stuck.duties.every((duty) => duty.lifecycle === 'starting')).toBe(true);

  const again = await startPlan(client, r.taskQueue, plan, { closesAt });
  expect(again.started).toBe(false);
  const view = await waitFor('the plan runs', async () => {
    const current = await getPlanView(client, plan);
    return current.status === 'running' ? current : undefined;
  });
  expect(view.duties.every((duty) => duty.lifecycle === 'running')).toBe(true);
  const runIdsAfter = await Promise.all(
    plan.duties.map(async (duty) => (await client.workflow.getHandle(dutyWorkflowId(plan.planId, plan.year, duty.id)).describe()).runId),
  );
  expect(runIdsAfter).toEqual(runIds);
});

/** The duty's upserts at its first task, and the attributes it shows once that task has run. */
async function firstTaskAttributes(client: Client, planId: string, year: number, dutyId: string) {
  const handle = client.workflow.getHandle(dutyWorkflowId(planId, year, dutyId));
  const history = await waitFor(`duty ${dutyId} ran its first task`, async () => {
    const current = await handle.fetchHistory();
    return (current.events ?? []).some((event) => event.timerStartedEventAttributes) ? current : undefined;
  });
  const attributes = (await handle.describe()).typedSearchAttributes;
  return {
    upserts: (history.events ?? []).filter((event) => event.upsertWorkflowSearchAttributesEventAttributes).length,
    status: attributes.get(KEHOACH_STATUS),
    nextDeadline: attributes.get(KEHOACH_NEXT_DEADLINE)?.getTime(),
    units: attributes.get(KEHOACH_UNITS),
  };
}

/** What the office's list must show at `nowMs`, read from the plan itself: the earliest deadline still ahead. */
function expectedAttributes(plan: ReturnType<typeof smallPlan>, dutyId: string, nowMs: number) {
  const ahead = plan.occurrences.filter((o) => o.dutyId === dutyId).map((o) => Date.parse(o.dueAt)).filter((due) => due > nowMs);
  const duty = plan.duties.find((d) => d.id === dutyId);
  return { status: 'on-track', nextDeadline: Math.min(...ahead), units: [...(duty?.unitIds ?? [])].sort() };
}

it('starts each duty with the search attributes its first task would publish, so that task upserts none', async () => {
  // The client's clock and the server's agree, as in production.
  const { rig: r, client, closesAt, plan } = await smallPlanOnRig('thuoc-tinh', new Date().toISOString());
  await startPlan(client, r.taskQueue, plan, { closesAt });
  const startedAt = await r.now();
  for (const duty of plan.duties) {
    expect(await firstTaskAttributes(client, plan.planId, plan.year, duty.id)).toEqual({ upserts: 0, ...expectedAttributes(plan, duty.id, startedAt) });
  }
});

it('publishes the attributes of its own clock at its first task when the client\'s clock told another story', async () => {
  // The server's clock stands in January, the client's in the wall-clock present: the client's
  // guess (every deadline past) is wrong, and the duty corrects it at once.
  const { rig: r, client, closesAt, plan } = await smallPlanOnRig('dong-ho-lech');
  await startPlan(client, r.taskQueue, plan, { closesAt });
  const startedAt = await r.now();
  for (const duty of plan.duties) {
    expect(await firstTaskAttributes(client, plan.planId, plan.year, duty.id)).toEqual({ upserts: 1, ...expectedAttributes(plan, duty.id, startedAt) });
  }
});
