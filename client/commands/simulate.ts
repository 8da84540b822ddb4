/**
 * `simulate [PLAN]`: plays the plan's whole year with the real workflows on a private
 * time-skipping server in about a minute, units behaving by a seeded script, and leaves the mail,
 * a preview of the year's mail, the year-end report and the office page in
 * data/simulations/<plan>-<year>-<seed>/, apart from the real plan's data.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config';
import { loadPlanFile } from '../../domain/plan/load';
import { expandPlan } from '../../domain/schedule/expand';
import { formatVietnameseNumber } from '../../domain/summary/vietnamese-numbers';
import { mailPreview } from '../../simulation/preview';
import { JavaMissingError, launchSimulationServer } from '../../simulation/simulation-server';
import { monthProgress } from '../../simulation/progress';
import { periodOfPlan } from '../../domain/schedule/expanded-period';
import { periodSpanText } from '../../domain/plan/period';
import { BEHAVIOUR_LABELS, BEHAVIOURS, checkMix, DEFAULT_MIX, mixText, type Behaviour, type BehaviourMix } from '../../simulation/script';
import { printJson, say } from '../cli-output';
import { UserError } from '../../domain/user-error';

const MIX_OPTIONS: Record<Behaviour, string> = {
  'on-time': 'onTime',
  late: 'late',
  missing: 'missing',
  extension: 'extension',
  waived: 'waived',
};

const MIX_FLAGS: Record<Behaviour, string> = {
  'on-time': '--on-time',
  late: '--late',
  missing: '--missing',
  extension: '--extension',
  waived: '--waived',
};

export function simulationDir(dataDir: string, planId: string, year: number, seed: number): string {
  return path.join(dataDir, 'simulations', `${planId}-${year}-${seed}`);
}

function percentOption(value: string, flag: string): number {
  const number = Number(value.replace(',', '.'));
  if (value.trim() === '' || !Number.isFinite(number)) throw new UserError(`${flag} "${value}" phải là một số phần trăm từ 0 đến 100, ví dụ 20`);
  return number;
}

function seedOption(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 0xffffffff) throw new UserError(`--seed "${value}" phải là số nguyên từ 0 đến 4294967295`);
  return number;
}

export function registerSimulateCommand(program: Command): void {
  const command = program
    .command('simulate')
    .argument('[tệp-kế-hoạch]', 'tệp YAML của kế hoạch (mặc định: KEHOACH_PLAN)')
    .description(
      'Mô phỏng cả năm của kế hoạch trong khoảng một phút (máy chủ Temporal tua nhanh thời gian, cần Java 17): ' +
        'thư vào hộp thư riêng, xem trước số thư, báo cáo tổng kết và trang theo dõi của năm mô phỏng',
    )
    .option('--seed <số>', 'hạt giống của kịch bản: cùng hạt giống cho cùng kết quả', '1');
  for (const behaviour of BEHAVIOURS) {
    command.option(`${MIX_FLAGS[behaviour]} <phần-trăm>`, `tỷ lệ lượt việc ${BEHAVIOUR_LABELS[behaviour]}`, String(DEFAULT_MIX[behaviour]));
  }
  command
    .option('--out-dir <thư-mục>', 'nơi ghi kết quả (mặc định: data/simulations/<kế-hoạch>-<năm>-<hạt-giống>)')
    .option('--json', 'in bản xem trước dạng JSON')
    .action(async (file: string | undefined, options: Record<string, string | boolean | undefined>) => {
      const config = loadConfig();
      const seed = seedOption(String(options.seed));
      const mix = Object.fromEntries(
        BEHAVIOURS.map((behaviour) => [behaviour, percentOption(String(options[MIX_OPTIONS[behaviour]]), MIX_FLAGS[behaviour])]),
      ) as BehaviourMix;
      const problems = checkMix(mix);
      if (problems.length > 0) throw new UserError(problems.join('; '));

      const loaded = await loadPlanFile(file ?? config.planFile);
      if (!loaded.ok) throw new (await import('../../operations/plan-client')).PlanInvalidError(loaded.problems);
      const plan = expandPlan(loaded.plan);
      const dir = path.resolve(typeof options.outDir === 'string' ? options.outDir : simulationDir(config.dataDir, plan.planId, plan.year, seed));

      process.stderr.write(`Mô phỏng ${periodSpanText(periodOfPlan(plan))} của ${plan.title} (hạt giống ${seed}; ${mixText(mix)})...\n`);
      const wallStart = Date.now();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // The JVM boots while the worker, the SDKs and the report builder load: they are imported
      // only now, not with this module.
      const server = await launchSimulationServer(plan, log).catch((err: unknown) => {
        if (err instanceof JavaMissingError) throw new UserError(err.message, 1);
        throw err;
      });
      const simulation = await import('../../simulation/run-simulation').catch(async (err: unknown) => {
        await server.stop();
        throw err;
      });
      // The report builder and the page templates load while the worker starts, not after the year.
      const outputsLoading = import('../../simulation/outputs');
      outputsLoading.catch(() => {}); // awaited after the run; a failed run must not leave it unhandled
      const progress = monthProgress(process.stderr, periodOfPlan(plan).from);
      let run;
      try {
        run = await simulation.runSimulation({
          plan,
          seed,
          mix,
          dir,
          mailFrom: config.mail.from,
          publicUrl: config.web.publicUrl,
          onMonth: progress.month,
          log,
          server,
          wallStart,
        });
      } catch (err) {
        if (err instanceof simulation.SimulationError) throw new UserError(err.message, 1);
        throw err;
      } finally {
        progress.done();
      }
      const { previewText, writeSimulationOutputs } = await outputsLoading;
      const preview = mailPreview(run.plan, run.deliveries);
      const { files } = await writeSimulationOutputs(dir, run, loaded.plan, preview);
      if (options.json) printJson({ dir, seed, mix, wallMs: run.wallMs, files, preview });
      else {
        process.stdout.write(previewText(run, preview));
        say();
        say(`Xong sau ${formatVietnameseNumber(Math.round(run.wallMs / 100) / 10, 1)} giây. Kết quả mô phỏng (không lẫn với dữ liệu thật) ở ${dir}:`);
        say(`  - trang theo dõi: ${files.officePage}`);
        say(`  - báo cáo tổng kết: ${files.report}`);
        say(`  - thư đã gửi: ${files.outbox} (xem bằng: KEHOACH_DATA_DIR=${dir} npm run kehoach -- outbox list)`);
        say(`  - xem trước: ${files.previewText}, ${files.previewJson}; kịch bản: ${files.script}`);
      }
    });
}
