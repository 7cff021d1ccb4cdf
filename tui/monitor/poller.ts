/**
 * The monitor's background work: a refresher that fetches snapshots on an interval (doubling the wait while the
 * service throttles, never overlapping two refreshes) and a log follower that polls the selected job's log.
 * Both report through callbacks, so the UI never waits on the network.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { JobDetail } from "../../core/backend_types.ts";
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
  /** A refresh began. */
  onStart?: () => void;
  /** A refresh succeeded. */
  onSnapshot: (snapshot: Snapshot) => void;
  /** A refresh failed; `text` is ready for the footer. */
  onError: (text: string, error: unknown) => void;
  /** Clock (ms). */
  now?: () => number;
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
    try {
      const queue = this.#options.queue();
      const snapshot = await fetchSnapshot(this.#backend, {
        cache: this.#cache,
        signal: this.#abort.signal,
        ...(queue ? { queue } : { pickBusy: true, ...(this.#options.runId ? { runId: this.#options.runId } : {}) }),
        ...(this.#options.now ? { now: this.#options.now } : {}),
      });
      if (this.#stopped) return;
      this.#delay = intervalMs;
      this.#options.onSnapshot(snapshot);
    } catch (error) {
      if (this.#stopped) return;
      const seconds = (ms: number) => `${Math.ceil(ms / 1000)}s`;
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

/** Where a job's log lives: the last attempt's stream in the job's log group (default `/aws/batch/job`). */
export function logLocationOf(detail: JobDetail): { group: string; stream: string } | undefined {
  const attempts = detail.attempts ?? [];
  const stream = detail.container?.logStreamName ??
    attempts.findLast((a) => a.container?.logStreamName)?.container?.logStreamName ??
    detail.ecsProperties?.taskProperties?.[0]?.containers?.find((c) => c.logStreamName)?.logStreamName;
  if (!stream) return undefined;
  const group = detail.container?.logConfiguration?.options?.["awslogs-group"] ?? "/aws/batch/job";
  return { group, stream };
}

/** Callbacks and settings of a log follower. */
export interface LogFollowerOptions {
  /** Wait between reads (ms). */
  intervalMs: number;
  /** The latest known detail of a job (from the refresher), for its log stream and state. */
  detail: (jobId: string) => JobDetail | undefined;
  /** New lines (possibly none); `done` once the job ended and its log stopped growing. */
  onLines: (jobId: string, lines: string[], exists: boolean, done: boolean) => void;
  /** A read failed. */
  onError: (text: string, error: unknown) => void;
}

/** Polls one job's log at a time, from the start, and keeps following until the job ends. */
export class LogFollower {
  #backend: Backend;
  #options: LogFollowerOptions;
  #jobId: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
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
    clearTimeout(this.#timer);
    this.#abort?.abort();
  }

  async #loop(jobId: string, signal: AbortSignal): Promise<void> {
    let token: string | undefined;
    let stream: string | undefined;
    while (!signal.aborted) {
      const detail = this.#options.detail(jobId);
      const ended = detail?.status === "SUCCEEDED" || detail?.status === "FAILED";
      const location = detail && logLocationOf(detail);
      try {
        if (!location) {
          this.#options.onLines(jobId, [], false, ended);
          if (ended) return;
        } else {
          if (location.stream !== stream) [stream, token] = [location.stream, undefined];
          const page = await this.#backend.getLogEvents(location, {
            signal,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          });
          if (signal.aborted) return;
          const moved = page.nextForwardToken !== undefined && page.nextForwardToken !== token;
          if (page.nextForwardToken) token = page.nextForwardToken;
          const done = ended && page.events.length === 0 && (!moved || !page.exists);
          this.#options.onLines(jobId, page.events.map((e) => e.message), page.exists, done);
          if (done) return;
          if (page.events.length > 0) continue;
        }
      } catch (error) {
        if (signal.aborted) return;
        this.#options.onError(`Reading the log failed: ${error instanceof Error ? error.message : error}`, error);
      }
      await new Promise<void>((resolve) => {
        this.#timer = setTimeout(resolve, this.#options.intervalMs);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  }
}
