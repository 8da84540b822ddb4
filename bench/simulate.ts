/**
 * Wall time of `kehoach simulate` on the Hà Đông 2026 plan, as a user runs it: a fresh process,
 * the server started and the workflows bundled inside the measured time.
 * Run: `npx tsx bench/simulate.ts [runs]` (the same as `time npm run kehoach -- simulate plans/ha-dong-2026.yaml`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const COMMAND = 'npx tsx bench/simulate.ts';
const runs = Number(process.argv[2] ?? 1);
const seconds: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-bench-sim-'));
  const started = performance.now();
  const result = spawnSync('npx', ['tsx', 'client/main.ts', 'simulate', 'plans/ha-dong-2026.yaml', '--out-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  seconds.push((performance.now() - started) / 1000);
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`simulate exited with ${result.status}`);
}
const inOrder = seconds.map((s) => s.toFixed(1)).join(', ');
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)] ?? 0;
// The load average says how much of the machine was ours: on a shared machine the same run takes half as long again under load.
process.stdout.write(
  `kehoach simulate plans/ha-dong-2026.yaml: min ${seconds[0]?.toFixed(1)} s, median ${median.toFixed(1)} s over ${seconds.length} runs (${inOrder} s) on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${COMMAND})\n`,
);
