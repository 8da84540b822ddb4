import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimeSkippingServer, type TimeSkippingServer } from '../support/temporal-servers';
import * as activities from '../fixtures/foundation/activities';

const workflowsPath = new URL('../fixtures/foundation/workflows.ts', import.meta.url).pathname;
let server: TimeSkippingServer;

beforeAll(async () => {
  server = await startTimeSkippingServer({ initialTime: '2026-01-01T00:00:00+07:00' });
});
afterAll(async () => server?.stop());

describe('time-skipping test server', () => {
  it('starts its clock at the requested instant, not today', async () => {
    const now = await server.env.currentTimeMs();
    expect(new Date(now).toISOString().slice(0, 10)).toBe('2025-12-31');
  });

  it('completes a workflow with a 30-day timer, skipping the wait', async () => {
    const { client, nativeConnection } = server.env;
    const worker = await Worker.create({ connection: nativeConnection, taskQueue: 'timer', workflowsPath, activities });
    const wallStart = performance.now();
    const result = await worker.runUntil(
      client.workflow.execute('thirtyDayTimer', { taskQueue: 'timer', workflowId: 'thirty-days' }),
    );
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const days = (result.finishedAt - result.startedAt) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(30);
    expect(days).toBeLessThan(31);
    process.stdout.write(`30-day timer: ${days.toFixed(2)} days of workflow time in ${wallSeconds.toFixed(2)} s wall time\n`);
  });
});
