import { untilStopSignal } from './stop-signal.js';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CodedError } from '../common/errors.js';
import { PLUGIN_ID } from '../common/remote-service/model.js';
import { DaemonLog, chooseLogTarget, type LogTarget } from '../daemon/daemon-log.js';
import { Container, type ContainerModule } from 'inversify';
import { daemonModule } from '../daemon/daemon-module.js';
import { OrsDaemon } from '../daemon/ors-daemon.js';
import { platformModule } from '../services/platform-module.js';
import { openPluginStores } from './plugin-stores.js';
import { holdInstanceLock } from '../services/fs/instance-lock.js';
import { keepServingOnUnhandledRejection } from '../services/http/server-guard.js';

/** Longest a shutdown may take before the process leaves anyway (SIGTERM must end it within a few seconds). */
const SHUTDOWN_GRACE_MS = 4_000;

function seconds(field: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < min || n > max) throw new CodedError('validation.invalid', { field, reason: `${min}–${max} seconds` }, { field });
    return n;
  };
}

function logTarget(v: string): LogTarget | 'auto' {
  if (v === 'auto' || v === 'journal' || v === 'file' || v === 'both') return v;
  throw new CodedError('validation.invalid', { field: 'log', reason: 'auto, journal, file or both' }, { field: 'log' });
}

/** Registers `ors daemon`: the ORS service process; `modules` load after its own (tests rebind timings there). */
export function registerDaemonCommand(program: Command, modules: readonly ContainerModule[] = []): void {
  program
    .command('daemon')
    .description('Run the ORS service: connects to the back office per the console settings and reports on a local endpoint')
    .requiredOption('--data-dir <dir>', "the console's data directory (settings, secrets)")
    .option('--heartbeat-seconds <n>', 'interval between heartbeats (the license long-poll also proves the connection, about once a minute)', seconds('heartbeat-seconds', 0.2, 86_400), 900)
    .option('--log <target>', 'auto (the journal when systemd runs it, else the file and stderr), journal, file (rotated <data-dir>/ors/daemon.log) or both', logTarget, 'auto')
    .action(async (o: { dataDir: string; heartbeatSeconds: number; log: LogTarget | 'auto' }) => {
      const dataDir = path.resolve(o.dataDir);
      const stateDir = path.join(dataDir, 'ors');
      // One ORS service per data folder: a second start says which process holds it.
      const instance = await holdInstanceLock(stateDir, 'daemon', 'ors.already-running');
      const log = new DaemonLog(stateDir, { target: chooseLogTarget(o.log) });
      keepServingOnUnhandledRejection(log.logger);
      const stores = await openPluginStores(dataDir);
      stores.settings.watchExternalChanges();
      const container = new Container();
      container.load(platformModule, daemonModule({
        stateDir,
        settings: stores.settings,
        secretsDir: path.join(dataDir, 'secrets'),
        pluginId: PLUGIN_ID,
        pluginDir: stores.pluginDir,
        logger: log.logger,
        heartbeatMs: Math.round(o.heartbeatSeconds * 1000),
        onSecrets: (v) => log.setSecrets(v),
      }), ...modules);
      const daemon = container.get(OrsDaemon);
      await daemon.start();
      log.logger.info('ORS service started');
      await untilStopSignal();
      log.logger.info('stopping');
      const hard = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
      hard.unref();
      await daemon.stop();
      stores.settings.close();
      log.logger.info('stopped');
      await log.close();
      await instance.release();
      process.exit(0);
    });
}
