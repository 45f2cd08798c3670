import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { NotificationInfo } from '../../common/console-protocol.js';
import { writeFileAtomic } from '../../services/fs/atomic-file.js';
import type { Notifications, NotifyOptions } from '../api/index.js';

const MAX_KEPT = 200;

/** The console's notification list; persisted so that it survives a reload and a restart. */
export class NotificationCenter {
  private readonly list = new BehaviorSubject<readonly (NotificationInfo & { key?: string })[]>([]);
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<NotificationCenter> {
    const c = new NotificationCenter(file);
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as NotificationInfo[];
      if (Array.isArray(saved)) c.list.next(saved);
    } catch {
      // Missing or unreadable: start with an empty list (it is a convenience, not a record).
    }
    return c;
  }

  get list$(): Observable<readonly NotificationInfo[]> {
    return this.list.asObservable();
  }

  forSource(source: string): Notifications {
    return {
      notify: (o) => this.notify(source, o),
      dismiss: (id) => this.dismiss(id),
      list$: this.list$,
    };
  }

  notify(source: string, o: NotifyOptions): Promise<NotificationInfo> {
    return this.enqueue(async () => {
      const info: NotificationInfo & { key?: string } = {
        id: randomUUID(),
        severity: o.severity,
        message: o.message,
        source,
        time: new Date().toISOString(),
        actions: o.actions ?? [],
        ...(o.detail !== undefined ? { detail: o.detail } : {}),
        ...(o.nodeId !== undefined ? { nodeId: o.nodeId } : {}),
        ...(o.key !== undefined ? { key: `${source}/${o.key}` } : {}),
      };
      const rest = this.list.value.filter((n) => info.key === undefined || n.key !== info.key);
      await this.save([info, ...rest].slice(0, MAX_KEPT));
      return info;
    });
  }

  dismiss(id: string): Promise<void> {
    return this.enqueue(() => this.save(this.list.value.filter((n) => n.id !== id)));
  }

  /** Marks these notifications as seen; a notification that replaces one (same key) is unread again. */
  markRead(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids.filter((x) => typeof x === 'string'));
    return this.enqueue(async () => {
      if (!this.list.value.some((n) => wanted.has(n.id) && !n.read)) return;
      await this.save(this.list.value.map((n) => (wanted.has(n.id) && !n.read ? { ...n, read: true } : n)));
    });
  }

  private async save(next: readonly NotificationInfo[]): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(next) + '\n', { mode: 0o600 });
    this.list.next(next);
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
