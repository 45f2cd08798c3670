import { untilStopSignal } from './stop-signal.js';
import type { Command } from 'commander';
import * as path from 'node:path';
import { CodedError } from '../common/errors.js';
import { startFls } from '../fls/fls-server.js';
import { loadVerifier } from '../services/license/trust.js';
import { createLogger } from '../services/log/logger.js';
import { keepServingOnUnhandledRejection } from '../services/http/server-guard.js';

function integer(field: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new CodedError('validation.invalid', { field, reason: `${min}–${max}` }, { field });
    return n;
  };
}

/** Registers `ors fls`: the reference floating license server. */
export function registerFlsCommand(program: Command): void {
  program
    .command('fls')
    .description('reference floating license server: serves the best valid license per serial from a folder')
    .requiredOption('--folder <dir>', 'license folder')
    .option('--port <n>', 'HTTP port on 127.0.0.1 (0 = any free port)', integer('--port', 0, 65535), 0)
    .option('--trust <file|dir>', 'trusted vendor public key file or folder (repeatable; default $ORS_LICENSE_TRUST)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--heartbeat-timeout <seconds>', 'seats without a heartbeat for this long are reclaimed', integer('--heartbeat-timeout', 1, 86_400), 60)
    .action(async (opts: { folder: string; port: number; trust?: string[]; heartbeatTimeout: number }) => {
      const trust = opts.trust?.length ? opts.trust : (process.env['ORS_LICENSE_TRUST'] ?? '').split(path.delimiter).filter(Boolean);
      if (!trust.length) throw new CodedError('license.no-trusted-keys');
      const logger = createLogger({ name: 'fls' });
      keepServingOnUnhandledRejection(logger);
      const fls = await startFls({
        folder: opts.folder,
        port: opts.port,
        verifier: await loadVerifier(trust),
        heartbeatTimeoutMs: opts.heartbeatTimeout * 1000,
        logger,
      });
      process.stdout.write(`FLS listening on ${fls.url}\n`);
      await untilStopSignal();
      await fls.close();
      logger.info('stopped');
      logger.flush();
    });
}
