import type { Command } from 'commander';

/** Registers the `ors` subcommands of this area. */
export function registerFlsCommand(_program: Command): void {
  // Filled in by the fls work.
}
