/**
 * Roll-out of K communes on one dev server (SQLite in memory, one in-process worker, this machine):
 * K copies of the Hà Đông 2026 plan started with `startPlan`, timed until every duty of every plan
 * runs its schedule; compared in the same run with R0, the rate at which the same server and worker
 * complete trivial workflows, and R0a, one-activity workflows. Prints the ratio, the worker's RSS per
 * open workflow and the largest history per workflow type.
 * Run: `npx tsx bench/rollout.ts [K ...]` (default 10; the targets use 10 and 114).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { buildActivityDeps } from '../activities/deps';
import { expandPlanFile, getPlanView, startPlan } from '../operations/plan-client';
import type { ExpandedPlan } from '../domain/schedule/types';
import { freePort } from '../provision/free-port';
import { startDevServer } from '../provision/server-process';
import { provideTemporalCli } from '../provision/temporal-cli';
import { createKehoachWorker } from '../worker/create-worker';

const COMMAND = 'npx tsx bench/rollout.ts';
const REFERENCE_COUNT = 300;
const TRIVIAL = fileURLToPath(new URL('./workflows/trivial.ts', import.meta.url));

function communeCopy(plan: ExpandedPlan, index: number): ExpandedPlan {
  return { ...plan, planId: `xa-${String(index).padStart(3, '0')}-2026` };
}

async function rate(client: Client, taskQueue: string, type: string, count: number): Promise<number> {
  const started = performance.now();
  const handles = [];
  for (let i = 0; i < count; i += 1) {
    handles.push(client.workflow.start(type, { taskQueue, workflowId: `${type}-${Date.now()}-${i}`, args: [] }));
  }
  await Promise.all((await Promise.all(handles)).map((h) => h.result()));
  return count / ((performance.now() - started) / 1000);
}

async function largestHistory(client: Client, workflowId: string): Promise<{ events: number; bytes: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { events: history.events?.length ?? 0, bytes: proto.temporal.api.history.v1.History.encode(history).finish().length };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const ks = counts.length > 0 ? counts : [10];
  const cli = await provideTemporalCli(() => {});
  const server = await startDevServer({ cli: cli.path, port: await freePort(), uiPort: undefined, dbFile: undefined });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-bench-'));
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  try {
    const reference = await Worker.create({
      connection: nativeConnection,
      taskQueue: 'bench-reference',
      workflowsPath: TRIVIAL,
      activities: { noop: async () => {} },
    });
    const kehoach = await createKehoachWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue: 'bench-kehoach',
      activities: createActivities(buildActivityDeps({ mailFrom: 'kehoach@bench.example', publicUrl: 'http://127.0.0.1', dataDir, linkSecret: 'bench-secret-0123456789abcdef0123456789' })),
    });
    const running = Promise.all([reference.run(), kehoach.run()]);
    const r0 = await rate(client, 'bench-reference', 'trivialWorkflow', REFERENCE_COUNT);
    const r0a = await rate(client, 'bench-reference', 'oneActivityWorkflow', REFERENCE_COUNT);
    process.stdout.write(`R0 = ${r0.toFixed(1)} trivial workflows/s, R0a = ${r0a.toFixed(1)} one-activity workflows/s (${REFERENCE_COUNT} each)\n`);

    const haDong = await expandPlanFile('plans/ha-dong-2026.yaml');
    let offset = 0;
    for (const k of ks) {
      const plans = Array.from({ length: k }, (_, i) => communeCopy(haDong, offset + i));
      offset += k;
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      for (let i = 0; i < plans.length; i += 4) await Promise.all(plans.slice(i, i + 4).map((plan) => startPlan(client, 'bench-kehoach', plan)));
      for (const plan of plans) {
        for (;;) {
          const view = await getPlanView(client, { planId: plan.planId, year: plan.year }).catch(() => undefined);
          if (view?.status === 'running') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const workflows = k * (haDong.duties.length + 2);
      const perSecond = workflows / seconds;
      const rssPer = (process.memoryUsage().rss - rssBefore) / workflows / 1024;
      const last = plans[plans.length - 1] as ExpandedPlan;
      const planHistory = await largestHistory(client, `kehoach:${last.planId}:2026`);
      const dutyHistory = await largestHistory(client, `kehoach:${last.planId}:2026:duty:giao-ban-thang-truong`);
      process.stdout.write(
        `K = ${k}: ${workflows} workflows running after ${seconds.toFixed(1)} s = ${perSecond.toFixed(1)} workflows/s = ${(perSecond / r0).toFixed(2)} × R0; ` +
          `worker RSS +${rssPer.toFixed(0)} KB per open workflow; plan history ${planHistory.events} events / ${(planHistory.bytes / 1024).toFixed(0)} KB, ` +
          `busiest duty ${dutyHistory.events} events / ${(dutyHistory.bytes / 1024).toFixed(0)} KB (${COMMAND} ${ks.join(' ')})\n`,
      );
    }
    reference.shutdown();
    kehoach.shutdown();
    await running;
  } finally {
    await server.stop();
  }
}

await main();
