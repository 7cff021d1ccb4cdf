/**
 * The monitor's background work: a refresher that fetches snapshots on an interval (doubling the wait while the
 * service throttles, never overlapping two refreshes) and a log follower that polls the selected job's log.
 * Both report through callbacks, so the UI never waits on the network.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { followLog } from "../../core/jobs.ts";
import type { Clock } from "../../core/rate_limiter.ts";
import { type DetailCache, fetchSnapshot, isThrottle } from "./data.ts";
import type { Snapshot } from "./state.ts";

/** Callbacks and settings of a refresher. */
export interface RefresherOptions {
  /** Wait between refreshes when all is well (ms). */
  intervalMs: number;
  /** Longest wait while throttled (ms); default 60 s or 8 intervals, whichever is larger. */
  maxIntervalMs?: number;
  /** A run to look for when no queue is selected yet. */
  runId?: string;
  /** The queue to list now (read at each refresh). */
  queue: () => string | undefined;
  /** The array job whose children are open, if any (read at each refresh). */
  arrayJobId?: () => string | undefined;
  /** A refresh began. */
  onStart?: () => void;
  /** A refresh succeeded. */
  onSnapshot: (snapshot: Snapshot) => void;
  /** A refresh failed; `text` is ready for the footer. */
  onError: (text: string, error: unknown) => void;
  /** Clock (ms). */
  now?: () => number;
  /** Clock of the listings' throttling waits (default the real one). */
  clock?: Clock;
}

/** Fetches snapshots on an interval with backoff; `refreshNow` asks for one at once. */
export class Refresher {
  #backend: Backend;
  #options: RefresherOptions;
  #cache: DetailCache = new Map();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #again = false;
  #stopped = false;
  #delay: number;
  #abort = new AbortController();

  /** Creates a refresher; call `start` to begin. */
  constructor(backend: Backend, options: RefresherOptions) {
    this.#backend = backend;
    this.#options = options;
    this.#delay = options.intervalMs;
  }

  /** The wait before the next scheduled refresh (grows while throttled). */
  get delayMs(): number {
    return this.#delay;
  }

  /** Starts refreshing (the first refresh runs at once). */
  start(): void {
    this.refreshNow();
  }

  /** Refreshes as soon as possible (after the one in flight, if any). */
  refreshNow(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.#run();
  }

  /** Stops: no more refreshes, the one in flight is aborted. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    this.#running = true;
    this.#options.onStart?.();
    const { intervalMs } = this.#options;
    const maxDelay = this.#options.maxIntervalMs ?? Math.max(60_000, intervalMs * 8);
    const seconds = (ms: number) => `${Math.ceil(ms / 1000)}s`;
    try {
      const queue = this.#options.queue();
      const arrayJobId = this.#options.arrayJobId?.();
      const snapshot = await fetchSnapshot(this.#backend, {
        cache: this.#cache,
        signal: this.#abort.signal,
        ...(queue ? { queue } : { pickBusy: true, ...(this.#options.runId ? { runId: this.#options.runId } : {}) }),
        ...(arrayJobId ? { arrayJobId } : {}),
        ...(this.#options.now ? { now: this.#options.now } : {}),
        ...(this.#options.clock ? { clock: this.#options.clock } : {}),
        onThrottle: (ms) =>
          this.#options.onError(`Throttled by the service; trying again in ${seconds(ms)}`, undefined),
      });
      if (this.#stopped) return;
      this.#delay = intervalMs;
      this.#options.onSnapshot(snapshot);
    } catch (error) {
      if (this.#stopped) return;
      if (isThrottle(error)) {
        this.#delay = Math.min(this.#delay * 2, maxDelay);
        this.#options.onError(`Throttled by the service; next refresh in ${seconds(this.#delay)}`, error);
      } else {
        this.#delay = Math.min(Math.max(this.#delay, intervalMs) * 2, maxDelay);
        const text = error instanceof Error ? error.message : String(error);
        this.#options.onError(`Refresh failed: ${text} (retrying in ${seconds(this.#delay)})`, error);
      }
    } finally {
      this.#running = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      void this.#run();
    } else {
      this.#timer = setTimeout(() => void this.#run(), this.#delay);
    }
  }
}

/** Callbacks and settings of a log follower. */
export interface LogFollowerOptions {
  /** Wait between reads (ms). */
  intervalMs: number;
  /** New lines (possibly none); `done` once the job ended and its log stopped growing. */
  onLines: (jobId: string, lines: string[], exists: boolean, done: boolean) => void;
  /** A read failed. */
  onError: (text: string, error: unknown) => void;
}

/**
 * Follows one job's log at a time with `followLog` (from the start, across attempts, until the job ended), handing
 * the lines over in small batches.
 */
export class LogFollower {
  #backend: Backend;
  #options: LogFollowerOptions;
  #jobId: string | undefined;
  #abort: AbortController | undefined;

  /** Creates an idle follower. */
  constructor(backend: Backend, options: LogFollowerOptions) {
    this.#backend = backend;
    this.#options = options;
  }

  /** The job followed now. */
  get jobId(): string | undefined {
    return this.#jobId;
  }

  /** Follows this job's log (stops following the previous one). */
  follow(jobId: string): void {
    if (this.#jobId === jobId) return;
    this.stop();
    this.#jobId = jobId;
    const abort = (this.#abort = new AbortController());
    void this.#loop(jobId, abort.signal);
  }

  /** Stops following. */
  stop(): void {
    this.#jobId = undefined;
    this.#abort?.abort();
  }

  async #loop(jobId: string, signal: AbortSignal): Promise<void> {
    const { onLines, intervalMs } = this.#options;
    let pending: string[] = [];
    let seen = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (!pending.length || signal.aborted) return;
      const lines = pending;
      pending = [];
      onLines(jobId, lines, true, false);
    };
    onLines(jobId, [], false, false);
    try {
      for await (const event of followLog(this.#backend, jobId, { signal, pollMs: intervalMs })) {
        seen = true;
        pending.push(event.message);
        timer ??= setTimeout(flush, 30);
      }
      clearTimeout(timer);
      if (signal.aborted) return;
      const lines = pending;
      pending = [];
      onLines(jobId, lines, seen, true);
    } catch (error) {
      clearTimeout(timer);
      if (signal.aborted) return;
      this.#options.onError(`Reading the log failed: ${error instanceof Error ? error.message : error}`, error);
    }
  }
}
