import type { Command } from 'commander';

/** `outbox list|show`: the local mail outbox used when no SMTP server is configured. */
export function registerOutboxCommands(_program: Command): void {}
