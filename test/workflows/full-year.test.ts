/**
 * The whole Hà Đông 2026 year on the time-skipping server against a real SMTP server on loopback:
 * the mail received must be exactly the mail the schedule and the script call for.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRig, type Rig } from './rig';
import { runHaDongYear, UNREACHABLE_UNIT, type YearRun } from './year-scenario';
import { deliveredLines, expectedLines, expectedMailLines, receivedMailLines } from './mail-expectations';

let rig: Rig;
beforeAll(async () => {
  rig = await createRig({ initialTime: '2026-01-01T00:00:00+07:00' });
  await rig.startWorker();
});
afterAll(async () => rig?.close());

export function checkYear(run: YearRun, r: Rig): void {
  const { expectation, mailroom, amended } = run;
  expect(deliveredLines(mailroom.deliveries)).toEqual(expectedLines(expectation.delivered));
  expect(receivedMailLines(r.smtp)).toEqual(expectedMailLines(amended, expectation.delivered));
  const rejected = mailroom.failedDeliveries.filter((d) => d.recipientUnitId === UNREACHABLE_UNIT);
  expect(rejected.map((d) => `${d.localDate} #${d.batch}`).sort()).toEqual(
    expectation.rejected.map((d) => `${d.localDate} #${d.batch}`).sort(),
  );
  expect(mailroom.failedDeliveries.length).toBe(expectation.rejected.length);
  expect(run.result.status).toBe('completed');
  expect(run.result.amendments).toBe(1);
  const lifecycles = Object.fromEntries(run.result.duties.map((d) => [d.dutyId, d.lifecycle]));
  expect(lifecycles['bao-cao-dccs-doanh-nghiep']).toBe('removed');
  expect(lifecycles['bao-cao-dot-xuat']).toBe('completed');
}

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
  expect(largest?.largestBytes ?? 0).toBeLessThan(2 * 1024 * 1024);
  expect(mostEvents?.largestEvents ?? 0).toBeLessThan(10_240);
});
