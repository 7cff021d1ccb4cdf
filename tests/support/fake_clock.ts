/**
 * A Clock for tests: `sleep` returns at once, advances virtual time, records the wait, and runs the next step of
 * a script (so a test can change the world "while" a poller waits).
 */
import type { Clock } from "../../core/rate_limiter.ts";

export class FakeClock implements Clock {
  /** Virtual time, epoch ms. */
  time: number;
  /** Every wait asked for, in ms. */
  readonly sleeps: number[] = [];
  #steps: (() => void | Promise<void>)[];

  constructor(steps: (() => void | Promise<void>)[] = [], start = 1_700_000_000_000) {
    this.#steps = [...steps];
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
    const step = this.#steps.shift();
    if (step) await step();
    if (this.sleeps.length > 1000) throw new Error("FakeClock: more than 1000 sleeps, the poller never ends");
    signal?.throwIfAborted();
  }
}
