// `ors daemon` from the sources until src/cli/main.ts registers it: a program with only the daemon command.
// Usage: node --import tsx test/support/ors-daemon-main.ts daemon --data-dir DIR [--heartbeat-seconds N]
import { Command } from 'commander';
import { registerDaemonCommand } from '../../src/cli/daemon.js';

const program = new Command('ors');
registerDaemonCommand(program);
await program.parseAsync(process.argv);
