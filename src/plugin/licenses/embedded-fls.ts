import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Observable, defer, retry, startWith, switchMap, timer } from 'rxjs';
import type { Logger } from 'pino';
import { backoffDelay } from '../../common/backoff.js';
import { CodedError } from '../../common/errors.js';

export type EmbeddedFlsState = { readonly kind: 'starting' } | { readonly kind: 'running'; readonly url: string; readonly pid: number };

export interface EmbeddedFlsOptions {
  readonly folder: string;
  readonly trustPaths: readonly string[];
  /** argv prefix that runs `ors` (default: this package's bin/ors.js, or the sources through tsx). */
  readonly command?: readonly string[];
  readonly logger?: Logger;
  readonly startTimeoutMs?: number;
}

/** The `ors` entry of this package: the built binary, else the TypeScript sources (tests, development). */
export function defaultOrsCommand(): string[] {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'manifest.json'))) {
      if (existsSync(path.join(dir, 'dist', 'ors.js'))) return [process.execPath, path.join(dir, 'bin', 'ors.js')];
      return [process.execPath, '--import', 'tsx', path.join(dir, 'src', 'cli', 'main.ts')];
    }
    dir = path.dirname(dir);
  }
  throw new CodedError('licenses.fls-start-failed', { reason: 'ors binary not found' });
}

/** One run of `ors fls`: emits its URL once it listens, errors when it exits; unsubscribing stops it by PID. */
function runOnce(o: EmbeddedFlsOptions): Observable<EmbeddedFlsState> {
  return new Observable<EmbeddedFlsState>((subscriber) => {
    const [cmd, ...pre] = o.command ?? defaultOrsCommand();
    const args = [...pre, 'fls', '--folder', o.folder, '--port', '0', ...o.trustPaths.flatMap((t) => ['--trust', t])];
    let out = '';
    let stopped = false;
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ORS_LICENSE_TRUST: '' } }); // ipc: the FLS ends with the console
    const deadline = setTimeout(() => {
      subscriber.error(new CodedError('licenses.fls-start-failed', { reason: `no answer within ${(o.startTimeoutMs ?? 20_000) / 1000} s` }));
    }, o.startTimeoutMs ?? 20_000);
    const onData = (chunk: Buffer): void => {
      if (out.length < 8192) out += chunk.toString();
      const m = /FLS listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && child.pid !== undefined) {
        clearTimeout(deadline);
        o.logger?.info({ url: m[1], pid: child.pid }, 'embedded FLS running');
        subscriber.next({ kind: 'running', url: m[1]!, pid: child.pid });
        out = 'listening';
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => subscriber.error(new CodedError('licenses.fls-start-failed', { reason: e.message }, { cause: e })));
    child.once('exit', (code, signal) => {
      clearTimeout(deadline);
      if (stopped) return;
      const reason = `exit ${code ?? signal}${out && out !== 'listening' ? `: ${out.trim().split('\n').pop()}` : ''}`;
      o.logger?.warn({ reason }, 'embedded FLS exited');
      subscriber.error(new CodedError('licenses.fls-exited', { reason, seconds: 2 }));
    });
    return () => {
      stopped = true;
      clearTimeout(deadline);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        kill.unref();
        child.once('exit', () => clearTimeout(kill));
      }
    };
  });
}

/**
 * Supervises the reference FLS (`ors fls`) as a child process on a local license folder: started on
 * subscribe, restarted with back-off when it exits, stopped when the last subscriber leaves.
 */
export function embeddedFls$(o: EmbeddedFlsOptions): Observable<EmbeddedFlsState> {
  return defer(() => mkdir(o.folder, { recursive: true })).pipe(
    switchMap(() => runOnce(o)),
    retry({ delay: (_e, n) => timer(backoffDelay(n - 1, { baseMs: 2_000, maxMs: 30_000, jitter: 'equal' })), resetOnSuccess: true }),
    startWith<EmbeddedFlsState>({ kind: 'starting' }),
  );
}
