#!/usr/bin/env node
/**
 * The one command-line entry point. Each subcommand module registers itself on the program and
 * opens only what it needs (Temporal connection, mail outbox, ...), closing it before returning.
 */
import { Command } from 'commander';
import { exitWithError } from '../config/exit-with-error';
import { vietnameseCommanderText } from './cli-output';

type Register = (program: Command) => void;

/**
 * The modules that register the commands, in the order help lists them, with the names of the
 * commands each registers. A command run by name loads its own module only: together they pull in
 * the web app, the worker, the report builder and the SDKs, seconds of start-up on a small machine
 * that `simulate` or `status` would otherwise pay before doing anything.
 */
const COMMAND_MODULES: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['run'], load: async () => (await import('./commands/run')).registerRunCommands },
  { names: ['plan'], load: async () => (await import('./commands/plan')).registerPlanCommands },
  {
    names: ['start', 'status', 'submit', 'extend', 'waive', 'amend', 'cancel'],
    load: async () => (await import('./commands/duty')).registerDutyCommands,
  },
  { names: ['request'], load: async () => (await import('./commands/request')).registerRequestCommand },
  { names: ['outbox'], load: async () => (await import('./commands/outbox')).registerOutboxCommands },
  { names: ['summary'], load: async () => (await import('./commands/summary')).registerSummaryCommand },
  { names: ['account'], load: async () => (await import('./commands/account')).registerAccountCommands },
  { names: ['simulate'], load: async () => (await import('./commands/simulate')).registerSimulateCommand },
];

/** The module of the command named on the line; every module for help, a typo or no command at all. */
function modulesFor(args: string[]): { load: () => Promise<Register> }[] {
  const name = args.find((arg) => !arg.startsWith('-'));
  const own = COMMAND_MODULES.find((module) => name !== undefined && module.names.includes(name));
  return own ? [own] : COMMAND_MODULES;
}

const program = new Command()
  .name('kehoach')
  .description('Kế hoạch: tự động điều hành kế hoạch năm của xã trên Temporal')
  .helpOption('-h, --help', 'Hiển thị trợ giúp')
  .addHelpCommand('help [lệnh]', 'Hiển thị trợ giúp cho một lệnh')
  .showHelpAfterError('(dùng --help để xem cách dùng)')
  .configureOutput({
    writeOut: (text) => process.stdout.write(vietnameseCommanderText(text)),
    writeErr: (text) => process.stderr.write(vietnameseCommanderText(text)),
  });

async function main(): Promise<void> {
  const registers = await Promise.all(modulesFor(process.argv.slice(2)).map((module) => module.load()));
  for (const register of registers) register(program);
  await program.parseAsync(process.argv);
}

main().catch(exitWithError);
