/**
 * A token-bucket request-rate limiter shared by every call of a submission, with an injectable clock, so that a
 * workflow of thousands of jobs stays under the account's request quota instead of bouncing off it.
 * @module
 */

/** Time as the limiter sees it: a clock in ms and an abortable sleep. Inject a fake one in tests. */
export interface Clock {
  /** Current time in ms. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now` and `setTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock } from "./mod.ts";
 * await systemClock.sleep(1);
 * console.log(systemClock.now() > 0); // true
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      signal?.throwIfAborted();
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained requests per second (default 40, below AWS Batch's SubmitJob quota of about 50). */
  ratePerSecond?: number;
  /** Requests allowed at once after a quiet spell (default an eighth of the rate, at least 1). */
  burst?: number;
  /** The clock (default {@link systemClock}). */
  clock?: Clock;
}

/**
 * Token bucket: `take()` resolves when the caller may send one request. Waiting callers are served in the order
 * they asked (each reserves the next free slot), so in any window of `t` seconds at most `burst + rate * t`
 * requests go out.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "./mod.ts";
 * const limiter = new RateLimiter({ ratePerSecond: 100, burst: 1 });
 * const start = Date.now();
 * for (let i = 0; i < 3; i++) await limiter.take();
 * console.log(Date.now() - start >= 15); // true: 3 requests at 100/s take about 20 ms
 * ```
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  /**
   * Creates a limiter that starts full (one burst available).
   *
   * @param options Rate, burst and clock.
   * @throws {RangeError} When the rate or burst is not a positive number.
   */
  constructor(options: RateLimiterOptions = {}) {
    this.#rate = options.ratePerSecond ?? 40;
    this.#burst = options.burst ?? Math.max(1, Math.floor(this.#rate / 8));
    if (!(this.#rate > 0) || !(this.#burst >= 1)) {
      throw new RangeError(
        `Rate ${this.#rate}/s with burst ${this.#burst} is not valid: use a rate above 0 and a burst of at least 1`,
      );
    }
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  /** Requests per second. */
  get ratePerSecond(): number {
    return this.#rate;
  }

  /**
   * Waits for the right to send one request.
   *
   * @param signal Aborts the wait (the reserved slot is given back).
   * @returns When the request may go.
   * @throws The signal's reason when it aborts.
   */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#rate) / 1000);
    this.#last = now;
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    try {
      await this.#clock.sleep((-this.#tokens * 1000) / this.#rate, signal);
    } catch (error) {
      this.#tokens += 1;
      throw error;
    }
  }
}
