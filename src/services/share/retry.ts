import { backoffDelay, sleep } from '../../common/backoff.js';
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
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<boolean>;
  readonly signal?: AbortSignal;
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
      // Equal jitter: half the step fixed, half random, so retries never bunch up at 0.
      if (!(await wait(backoffDelay(attempt - 1, { ...policy, jitter: 'equal', random }), deps.signal))) throw deps.signal?.reason;
    }
  }
}
