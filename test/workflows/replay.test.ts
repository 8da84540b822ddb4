/**
 * Today's workflow code replayed over committed histories of every workflow type (recorded by
 * test/fixtures/histories/record.ts). A non-deterministic change fails here instead of in a
 * running year.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { sharedBundle } from './rig';

const DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

it('has a recorded history of each workflow type', () => {
  const types = new Set(files.map((f) => f.replace(/^v\d+-/, '').replace(/\.run\d+\.json$/, '').replace(/-removed$/, '')));
  expect([...types].sort()).toEqual(['duty-workflow', 'mailroom-workflow', 'plan-workflow', 'plan-year-workflow']);
  expect(files.some((f) => f.endsWith('.run2.json'))).toBe(true);
  // Histories from before the patch markers of workflows/README.md, and from after them.
  expect(files.some((f) => f.startsWith('duty-workflow.'))).toBe(true);
  expect(files.some((f) => f.startsWith('v2-duty-workflow.'))).toBe(true);
});

it('replays every recorded history with the current workflow code', async () => {
  const workflowBundle = await sharedBundle();
  const histories = files.map((file) => ({ workflowId: file, history: JSON.parse(readFileSync(DIR + file, 'utf8')) }));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) results.push(result);
  expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error ? String(r.error) : undefined }))).toEqual(
    files.map((file) => ({ workflowId: file, error: undefined })),
  );
});
