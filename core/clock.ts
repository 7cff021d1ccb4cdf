/**
 * Time, injected: pollers (watch, log follow) take a `Clock` so tests run them without waiting.
 * @module
 */

/** The time source and sleeper of pollers. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Sleeps `ms` milliseconds unless `signal` aborts first (then rejects with its reason). Does not keep the
 * process alive after an abort.
 * @param ms How long to wait.
 * @param signal Aborts the wait.
 * @returns A promise that resolves after the wait.
 * @throws The signal's reason when it aborts.
 * @example
 * ```ts
 * import { sleep } from "./mod.ts";
 * await sleep(10);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = { now: () => Date.now(), sleep };
