import { Writable } from 'node:stream';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { LogEntry } from '../../common/console-protocol.js';

const LEVELS: Record<number, LogEntry['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Keeps the last N log records (already redacted by pino) so the console can show them.
 * It is a pino destination; records also go on to the next stream (stderr by default).
 */
export class LogBuffer extends Writable {
  private readonly entries = new BehaviorSubject<readonly LogEntry[]>([]);

  constructor(
    private readonly capacity = 500,
    private readonly next?: NodeJS.WritableStream,
    /** Only records at this pino level or above go on to `next` (default: warnings and errors). */
    private readonly forwardLevel = 40,
  ) {
    super();
  }

  get entries$(): Observable<readonly LogEntry[]> {
    return this.entries.asObservable();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as { time?: number; level?: number; name?: string; plugin?: string; msg?: string };
        if ((r.level ?? 30) >= this.forwardLevel) this.next?.write(line + '\n');
        const entry: LogEntry = {
          time: new Date(r.time ?? Date.now()).toISOString(),
          level: LEVELS[r.level ?? 30] ?? 'info',
          source: r.plugin ?? r.name ?? 'host',
          msg: r.msg ?? '',
        };
        this.entries.next([...this.entries.value, entry].slice(-this.capacity));
      } catch {
        // not a pino record
      }
    }
    done();
  }
}
