/**
 * Response time of the office's year-at-a-glance page (`/theo-doi/luoi`, every duty, every unit)
 * on a real stack: a dev server (SQLite in memory), one in-process worker, the web app, and plain
 * HTTP requests one after another, signed in. Two plans: the Hà Đông plan as it ships
 * (plans/ha-dong-2026.yaml, started now), and the same plan with its units copied up to 200
 * (each copy gets its template's occurrences), the size of a large ward's plan.
 * Prints median and p95 over the measured requests (after warm-up ones).
 * Run: `npx tsx bench/grid.ts [requests]` (default 40 per plan).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { addAccount, createAccountBook } from '../accounts/account-file';
import { DEFAULT_WEB_LIMITS } from '../config/config';
import { createActivities } from '../activities';
import { buildActivityDeps } from '../activities/deps';
import { expandPlanFile, getPlanView, startPlan } from '../operations/plan-client';
import { describePlanFile } from '../operations/plan-catalog';
import { createSubmissionLinks } from '../domain/keys/submission-links';
import type { ExpandedPlan, Occurrence } from '../domain/schedule/types';
import { freePort } from '../provision/free-port';
import { startDevServer } from '../provision/server-process';
import { provideTemporalCli } from '../provision/temporal-cli';
import { createWebApp } from '../web/server';
import { createKehoachWorker } from '../worker/create-worker';
import { percentile } from './stats';

const COMMAND = 'npx tsx bench/grid.ts';
const PLAN_FILE = path.resolve(import.meta.dirname, '../plans/ha-dong-2026.yaml');
const requests = Number(process.argv[2] ?? 40);
const WARM_UP = 3;
const UNITS = 200;

/** The plan with its subject units copied round-robin until there are `count` of them. */
function withUnits(plan: ExpandedPlan, count: number): ExpandedPlan {
  const subjects = [...new Set(plan.occurrences.map((o) => o.unitId))];
  const units = [...plan.units];
  const occurrences: Occurrence[] = [...plan.occurrences];
  const copiesOf = new Map<string, string[]>();
  for (let index = subjects.length; index < count; index += 1) {
    const templateId = subjects[index % subjects.length] as string;
    const template = plan.units.find((unit) => unit.id === templateId);
    if (!template) throw new Error(`unit ${templateId} missing`);
    const id = `${templateId}-ban-sao-${index}`;
    units.push({ ...template, id, name: `${template.name} (bản sao ${index})` });
    copiesOf.set(templateId, [...(copiesOf.get(templateId) ?? []), id]);
    for (const occurrence of plan.occurrences) {
      if (occurrence.unitId !== templateId) continue;
      occurrences.push({ ...occurrence, unitId: id, key: `${occurrence.dutyId}:${id}:${occurrence.periodKey}` });
    }
  }
  const duties = plan.duties.map((duty) => ({ ...duty, unitIds: duty.unitIds.flatMap((id) => [id, ...(copiesOf.get(id) ?? [])]) }));
  occurrences.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
  return { ...plan, planId: `bench-${count}-don-vi-${plan.year}`, units, duties, occurrences };
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const cli = await provideTemporalCli(() => {});
const server = await startDevServer({ cli: cli.path, port: freePort, uiPort: undefined, dbFile: undefined });
const connection = await Connection.connect({ address: server.address });
const nativeConnection = await NativeConnection.connect({ address: server.address });
const client = new Client({ connection, namespace: 'default' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-bench-grid-'));
const taskQueue = `bench-grid-${process.pid}`;
const deps = buildActivityDeps({ mailFrom: 'kehoach@ha-dong.example', publicUrl: 'http://127.0.0.1', dataDir, linkSecret: 'bench-grid-secret-0123456789abcdef01234567' });
const worker = await createKehoachWorker({ connection: nativeConnection, namespace: 'default', taskQueue, activities: createActivities(deps) });
const workerRun = worker.run();

const haDong = await expandPlanFile(PLAN_FILE);
const large = withUnits(haDong, UNITS);
const catalog = await describePlanFile(PLAN_FILE);
if (!('plan' in catalog)) throw new Error('plans/ha-dong-2026.yaml is invalid');

const accountsFile = path.join(dataDir, 'accounts.json');
await addAccount(accountsFile, { name: 'thanh-pho', role: 'city' }, 'mat-khau-do-thoi-gian');
const port = await freePort();
const web = await createWebApp({
  client,
  links: createSubmissionLinks('bench-grid-secret-0123456789abcdef01234567', `http://127.0.0.1:${port}`),
  accounts: createAccountBook(accountsFile),
  plans: [catalog],
  deliveryLog: deps.ledger,
  // One client asking fast on purpose: the per-address limit would refuse it.
  limits: { ...DEFAULT_WEB_LIMITS, requestsPerMinute: 1_000_000 },
});
await web.listen({ host: '127.0.0.1', port });
const authorization = `Basic ${Buffer.from('thanh-pho:mat-khau-do-thoi-gian').toString('base64')}`;

try {
  for (const plan of [haDong, large]) {
    const started = performance.now();
    await startPlan(client, taskQueue, plan);
    for (;;) {
      const view = await getPlanView(client, plan).catch(() => undefined);
      if (view?.duties.length === plan.duties.length && view.duties.every((duty) => duty.lifecycle !== 'starting')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const startSeconds = (performance.now() - started) / 1000;
    const url = `http://127.0.0.1:${port}/theo-doi/luoi?ke-hoach=${encodeURIComponent(plan.planId)}&nam=${plan.year}`;
    const times: number[] = [];
    let bytes = 0;
    for (let index = 0; index < WARM_UP + requests; index += 1) {
      const before = performance.now();
      const response = await fetch(url, { headers: { authorization } });
      const body = await response.text();
      const ms = performance.now() - before;
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
      bytes = body.length;
      if (index >= WARM_UP) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const units = new Set(plan.occurrences.map((o) => o.unitId)).size;
    process.stdout.write(
      `Grid page, ${plan.planId} (${units} units, ${plan.duties.length} duties, ${plan.occurrences.length} items; plan started in ${startSeconds.toFixed(1)} s): ` +
        `median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms over ${times.length} requests, page ${(bytes / 1024).toFixed(0)} KiB (${COMMAND})\n`,
    );
  }
} finally {
  await web.close();
  for (const plan of [haDong, large]) await client.workflow.getHandle(`kehoach:${plan.planId}:${plan.year}`).terminate('benchmark finished').catch(() => {});
  worker.shutdown();
  await workerRun;
  await connection.close();
  await nativeConnection.close();
  await server.stop();
}
