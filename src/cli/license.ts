import type { Command } from 'commander';

/** Registers the `ors` subcommands of this area. */
export function registerLicenseCommands(_program: Command): void {
  // Filled in by the license work.
}
