/**
 * Back-off and temporary lockout after repeated failed logins, per organisation ID and client
 * address (so a guesser elsewhere cannot lock a customer out). After `maxFailures` failures within
 * the window the key is locked for `lockoutMs`; before that, each failure adds a growing delay to
 * the answer (`backoffMs(failures)`), which slows a guesser without affecting a correct login.
 */
export interface LockoutOptions {
  readonly maxFailures: number;
  readonly lockoutMs: number;
  /** Base of the per-failure delay: base * 2^(failures-1), capped at 2 s. */
  readonly backoffBaseMs: number;
  /** Bound on tracked keys so a flood of made-up IDs cannot grow memory without limit. */
  readonly maxTracked?: number;
  readonly now?: () => number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: LockoutOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until the key may try again; 0 when it may try now. */
  lockedFor(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const left = e.lockedUntil - this.now();
    if (left > 0) return left;
    if (e.lockedUntil > 0) this.entries.delete(key); // lockout expired: a fresh start
    return 0;
  }

  /** Records a failure; returns the delay to add before answering and whether the key is now locked. */
  fail(key: string): { delayMs: number; lockedMs: number } {
    const now = this.now();
    let e = this.entries.get(key);
    if (e && now - e.lastFailure > this.options.lockoutMs) e = undefined; // old failures are forgiven
    if (!e) {
      if (this.entries.size >= (this.options.maxTracked ?? 100_000)) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      e = { failures: 0, lockedUntil: 0, lastFailure: now };
    }
    this.entries.delete(key); // re-insert: Map order is our LRU order
    e.failures++;
    e.lastFailure = now;
    if (e.failures >= this.options.maxFailures) e.lockedUntil = now + this.options.lockoutMs;
    this.entries.set(key, e);
    const delayMs = Math.min(2_000, this.options.backoffBaseMs * 2 ** (e.failures - 1));
    return { delayMs, lockedMs: e.lockedUntil > now ? e.lockedUntil - now : 0 };
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}
