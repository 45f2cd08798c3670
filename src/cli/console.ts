import { untilStopSignal } from './stop-signal.js';
import { InvalidArgumentError, type Command } from 'commander';
import * as path from 'node:path';
import { PACKAGE_ROOT, startHost } from '../host/server/host.js';
import { defaultDataDir } from './data-dir.js';
import type { EmbeddedService } from './embedded-services.js';
import { startDemo } from './demo.js';
import { holdInstanceLock } from '../services/fs/instance-lock.js';
import { keepServingOnUnhandledRejection } from '../services/http/server-guard.js';
import { createLogger } from '../services/log/logger.js';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free one)');
  return n;
}

export function registerConsoleCommand(program: Command): void {
  program
    .command('console')
    .description('start the admin console on loopback and print its URL (with a per-start access token)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one)', parsePort, 8470)
    .option('--data-dir <dir>', 'folder that holds all state (settings, secrets, logs)', defaultDataDir())
    .option('--plugin <dir>', 'load an additional plugin folder (repeatable)', (v: string, prev: string[]) => [...prev, path.resolve(v)], [] as string[])
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--demo', 'also run the reference back office with a demo organisation (prints its credentials)')
    .action(async (opts: { port: number; dataDir: string; plugin: string[]; logLevel: string; demo?: boolean }) => {
      // One console per data folder; a read-only folder stops the start here, with a word.
      const instance = await holdInstanceLock(path.resolve(opts.dataDir), 'console', 'host.already-running');
      keepServingOnUnhandledRejection(createLogger({ name: 'console' }));
      const embedded: EmbeddedService[] = [];
      if (opts.demo) embedded.push(...(await startDemo(path.resolve(opts.dataDir), opts.port)));
      const host = await startHost({
        dataDir: opts.dataDir,
        port: opts.port,
        pluginDirs: [PACKAGE_ROOT, ...opts.plugin],
        logLevel: opts.logLevel,
      });
      process.stdout.write(`Console: ${host.loginUrl}\n`);
      await untilStopSignal();
      await Promise.allSettled([host.close(), ...embedded.map((e) => e.stop())]);
      await instance.release();
      process.exit(0);
    });
}
