import { watch, type FSWatcher } from 'node:fs';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { FolderScan } from '../services/license/folder.js';
import { LicenseFolderScanner } from '../services/license/folder.js';
import type { LicenseVerifier } from '../services/license/signer.js';

export interface WatchOptions {
  /** Periodic rescan, a fallback for file systems without change events (and for dates passing). */
  readonly rescanMs?: number;
  /** Events are coalesced for this long before a scan. */
  readonly debounceMs?: number;
}

/**
 * Keeps the license folder's scan current: fs.watch for prompt pickup, a periodic rescan as the
 * safety net. Writers install by atomic rename, and every new file identity is verified again,
 * so a half-written file is never served.
 */
export class LicenseWatcher {
  private readonly scanner: LicenseFolderScanner;
  private readonly subject: BehaviorSubject<FolderScan> = new BehaviorSubject<FolderScan>({ served: [], superseded: [], problems: [] });
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  readonly scan$: Observable<FolderScan> = this.subject.asObservable();

  constructor(
    private readonly folder: string,
    verifier: LicenseVerifier,
    private readonly options: WatchOptions = {},
  ) {
    this.scanner = new LicenseFolderScanner(folder, verifier);
  }

  get current(): FolderScan {
    return this.subject.value;
  }

  async start(): Promise<void> {
    await this.rescan();
    try {
      this.watcher = watch(this.folder, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => undefined); // the periodic rescan carries on
    } catch {
      // Folder missing or not watchable: the periodic rescan picks it up when it appears.
    }
    this.timer = setInterval(() => this.schedule(0), this.options.rescanMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.subject.complete();
  }

  /** Scans now (coalescing concurrent requests into one more scan). */
  rescan(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          this.subject.next(await this.scanner.scan());
        } catch {
          // Folder unreadable this time; keep serving what was served.
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delay = this.options.debounceMs ?? 50): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.rescan();
    }, delay);
  }
}
