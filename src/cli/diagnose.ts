import type { Command } from 'commander';

/** Registers the `ors` subcommands of this area. */
export function registerDiagnoseCommand(_program: Command): void {
  // Filled in by the diagnose work.
}
