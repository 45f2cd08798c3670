import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { createLogger, type Logger } from '../services/log/logger.js';

/**
 * The daemon's log: JSON lines to `<data-dir>/ors/daemon.log` (0600) and stderr. Besides pino's
 * key-based redaction, every line is scrubbed of the current secret values, so a secret that
 * reached a message or an error text by accident is still never written.
 */
export class DaemonLog {
  readonly logger: Logger;
  private secrets: string[] = [];
  private readonly file: WriteStream;

  constructor(dir: string, o: { level?: string; stderr?: boolean } = {}) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = createWriteStream(path.join(dir, 'daemon.log'), { flags: 'a', mode: 0o600 });
    const toStderr = o.stderr ?? true;
    this.logger = createLogger({
      name: 'ors-daemon',
      ...(o.level ? { level: o.level } : {}),
      destination: {
        write: (line: string) => {
          const clean = this.scrub(line);
          this.file.write(clean);
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
    return new Promise((resolve) => this.file.end(() => resolve()));
  }
}
