import { randomUUID } from 'node:crypto';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { LocalizedText, ProgressInfo } from '../../common/console-protocol.js';
import type { ProgressReporter, ProgressService } from '../api/index.js';

/** Long operations shown in the console's status bar; cancellable ones get a Cancel button. */
export class ProgressTracker implements ProgressService {
  private readonly active = new BehaviorSubject<readonly ProgressInfo[]>([]);
  private readonly controllers = new Map<string, AbortController>();

  get list$(): Observable<readonly ProgressInfo[]> {
    return this.active.asObservable();
  }

  start(options: { title: LocalizedText; cancellable?: boolean }): ProgressReporter {
    const id = randomUUID();
    const controller = new AbortController();
    this.controllers.set(id, controller);
    this.put({ id, title: options.title, cancellable: options.cancellable ?? false });
    return {
      signal: controller.signal,
      report: (u) => {
        const cur = this.active.value.find((p) => p.id === id);
        if (cur) this.put({ ...cur, ...(u.fraction !== undefined ? { fraction: u.fraction } : {}), ...(u.message !== undefined ? { message: u.message } : {}) });
      },
      done: () => {
        this.controllers.delete(id);
        this.active.next(this.active.value.filter((p) => p.id !== id));
      },
    };
  }

  cancel(id: string): void {
    const p = this.active.value.find((x) => x.id === id);
    if (p?.cancellable) this.controllers.get(id)?.abort();
  }

  private put(info: ProgressInfo): void {
    const rest = this.active.value.filter((p) => p.id !== info.id);
    this.active.next([...rest, info]);
  }
}
