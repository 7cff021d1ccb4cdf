/**
 * Shared by the pollers of core: retry a backend call with exponential backoff while AWS throttles it.
 * @module
 */
import type { Clock } from "./rate_limiter.ts";
import { isThrottlingError } from "./aws/errors.ts";

/** The longest wait between throttled attempts. */
export const MAX_BACKOFF_MS = 60_000;

/** The wait before retry number `attempt` (0-based): `baseMs` doubled each time, at most `MAX_BACKOFF_MS`. */
export function backoffDelay(baseMs: number, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.max(1, baseMs) * 2 ** Math.min(attempt, 20));
}

/** Options of `withThrottleRetry()`. */
export interface ThrottleRetryOptions {
  /** Clock to sleep on. */
  clock: Clock;
  /** First wait in ms. */
  baseMs: number;
  /** Give up (rethrow) after this many throttled attempts; default unlimited. */
  maxRetries?: number;
  /** Aborts the waits. */
  signal?: AbortSignal;
  /** Told about each throttled attempt and the wait that follows. */
  onThrottle?: (error: unknown, delayMs: number) => void;
}

/** Runs `call`, and while it fails with a throttling error, waits (doubling) and runs it again. */
export async function withThrottleRetry<T>(call: () => Promise<T>, options: ThrottleRetryOptions): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottlingError(error) || (options.maxRetries !== undefined && attempt >= options.maxRetries)) throw error;
      const delay = backoffDelay(options.baseMs, attempt);
      options.onThrottle?.(error, delay);
      await options.clock.sleep(delay, options.signal);
    }
  }
}
