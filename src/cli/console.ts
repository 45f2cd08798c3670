import type { Command } from 'commander';

export function registerConsoleCommand(_program: Command): void {
  // Filled in by the host work.
}
