/** Reference workflows for the benchmarks: the server's own pace, with nothing of kehoach in it. */
import { proxyActivities, sleep } from '@temporalio/workflow';

export async function trivialWorkflow(): Promise<string> {
  return 'xong';
}

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function oneActivityWorkflow(): Promise<void> {
  await noop();
}

/**
 * `steps` waits of an hour in a row, each followed by one no-op activity when `withActivity`: on a
 * time-skipping server, the pace of one workflow task (and one activity) after another.
 */
export async function stepsWorkflow(steps: number, withActivity: boolean): Promise<void> {
  for (let i = 0; i < steps; i += 1) {
    await sleep('1 hour');
    if (withActivity) await noop();
  }
}
