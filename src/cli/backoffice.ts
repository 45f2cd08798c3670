import type { Command } from 'commander';

/** Registers the `ors` subcommands of this area. */
export function registerBackofficeCommands(_program: Command): void {
  // Filled in by the backoffice work.
}
