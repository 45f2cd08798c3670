import type { BackofficeRepository } from '../store/repository.js';

/**
 * Throttling of failed logins per organisation ID and client address — never a lockout. Every
 * failure makes the next attempt from that source wait longer before it is checked
 * (`base · 2^(failures-1)`, capped at `maxMs`); the check itself is never refused, so the right code
 * always gets in, at most `maxMs` late, however many wrong ones others behind the same address sent.
 * The state lives in the database, so it holds across instances and restarts.
 */
export interface ThrottleCurve {
  /** Hold after the first failure. */
  readonly baseMs: number;
  /** Longest hold; stays below the client's response deadline (20 s). */
  readonly maxMs: number;
  /** Failures older than this are forgotten. */
  readonly forgetAfterMs: number;
}

export const DEFAULT_THROTTLE: ThrottleCurve = { baseMs: 250, maxMs: 15_000, forgetAfterMs: 3_600_000 };

/** How long an attempt waits after `failures` recent failures of its source. */
export function throttleDelayMs(failures: number, curve: ThrottleCurve): number {
  if (failures <= 0) return 0;
  return Math.min(curve.maxMs, curve.baseMs * 2 ** Math.min(failures - 1, 30));
}

export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly repo: BackofficeRepository,
    readonly curve: ThrottleCurve,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds this attempt must wait before its code is checked (0: at once), and the failures seen. */
  async holdFor(organisationId: string, address: string): Promise<{ waitMs: number; failures: number }> {
    const t = await this.repo.getThrottle(organisationId, address);
    const now = this.now();
    if (!t || now - t.lastFailureAt > this.curve.forgetAfterMs) return { waitMs: 0, failures: 0 };
    return { waitMs: Math.max(0, t.lastFailureAt + throttleDelayMs(t.failures, this.curve) - now), failures: t.failures };
  }

  /** Counts a failure; returns the failures of this source now on record. */
  async failed(organisationId: string, address: string): Promise<number> {
    const now = this.now();
    if (now - this.lastPrune > 600_000) {
      this.lastPrune = now;
      await this.repo.pruneThrottle(now - this.curve.forgetAfterMs);
    }
    return (await this.repo.recordLoginFailure(organisationId, address, now, this.curve.forgetAfterMs)).failures;
  }

  async succeeded(organisationId: string, address: string): Promise<void> {
    await this.repo.clearThrottle(organisationId, address);
  }
}
