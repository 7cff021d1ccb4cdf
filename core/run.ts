/**
 * Finding a run again from any machine: its jobs are named `{workflow}-{run}-{job}` and tagged with the workflow,
 * the run and the job, so a name-prefix listing per queue plus one DescribeJobs per 100 jobs recovers them.
 * @module
 */
import type { Backend } from "./backend.ts";
import { JOB_STATUSES, type JobDetail, type JobStatus } from "./backend_types.ts";
import { NotFoundError } from "./errors.ts";
import { MAX_NAME_LENGTH } from "./names.ts";
import { type Clock, RateLimiter, systemClock } from "./rate_limiter.ts";
import { Caller } from "./_caller.ts";
import { listJobsByName } from "./_jobs.ts";

/** One job of a run, as found. */
export interface RunJob {
  /** The workflow's name for the job. */
  job: string;
  /** AWS job id. */
  jobId: string;
  /** AWS job name. */
  jobName: string;
  /** The queue (name or ARN, as the backend reports it). */
  jobQueue: string;
  /** Current state. */
  status: JobStatus;
  /** Why it is in this state. */
  statusReason?: string;
  /** Epoch ms. */
  createdAt?: number;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Exit code of the (last) container, when it ended. */
  exitCode?: number;
  /** For a matrix job: the number of children and their counts by state. */
  array?: { size?: number; statusSummary?: Partial<Record<JobStatus, number>> };
}

/** Where a run stands. */
export interface RunSummary {
  /** Jobs found. */
  total: number;
  /** Jobs per state (an array job counts once). */
  byStatus: Record<JobStatus, number>;
  /** Every job SUCCEEDED or FAILED. */
  finished: boolean;
  /** Finished and none failed. */
  succeeded: boolean;
  /** The jobs that FAILED. */
  failed: RunJob[];
}

/** A run found again. */
export interface FoundRun {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** Its jobs, oldest first. */
  jobs: RunJob[];
  /** Counts and state. */
  summary: RunSummary;
}

/** What {@link findRun} looks for, and how. */
export interface FindRunOptions {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** Queues to search (default: every queue of the account). */
  queues?: string[];
  /** Aborts the search. */
  signal?: AbortSignal;
  /** Request rate, per second (default 20: DescribeJobs is throttled tightly). */
  ratePerSecond?: number;
  /** Clock of the limiter and backoff. */
  clock?: Clock;
}

/**
 * Finds a run's jobs by name prefix on each queue (all pages) and confirms them by their tags.
 *
 * @param backend Where the run was submitted.
 * @param options Workflow name, run id, queues to search.
 * @returns The run's jobs and a summary.
 * @throws {NotFoundError} When no job of the run is found.
 * @throws {AwsCallError} When a call fails for good.
 * @example
 * ```ts ignore
 * import { type Backend, findRun } from "./mod.ts";
 * declare const backend: Backend;
 * const run = await findRun(backend, { workflow: "demo", runId: "k3x9a0qz", queues: ["my-queue"] });
 * console.log(run.summary.byStatus, run.summary.finished);
 * ```
 */
export async function findRun(backend: Backend, options: FindRunOptions): Promise<FoundRun> {
  const { workflow, runId, signal } = options;
  const clock = options.clock ? { clock: options.clock } : {};
  const caller = new Caller({
    limiter: new RateLimiter({ ratePerSecond: options.ratePerSecond ?? 20, ...clock }),
    clock: options.clock ?? systemClock,
    random: Math.random,
    maxAttempts: 10,
  });
  const queues = options.queues ?? await allQueues(backend, caller, signal);
  const prefix = `${workflow}-${runId}-`;
  // A shortened name keeps its first 119 characters, so search by at most that much of the prefix.
  const filter = `${prefix.slice(0, MAX_NAME_LENGTH - 9)}*`;
  const ids = new Set<string>();
  for (const jobQueue of queues) {
    for (const j of await listJobsByName(backend, { jobQueue, name: filter }, { caller, signal })) {
      if (!j.jobId.includes(":")) ids.add(j.jobId); // AWS lists array children (`<id>:<n>`) too: the parent counts
    }
  }
  const details = ids.size ? await caller.call(() => backend.describeJobs([...ids], { signal }), { signal }) : [];
  const jobs = details.filter((d) => belongs(d, workflow, runId, prefix)).map((d) => toRunJob(d, prefix))
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
  if (!jobs.length) {
    throw new NotFoundError(
      `No job of run '${runId}' of workflow '${workflow}' in queue${queues.length === 1 ? "" : "s"} ` +
        `${queues.map((q) => `'${q}'`).join(", ") || "(none)"}: check the run id, or pass the queues it used`,
    );
  }
  return { workflow, runId, jobs, summary: summarizeRun(jobs) };
}

async function allQueues(backend: Backend, caller: Caller, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await caller.call(
      () =>
        backend.describeJobQueues(undefined, { ...(nextToken ? { nextToken } : {}), ...(signal ? { signal } : {}) }),
      { signal },
    );
    names.push(...page.jobQueues.map((q) => q.jobQueueName));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

/** Tags decide; a backend that keeps no tags falls back to the exact (case-sensitive) name prefix. */
function belongs(detail: JobDetail, workflow: string, runId: string, prefix: string): boolean {
  const tags = detail.tags ?? {};
  if ("ezbatch:run" in tags || "ezbatch:workflow" in tags) {
    return tags["ezbatch:workflow"] === workflow && tags["ezbatch:run"] === runId;
  }
  return detail.jobName.startsWith(prefix);
}

function toRunJob(d: JobDetail, prefix: string): RunJob {
  const job: RunJob = {
    job: d.tags?.["ezbatch:job"] ?? d.jobName.slice(prefix.length),
    jobId: d.jobId,
    jobName: d.jobName,
    jobQueue: d.jobQueue,
    status: d.status,
  };
  if (d.statusReason !== undefined) job.statusReason = d.statusReason;
  if (d.createdAt !== undefined) job.createdAt = d.createdAt;
  if (d.startedAt !== undefined) job.startedAt = d.startedAt;
  if (d.stoppedAt !== undefined) job.stoppedAt = d.stoppedAt;
  const exitCode = d.container?.exitCode ?? d.attempts?.at(-1)?.container?.exitCode;
  if (exitCode !== undefined) job.exitCode = exitCode;
  if (d.arrayProperties?.size !== undefined) {
    job.array = { size: d.arrayProperties.size };
    if (d.arrayProperties.statusSummary) job.array.statusSummary = d.arrayProperties.statusSummary;
  }
  return job;
}

/**
 * Counts a run's jobs by state and says whether it is finished and whether it succeeded.
 *
 * @param jobs The run's jobs (e.g. from {@link findRun}, refreshed by a watcher).
 * @returns The summary.
 * @example
 * ```ts
 * import { summarizeRun } from "./mod.ts";
 * const s = summarizeRun([
 *   { job: "a", jobId: "1", jobName: "w-r-a", jobQueue: "q", status: "SUCCEEDED" },
 *   { job: "b", jobId: "2", jobName: "w-r-b", jobQueue: "q", status: "RUNNING" },
 * ]);
 * console.log(s.byStatus.RUNNING, s.finished); // 1 false
 * ```
 */
export function summarizeRun(jobs: readonly RunJob[]): RunSummary {
  const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const job of jobs) byStatus[job.status]++;
  const failed = jobs.filter((j) => j.status === "FAILED");
  const finished = byStatus.SUCCEEDED + byStatus.FAILED === jobs.length;
  return { total: jobs.length, byStatus, finished, succeeded: finished && failed.length === 0, failed };
}
