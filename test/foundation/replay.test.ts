import { readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';

const fixtures = new URL('../fixtures/foundation/', import.meta.url);
const history = (type: string) => JSON.parse(readFileSync(new URL(`histories/${type}.json`, fixtures), 'utf8'));

describe('replay of committed histories', () => {
  it.each(['thirtyDayTimer', 'greet'])('replays %s with the current workflow code', async (type) => {
    await Worker.runReplayHistory(
      { workflowsPath: new URL('workflows.ts', fixtures).pathname },
      history(type),
      `replay-${type}`,
    );
  });

  it('fails when the workflow code changed incompatibly', async () => {
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: new URL('workflows-changed.ts', fixtures).pathname },
        history('thirtyDayTimer'),
        'replay-changed',
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
