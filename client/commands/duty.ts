import type { Command } from 'commander';

/** `start|status|submit|extend|waive|amend|cancel`: talk to the running plan workflows. */
export function registerDutyCommands(_program: Command): void {}
