import type { ServerResponse } from 'node:http';
import type { LicenseResponse } from '../common/backoffice/api.js';
import type { Logger } from '../services/log/logger.js';
import type { BackofficeMetrics } from './metrics.js';
import { send } from './http/json-io.js';
import type { Disposable } from './store/repository.js';

/** What a held request is answered with, and its entity tag. */
export interface Answer<T> {
  readonly body: T;
  readonly etag: string;
}

export type LicenseAnswer = Answer<LicenseResponse>;

interface Waiter {
  readonly res: ServerResponse;
  readonly etag: string;
  readonly serial: string;
  timer: NodeJS.Timeout | undefined;
}

export interface LongPollHubOptions<T> {
  /**
   * Subscribes to licenses issued anywhere (this instance, another instance, the vendor CLI):
   * the store's watch — SQLite's data_version poll or PostgreSQL's LISTEN/NOTIFY.
   */
  readonly watch: (onIssued: (serials: readonly string[]) => void) => Disposable;
  /** The current answer for a serial (its license, its remote-assistance request). */
  readonly read: (serial: string) => Promise<Answer<T> | undefined>;
  /** Long-polls held at once before `hold` refuses (the caller answers 503). */
  readonly max: number;
  readonly metrics: BackofficeMetrics;
  readonly logger: Logger;
  /** Told the number held after each change (default: the held long-polls gauge). */
  readonly held?: (n: number) => void;
  /** Told of each held request answered with a new value after a wake-up. */
  readonly answered?: (serial: string, a: Answer<T>) => void;
}

/**
 * Holds conditional license requests (`wait=`) until a new license for their serial is issued or
 * the wait runs out. A wake-up reads the new license once per serial and answers every waiter of
 * that serial with it.
 */
export class LongPollHub<T = LicenseResponse> {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private count = 0;
  private readonly subscription: Disposable;
  /** Called after each change in the number held (tests and metrics wait on it, never on a sleep). */
  onHeldChange: ((held: number) => void) | undefined;

  constructor(private readonly o: LongPollHubOptions<T>) {
    this.subscription = o.watch((serials) => {
      for (const s of serials) this.wake(s);
    });
  }

  get held(): number {
    return this.count;
  }

  /**
   * Holds `res` for up to `waitMs`: answered 200 with a license whose ETag differs from `etag`,
   * or 304 when the wait runs out. Returns false (nothing held) when the hub is full.
   */
  hold(serial: string, etag: string, waitMs: number, res: ServerResponse): boolean {
    if (this.count >= this.o.max) return false;
    let set = this.waiters.get(serial);
    if (!set) this.waiters.set(serial, (set = new Set()));
    const w: Waiter = { res, etag, serial, timer: undefined };
    w.timer = setTimeout(() => this.answer(w, undefined), waitMs);
    set.add(w);
    res.once('close', () => this.release(w)); // the client gave up: free the slot
    this.changed(+1);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const set of this.waiters.values()) for (const w of set) this.answer(w, undefined);
  }

  private wake(serial: string): void {
    const set = this.waiters.get(serial);
    if (!set) return;
    this.waiters.delete(serial);
    this.o.read(serial).then(
      (l) => {
        for (const w of set) {
          if (this.answer(w, l) && l && l.etag !== w.etag) this.o.answered?.(serial, l);
        }
      },
      (e: unknown) => {
        this.o.logger.error({ err: e instanceof Error ? e.message : String(e), serial }, 'reading a new license failed');
        for (const w of set) this.answer(w, undefined);
      },
    );
  }

  /** Answers a waiter once: 200 with a newer license, else 304. Returns whether it was still held. */
  private answer(w: Waiter, l: Answer<T> | undefined): boolean {
    if (!this.release(w)) return false;
    if (l && l.etag !== w.etag) send(w.res, 200, l.body, { ETag: l.etag });
    else send(w.res, 304, undefined, { ETag: w.etag });
    return true;
  }

  private release(w: Waiter): boolean {
    if (w.timer === undefined) return false;
    clearTimeout(w.timer);
    w.timer = undefined;
    const set = this.waiters.get(w.serial);
    if (set?.delete(w) && set.size === 0) this.waiters.delete(w.serial);
    this.changed(-1);
    return true;
  }

  private changed(by: number): void {
    this.count += by;
    if (this.o.held) this.o.held(this.count);
    else this.o.metrics.heldLongPolls.set(this.count);
    this.onHeldChange?.(this.count);
  }
}
