/**
 * Watching jobs until they end: snapshots of their states from batched DescribeJobs polls.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail, JobStatus } from "./backend_types.ts";
import { type Clock, systemClock } from "./rate_limiter.ts";
import { NotFoundError } from "./errors.ts";
import { withThrottleRetry } from "./_poll.ts";

/** The state of the watched jobs after one poll. */
export interface JobsSnapshot {
  /** The jobs found, in the order they were asked for. */
  jobs: JobDetail[];
  /** Ids not (yet) found. */
  missing: string[];
  /** How many jobs are in each state. */
  counts: Partial<Record<JobStatus, number>>;
  /** True when every job is SUCCEEDED or FAILED (the last snapshot). */
  done: boolean;
  /** When the poll was made (epoch ms). */
  at: number;
}

/** Options of `watchJobs()`. */
export interface WatchJobsOptions {
  /** Wait between polls in ms; default 5,000. */
  intervalMs?: number;
  /** Stops watching (the iterator then throws the signal's reason). */
  signal?: AbortSignal;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Polls in a row a job may be missing before watching fails; default 3. */
  missingPolls?: number;
  /** Told when a poll was throttled and how long the watcher backs off. */
  onThrottle?: (error: unknown, delayMs: number) => void;
}

const FINISHED: ReadonlySet<JobStatus> = new Set(["SUCCEEDED", "FAILED"]);

/**
 * True for the states a job never leaves: SUCCEEDED and FAILED.
 * @param status A job state.
 * @returns Whether the job has finished.
 * @example
 * ```ts
 * import { isFinished } from "./mod.ts";
 * console.log(isFinished("FAILED"), isFinished("RUNNABLE")); // true false
 * ```
 */
export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}

/**
 * Polls the jobs until all of them are SUCCEEDED or FAILED, yielding a snapshot after every poll (the last one has
 * `done: true`). Each poll describes only the jobs not yet finished, so it makes at most ceil(N/100) DescribeJobs
 * calls, fewer as jobs end. A throttled poll backs off (doubling from `intervalMs`) and tries again.
 * @param backend The backend to use.
 * @param jobIds The jobs to watch.
 * @param options `intervalMs`, `clock`, `signal`, `missingPolls`, `onThrottle`.
 * @returns An async iterator of snapshots.
 * @throws {NotFoundError} When a job stays missing for `missingPolls` polls.
 * @example
 * ```ts ignore
 * import { AwsBackend, watchJobs } from "./mod.ts";
 * for await (const snapshot of watchJobs(new AwsBackend(), ["id-1", "id-2"], { intervalMs: 10_000 })) {
 *   console.error(JSON.stringify(snapshot.counts));
 * }
 * ```
 */
export async function* watchJobs(
  backend: Backend,
  jobIds: string[],
  options: WatchJobsOptions = {},
): AsyncGenerator<JobsSnapshot, void, undefined> {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 5000;
  const missingPolls = options.missingPolls ?? 3;
  const { signal } = options;
  const ids = [...new Set(jobIds)];
  const known = new Map<string, JobDetail>();
  const absent = new Map<string, number>();
  for (;;) {
    const open = ids.filter((id) => !known.has(id) || !isFinished(known.get(id)!.status));
    const found = open.length === 0 ? [] : await withThrottleRetry(() => backend.describeJobs(open, { signal }), {
      clock,
      baseMs: intervalMs,
      signal,
      ...(options.onThrottle ? { onThrottle: options.onThrottle } : {}),
    });
    for (const job of found) known.set(job.jobId, job);
    const seen = new Set(found.map((j) => j.jobId));
    for (const id of open) {
      if (seen.has(id) || known.has(id)) continue;
      const polls = (absent.get(id) ?? 0) + 1;
      if (polls >= missingPolls) throw new NotFoundError(`Job '${id}' was not found after ${polls} polls`);
      absent.set(id, polls);
    }
    const jobs = ids.flatMap((id) => known.get(id) ?? []);
    const counts: Partial<Record<JobStatus, number>> = {};
    for (const job of jobs) counts[job.status] = (counts[job.status] ?? 0) + 1;
    const missing = ids.filter((id) => !known.has(id));
    const done = missing.length === 0 && jobs.every((j) => isFinished(j.status));
    yield { jobs, missing, counts, done, at: clock.now() };
    if (done) return;
    await clock.sleep(intervalMs, signal);
  }
}

/** Options of `describeJob()`. */
export interface DescribeJobOptions {
  /** First wait after a throttled call in ms (doubling after each); default 1,000. */
  baseMs?: number;
  /** Aborts the waits. */
  signal?: AbortSignal;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Told when the call was throttled and how long it backs off. */
  onThrottle?: (error: unknown, delayMs: number) => void;
}

/**
 * Describes one job, backing off and trying again while AWS throttles the call (after the SDK's own retries), as
 * the pollers do: a command that then follows the job should not fail on its first call when the pollers would not.
 * @param backend The backend to use.
 * @param jobId The job (an array child is `id:index`).
 * @param options `baseMs`, `clock`, `signal`, `onThrottle`.
 * @returns The job, or undefined when there is no such job.
 * @throws The backend's error for anything but throttling; the signal's reason when aborted.
 * @example
 * ```ts ignore
 * import { AwsBackend, describeJob } from "./mod.ts";
 * const job = await describeJob(new AwsBackend(), "6b2e0c1e-0000-4000-8000-000000000000");
 * console.log(job?.status ?? "no such job");
 * ```
 */
export async function describeJob(
  backend: Backend,
  jobId: string,
  options: DescribeJobOptions = {},
): Promise<JobDetail | undefined> {
  const { signal, onThrottle } = options;
  const [job] = await withThrottleRetry(() => backend.describeJobs([jobId], { signal }), {
    clock: options.clock ?? systemClock,
    baseMs: options.baseMs ?? 1000,
    signal,
    onThrottle,
  });
  return job;
}
