/** Reference workflows for the roll-out benchmark: the server's own pace, with nothing of kehoach in it. */
import { proxyActivities } from '@temporalio/workflow';

export async function trivialWorkflow(): Promise<string> {
  return 'xong';
}

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function oneActivityWorkflow(): Promise<void> {
  await noop();
}
