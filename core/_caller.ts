/**
 * Sends backend calls through the rate limiter and retries what may be retried. Private to core.
 * @module
 */
import { backoffMs, classifyError, type FailureKind, UNSENT_ATTEMPTS } from "./_retry.ts";
import type { Clock, RateLimiter } from "./rate_limiter.ts";

/** Settings of a {@link Caller}. */
export interface CallerOptions {
  /** The shared limiter. */
  limiter: RateLimiter;
  /** Clock for backoff sleeps. */
  clock: Clock;
  /** Jitter source. */
  random: () => number;
  /** Tries per call, the first included. */
  maxAttempts: number;
}

/** Calls with rate limiting and retries; counts the retries it made. */
export class Caller {
  /** Retries after throttling. */
  throttled = 0;
  /** Retries after a transient (network or 5xx) failure. */
  transient = 0;
  readonly #options: CallerOptions;

  constructor(options: CallerOptions) {
    this.#options = options;
  }

  /**
   * Runs `fn` (one request) until it succeeds, retrying throttling and transient failures with jittered backoff,
   * and an unsent request (connection refused) at most `UNSENT_ATTEMPTS` times. `beforeRetry` runs after the
   * backoff of a transient failure and may return a result instead of retrying (e.g. the job the failed call did
   * create after all); when it fails, the error of the call itself is thrown: the user's command was making that
   * call, not the lookup. The signal aborts waits only, never a request in flight.
   */
  async call<T>(
    fn: () => Promise<T>,
    options: {
      signal?: AbortSignal;
      onFailure?: (kind: FailureKind, error: unknown) => void;
      beforeRetry?: (kind: FailureKind) => Promise<T | undefined>;
    } = {},
  ): Promise<T> {
    const { limiter, clock, random, maxAttempts } = this.#options;
    for (let attempt = 0;; attempt++) {
      await limiter.take(options.signal);
      try {
        return await fn();
      } catch (error) {
        const kind = classifyError(error);
        options.onFailure?.(kind, error);
        if (kind === "fatal" || attempt + 1 >= maxAttempts) throw error;
        if (kind === "unsent" && attempt + 1 >= UNSENT_ATTEMPTS) throw error;
        if (kind === "throttled") this.throttled++;
        else this.transient++;
        await clock.sleep(backoffMs(attempt, random), options.signal);
        if (kind !== "transient") continue;
        const found = await options.beforeRetry?.(kind).catch(() => {
          throw error;
        });
        if (found !== undefined) return found;
      }
    }
  }
}
