/**
 * The whole Hà Đông 2026 year on the time-skipping server against a real SMTP server on loopback:
 * the mail received must be exactly the mail the schedule and the script call for.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRig, type Rig } from './rig';
import { runHaDongYear } from './year-scenario';
import { checkYear } from './year-checks';

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

it('runs the Hà Đông 2026 year and mails exactly the expected digests', async () => {
  const run = await runHaDongYear(rig);
  checkYear(run, rig);
  const largest = [...run.histories].sort((a, b) => b.largestBytes - a.largestBytes)[0];
  const mostEvents = [...run.histories].sort((a, b) => b.largestEvents - a.largestEvents)[0];
  console.log(
    `[full-year] wall ${(run.wallMs / 1000).toFixed(1)} s; ${run.expectation.delivered.length} digests delivered, ` +
      `${run.expectation.rejected.length} rejected; largest history by bytes: ${largest?.workflowId} ` +
      `${largest?.largestEvents} events / ${largest?.largestBytes} bytes (${largest?.runs} runs); ` +
      `most events: ${mostEvents?.workflowId} ${mostEvents?.largestEvents} events / ${mostEvents?.largestBytes} bytes`,
  );
  const busiestDuty = run.histories.filter((h) => h.workflowId.includes(':duty:')).sort((a, b) => b.largestEvents - a.largestEvents)[0];
  console.log(`[full-year] busiest duty: ${busiestDuty?.workflowId} ${busiestDuty?.largestEvents} events / ${busiestDuty?.largestBytes} bytes (${busiestDuty?.runs} runs)`);
  // Every run of every workflow, the mailroom's included, under 1 MB (10^6 bytes) and 2 000 events.
  for (const history of run.histories) {
    expect(history.largestBytes, history.workflowId).toBeLessThan(1_000_000);
    expect(history.largestEvents, history.workflowId).toBeLessThanOrEqual(2_000);
  }
});
