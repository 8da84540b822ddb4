/**
 * A running plan on the shared dev server for the web tests: a worker on its own task queue and
 * the default plan a year ahead under the caller's own id, every duty started.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { expandPlanFile, getPlanView, startPlan } from '../../operations/plan-client';
import { describePlanFile, type CatalogPlan } from '../../operations/plan-catalog';
import type { ExpandedPlan } from '../../domain/schedule/types';
import type { RunSettings } from '../../workflows/types';
import { createKehoachWorker } from '../../worker/create-worker';
import { writeFuturePlan } from './future-plan';
import { devServer } from './temporal-servers';
import { waitFor } from './wait-for';

export interface PlanStack {
  client: Client;
  plan: ExpandedPlan;
  planFile: string;
  /** The plan as the web app knows it: its file, commune and period. */
  catalog: CatalogPlan;
  dataDir: string;
  stop(): Promise<void>;
}

export interface PlanStackOptions {
  /** Changes the plan before it starts (e.g. one occurrence due within the test's minute). */
  adjust?: (plan: ExpandedPlan) => ExpandedPlan;
  settings?: Partial<RunSettings>;
}

export async function startPlanStack(name: string, linkSecret: string, options: PlanStackOptions = {}): Promise<PlanStack> {
  const { address, namespace } = devServer();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `kehoach-${name}-`));
  const taskQueue = `${name}-${process.pid}`;
  const worker: Worker = await createKehoachWorker({
    connection: nativeConnection,
    namespace,
    taskQueue,
    activities: createActivities(buildActivityDeps({ mailFrom: 'kehoach@ha-dong.example', publicUrl: 'http://127.0.0.1', dataDir, linkSecret })),
  });
  const workerRun = worker.run();

  // The real plan, a year ahead, under its own id so this file's workflows cannot meet another file's.
  const planFile = writeFuturePlan(dataDir, `${name}-${Date.now()}`).file;
  // Next year's reports and meetings do not take submissions yet; these tests are about the pages,
  // so every occurrence is opened now. When submissions open is tested on the time-skipping server
  // (test/workflows/exactness.test.ts).
  const expanded = await expandPlanFile(planFile);
  const opened: ExpandedPlan = { ...expanded, occurrences: expanded.occurrences.map(({ opensAt: _opensAt, ...occurrence }) => occurrence) };
  const plan = options.adjust ? options.adjust(opened) : opened;
  await startPlan(client, taskQueue, plan, options.settings);
  const described = await describePlanFile(planFile);
  if (!('plan' in described)) throw new Error(`the stack's plan is invalid: ${JSON.stringify(described.problems)}`);
  const startedAt = performance.now();
  await waitFor(
    'the plan started all its duties',
    async () => {
      const view = await getPlanView(client, plan).catch(() => undefined);
      return view?.duties.length === plan.duties.length && view.duties.every((d) => d.lifecycle !== 'starting');
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  process.stdout.write(`plan started all ${plan.duties.length} duties in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);

  return {
    client,
    plan,
    planFile,
    catalog: described,
    dataDir,
    async stop() {
      await client.workflow.getHandle(`kehoach:${plan.planId}:${plan.year}`).terminate('test finished').catch(() => {});
      worker.shutdown();
      await workerRun;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
