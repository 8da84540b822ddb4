/**
 * Wall time of `kehoach simulate` on the Hà Đông 2026 plan, as a user runs it: a fresh process,
 * the server started and the workflows bundled inside the measured time. Then, against the
 * time-skipping server's own pace: one more year played in this process, its workflow tasks and
 * activities counted from the histories, and what that many steps one after another take at the
 * pace of trivial workflows on a fresh server of the same kind.
 * Run: `npx tsx bench/simulate.ts [runs]` (the first part is `time npm run kehoach -- simulate plans/ha-dong-2026.yaml`,
 * exactly the command the README gives users).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandPlanFile } from '../operations/plan-client';
import { runSimulation } from '../simulation/run-simulation';
import { DEFAULT_MIX } from '../simulation/script';
import { BENCH_MAIL_FROM, BENCH_PUBLIC_URL } from './bench-stack';
import { medianOf } from './stats';
import { countYearSteps, floorSeconds, measureStepPace, type YearSteps } from './time-skipping-steps';

const COMMAND = 'npx tsx bench/simulate.ts';
const PLAN_FILE = 'plans/ha-dong-2026.yaml';

function temporaryDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kehoach-bench-sim-'));
}

function cliRuns(runs: number): number[] {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const dir = temporaryDir();
    const started = performance.now();
    const result = spawnSync('npm', ['run', '--silent', 'kehoach', '--', 'simulate', PLAN_FILE, '--out-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    seconds.push((performance.now() - started) / 1000);
    rmSync(dir, { recursive: true, force: true });
    if (result.status !== 0) throw new Error(`simulate exited with ${result.status}`);
  }
  return seconds;
}

/** One year in this process: seconds from the server's launch to the year's end, and its steps. */
async function yearInProcess(): Promise<{ seconds: number; steps: YearSteps }> {
  const dir = temporaryDir();
  let steps: YearSteps | undefined;
  try {
    const run = await runSimulation({
      plan: await expandPlanFile(PLAN_FILE),
      seed: 1,
      mix: DEFAULT_MIX,
      dir,
      mailFrom: BENCH_MAIL_FROM,
      publicUrl: BENCH_PUBLIC_URL,
      inspect: async (client, plan) => {
        steps = await countYearSteps(client, plan);
      },
    });
    if (!steps) throw new Error('the simulation ended without its histories counted');
    return { seconds: run.wallMs / 1000, steps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = Number(process.argv[2] ?? 1);
const seconds = cliRuns(runs);
const inOrder = seconds.map((s) => s.toFixed(1)).join(', ');
const median = medianOf(seconds);
const fastest = Math.min(...seconds);
// The load average says how much of the machine was ours: on a shared machine the same run takes half as long again under load.
process.stdout.write(
  `npm run kehoach -- simulate ${PLAN_FILE}: min ${fastest.toFixed(1)} s, median ${median.toFixed(1)} s over ${seconds.length} runs (${inOrder} s) on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${COMMAND})\n`,
);
const year = await yearInProcess();
const pace = await measureStepPace();
const floor = floorSeconds(year.steps, pace);
process.stdout.write(
  `  one year in this process: ${year.seconds.toFixed(1)} s from the server's launch to the year's end; ${year.steps.workflowTasks} workflow tasks and ${year.steps.activities} activities in ${year.steps.runs} runs; ` +
    `the activities were out ${(year.steps.activitiesOutMs / 1000).toFixed(1)} s in all, scheduled to closed (${(year.steps.activitiesOutMs / Math.max(year.steps.activities, 1)).toFixed(1)} ms each)\n` +
    `  the server's own pace (trivial workflows, fresh time-skipping server): ${pace.workflowTaskMs.toFixed(1)} ms per workflow task, ${pace.activityMs.toFixed(1)} ms per activity ` +
    `→ the year's steps one after another take ${floor.toFixed(1)} s; the year took ${(year.seconds / floor).toFixed(2)} × that (${COMMAND} ${runs})\n`,
);
