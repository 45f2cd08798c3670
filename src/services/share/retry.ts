import { CodedError } from '../../common/errors.js';

export interface RetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Sharing violations usually clear within a second or two (an FLS rescanning the folder, an antivirus scan). */
export const SHARING_VIOLATION_RETRY: RetryPolicy = { attempts: 6, baseMs: 100, maxMs: 2_000 };

export interface RetryDeps {
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** Exponential back-off with "equal jitter": half the step is fixed, half random, so retries never bunch up at 0. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);
  return Math.round(step / 2 + random() * (step / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` and repeats it after a back-off while it fails with an error `isRetryable` accepts. The
 * last error is rethrown with an `attempts` parameter, so the message can say how long it tried.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  isRetryable: (e: unknown) => boolean,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<T> {
  const random = deps.random ?? Math.random;
  const wait = deps.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryable(e)) throw e;
      if (attempt >= policy.attempts) {
        throw e instanceof CodedError ? new CodedError(e.code, { ...e.params, attempts: attempt }, { cause: e.cause }) : e;
      }
      await wait(backoffDelay(policy, attempt - 1, random), deps.signal);
    }
  }
}
