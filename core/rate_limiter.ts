/**
 * A sliding-window request-rate limiter shared by every call of a submission, with an injectable clock, so that a
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
  /**
   * Most requests in any one-second window (default 50, AWS Batch's SubmitJob quota). A rate below 1 means one
   * request per `1 / rate` seconds.
   */
  ratePerSecond?: number;
  /**
   * Added to the window, in ms (default 25): requests reach the service some milliseconds after they leave, and
   * not all equally late, so a window measured here a little longer than the service's keeps a burst from landing
   * in the previous window there.
   */
  slackMs?: number;
  /** The clock (default {@link systemClock}). */
  clock?: Clock;
}

/**
 * Sliding-window limiter: `take()` resolves when the caller may send one request, so that no window of one second
 * holds more than `ratePerSecond` requests. Up to the full rate may go at once after a quiet spell: a workflow's
 * layers, which wait for each other's job ids, then use the quota they left idle. Any sequence it lets through is
 * also let through by a token bucket of the same rate and a burst of at least that rate (how AWS meters its
 * APIs). Waiting callers are served in the order they asked: each reserves the next free slot.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "./mod.ts";
 * const limiter = new RateLimiter({ ratePerSecond: 2, slackMs: 0 });
 * const start = Date.now();
 * for (let i = 0; i < 3; i++) await limiter.take();
 * console.log(Date.now() - start >= 990); // true: the third request waits for the first to leave the window
 * ```
 */
export class RateLimiter {
  readonly #rate: number;
  /** Requests per window: the rate, or 1 for a rate below 1. */
  readonly #perWindow: number;
  /** Window length in ms: 1,000 (`1000 / rate` below 1; fractional rates above 1 shorten it), plus the slack. */
  readonly #windowMs: number;
  readonly #clock: Clock;
  /** Send times granted, oldest first (the last `#perWindow` of them are all that matter). */
  readonly #granted: number[] = [];

  /**
   * Creates a limiter with its whole first window free.
   *
   * @param options Rate and clock.
   * @throws {RangeError} When the rate is not a positive number.
   */
  constructor(options: RateLimiterOptions = {}) {
    this.#rate = options.ratePerSecond ?? 50;
    const slack = options.slackMs ?? 25;
    if (!(this.#rate > 0) || !Number.isFinite(this.#rate)) {
      throw new RangeError(`Rate ${this.#rate}/s is not valid: use a number of requests per second above 0`);
    }
    if (!(slack >= 0) || !Number.isFinite(slack)) throw new RangeError(`Slack ${slack} ms is not valid: use 0 or more`);
    this.#perWindow = Math.max(1, Math.floor(this.#rate));
    this.#windowMs = (1000 * this.#perWindow) / this.#rate + slack;
    this.#clock = options.clock ?? systemClock;
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
    const granted = this.#granted;
    // The request may go once the grant `perWindow` places back has left the window.
    const previous = granted[granted.length - this.#perWindow];
    const at = previous === undefined ? now : Math.max(now, previous + this.#windowMs);
    granted.push(at);
    if (granted.length > this.#perWindow) granted.shift();
    if (at <= now) return;
    try {
      await this.#clock.sleep(at - now, signal);
    } catch (error) {
      // Later grants only get sparser without this one, so they stay within the window.
      const index = granted.lastIndexOf(at);
      if (index >= 0) granted.splice(index, 1);
      throw error;
    }
  }
}
