/**
 * The one back-off and the one sleep of the product. The delay before retry n (0-based) grows as
 * base·2ⁿ up to a cap, with jitter so that many clients never retry in step: 'full' picks from
 * [0, step) (network retries, RFC-style), 'equal' from [step/2, step] (local retries that should
 * never come back at once, e.g. a share's sharing violation), 'none' waits the step itself.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly jitter?: 'full' | 'equal' | 'none';
  readonly random?: () => number;
}

export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  const step = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(attempt, 30));
  const r = (p.random ?? Math.random)();
  switch (p.jitter ?? 'full') {
    case 'full':
      return Math.floor(r * step);
    case 'equal':
      return Math.round(step / 2 + (r * step) / 2);
    case 'none':
      return step;
  }
}

/** Counts attempts; a server's Retry-After is a lower bound, never shortened by jitter. */
export class Backoff {
  private attempt = 0;
  private readonly policy: BackoffPolicy;

  constructor(o: Partial<BackoffPolicy> = {}) {
    this.policy = { baseMs: o.baseMs ?? 1_000, maxMs: o.maxMs ?? 5 * 60_000, ...(o.jitter ? { jitter: o.jitter } : {}), ...(o.random ? { random: o.random } : {}) };
  }

  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next try. */
  next(retryAfterMs?: number): number {
    const d = backoffDelay(this.attempt++, this.policy);
    return retryAfterMs !== undefined ? Math.max(retryAfterMs, d) : d;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts; resolves true when the time ran out, false when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
