#!/usr/bin/env node
/**
 * The one command-line entry point. Each subcommand module registers itself on the program and
 * opens only what it needs (Temporal connection, mail outbox, ...), closing it before returning.
 */
import { Command } from 'commander';
import { registerPlanCommands } from './commands/plan';
import { registerRunCommands } from './commands/run';
import { registerDutyCommands } from './commands/duty';
import { registerRequestCommand } from './commands/request';
import { registerOutboxCommands } from './commands/outbox';
import { registerSummaryCommand } from './commands/summary';
import { registerAccountCommands } from './commands/account';
import { registerSimulateCommand } from './commands/simulate';
import { exitWithError } from '../config/exit-with-error';
import { vietnameseCommanderText } from './cli-output';

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

registerRunCommands(program);
registerPlanCommands(program);
registerDutyCommands(program);
registerRequestCommand(program);
registerOutboxCommands(program);
registerSummaryCommand(program);
registerAccountCommands(program);
registerSimulateCommand(program);

program.parseAsync(process.argv).catch(exitWithError);
