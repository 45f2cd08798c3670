import { fstatSync } from 'node:fs';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { createLogger, type Logger } from '../services/log/logger.js';
import { mkdirPrivateSync, modeIn } from '../services/fs/shared-modes.js';

/**
 * Where the daemon logs. `journal`: stderr only (systemd's journal keeps and rotates it);
 * `file`: the rotating file only (a Windows service has no stderr anyone reads); `both`: the file
 * and stderr (the console's embedded back-end shows the stderr lines in its log view).
 */
export type LogTarget = 'journal' | 'file' | 'both';

/**
 * systemd tells a service its stderr is the journal through JOURNAL_STREAM (`device:inode` of that
 * stream); the variable alone is not enough, since it is inherited by children whose stderr goes
 * elsewhere.
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 2): boolean {
  const m = /^(\d+):(\d+)$/.exec(env['JOURNAL_STREAM'] ?? '');
  if (!m) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1]!) && st.ino === BigInt(m[2]!);
  } catch {
    return false;
  }
}

export function chooseLogTarget(option: LogTarget | 'auto' | undefined, env: NodeJS.ProcessEnv = process.env): LogTarget {
  if (option && option !== 'auto') return option;
  return stderrIsJournal(env) ? 'journal' : 'both';
}

export interface DaemonLogOptions {
  readonly level?: string;
  readonly target?: LogTarget;
  /** Rotate the file once it reaches this size (rotating-file-stream syntax, default '10M'). */
  readonly maxSize?: string;
  /** How many rotated files are kept beside daemon.log (default 5: daemon.log.1 … daemon.log.5). */
  readonly keep?: number;
}

/**
 * The daemon's log: JSON lines to `<data-dir>/ors/daemon.log` (rotated by size, a bounded number of
 * files kept) and/or stderr. Besides pino's key-based redaction, every line is scrubbed of the
 * current secret values, so a secret that reached a message or an error text by accident is still
 * never written.
 */
export class DaemonLog {
  readonly logger: Logger;
  readonly target: LogTarget;
  private secrets: string[] = [];
  private readonly file?: RotatingFileStream;

  constructor(dir: string, o: DaemonLogOptions = {}) {
    this.target = o.target ?? 'both';
    if (this.target !== 'journal') {
      mkdirPrivateSync(dir);
      this.file = createStream('daemon.log', { path: dir, size: o.maxSize ?? '10M', rotate: o.keep ?? 5, mode: modeIn(dir, 0o600) });
      // A full disk or a vanished folder must not end the service; stderr still gets the lines.
      this.file.on('error', () => undefined);
    }
    const toStderr = this.target !== 'file';
    this.logger = createLogger({
      name: 'ors-daemon',
      ...(o.level ? { level: o.level } : {}),
      destination: {
        write: (line: string) => {
          const clean = this.scrub(line);
          this.file?.write(clean);
          if (toStderr) process.stderr.write(clean);
        },
      },
    });
  }

  /** The values to scrub (verification code, proxy and account passwords); short ones are ignored. */
  setSecrets(values: readonly (string | undefined)[]): void {
    const list = values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
    // JSON-escaped forms too: a value with a quote or backslash appears escaped in a JSON line.
    this.secrets = [...new Set(list.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  }

  scrub(line: string): string {
    let out = line;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  }

  close(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    return new Promise((resolve) => file.end(() => resolve()));
  }
}
