import type { Clock } from "../../core/rate_limiter.ts";

/** A virtual clock: sleeping moves time forward at once. */
export function fakeClock(start = 0): Clock & { t: number; sleeps: number[] } {
  const clock = {
    t: start,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      clock.sleeps.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}
