import { open, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { modeIn } from '../fs/shared-modes.js';
import type { AuditEntry, AuditLog } from './types.js';

/** Append-only JSON-lines audit log; each record is fsynced before the change is reported done. */
export class AuditTrail implements AuditLog {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  record(entry: AuditEntry): Promise<void> {
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n';
    const task = async (): Promise<void> => {
      const h = await open(this.file, 'a', modeIn(path.dirname(this.file), 0o600));
      try {
        await h.appendFile(line);
        await h.sync();
      } finally {
        await h.close();
      }
    };
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async read(limit = 200): Promise<readonly (AuditEntry & { time: string })[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .slice(-limit)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditEntry & { time: string }];
        } catch {
          return []; // a torn last line after a crash
        }
      });
  }
}
