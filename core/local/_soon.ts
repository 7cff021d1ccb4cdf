/**
 * Running a callback soon. `setTimeout(fn, 0)` waits for the next timer tick, at least 1 ms and about 2 ms on a
 * loaded machine (measured): with a few waits per job that was most of a trivial job's time. A delay of zero runs
 * `fn` with `setImmediate` instead (after pending I/O, in microseconds). Private to core/local.
 * @module
 */
import { clearImmediate, setImmediate } from "node:timers";

/** Runs `fn` after `delayMs` (at once after pending I/O when it is 0 or less); returns a function that cancels it. */
export function soon(fn: () => void, delayMs: number): () => void {
  if (delayMs <= 0) {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  }
  const timer = setTimeout(fn, delayMs);
  return () => clearTimeout(timer);
}
