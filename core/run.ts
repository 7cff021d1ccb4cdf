/**
 * Finding a run again from any machine: its jobs are named `{workflow}-{run}-{job}` and tagged with the workflow,
 * the run and the job, so a name-prefix listing per queue plus one DescribeJobs per 100 jobs recovers them.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail } from "./backend_types.ts";
import { NotFoundError } from "./errors.ts";
import { MAX_NAME_LENGTH } from "./names.ts";
import { type Clock, RateLimiter, systemClock } from "./rate_limiter.ts";
import { Caller } from "./_caller.ts";
import { listJobsByName } from "./_jobs.ts";
import { parseRunTags, RUN_TAG } from "./run_tags.ts";
import { latestAttempts, type RunJob, type RunSummary, summarizeRun } from "./run_summary.ts";

export { type RunJob, type RunState, type RunSummary, summarizeRun } from "./run_summary.ts";

/** A run found again. */
export interface FoundRun {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** Its jobs (the latest attempt of each), oldest first. */
  jobs: RunJob[];
  /**
   * Jobs of the plan never submitted: by name when the workflow's job names were given, else only counted
   * (`summary.notSubmitted`).
   */
  missing: string[];
  /** Digests of the plans its jobs were submitted with: more than one means the file changed between them. */
  plans: string[];
  /** Counts and state. */
  summary: RunSummary;
}

/** What {@link findRun} looks for, and how. */
export interface FindRunOptions {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** The workflow's job names, when its file is at hand: names the jobs never submitted. */
  jobNames?: readonly string[];
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
 * Finds a run's jobs by name prefix on each queue (all pages), confirms them by their tags, keeps the latest attempt
 * of each job, and compares what exists with the run's shape (its tags, or the workflow's job names when given):
 * jobs never submitted make the run INCOMPLETE. Array children in a listing never stand for their parent.
 *
 * @param backend Where the run was submitted.
 * @param options Workflow name, run id, the workflow's job names (optional), queues to search.
 * @returns The run's jobs, the jobs never submitted, and a summary.
 * @throws {NotFoundError} When no job of the run is found.
 * @throws {AwsCallError} When a call fails for good.
 * @example
 * ```ts ignore
 * import { type Backend, findRun } from "./mod.ts";
 * declare const backend: Backend;
 * const run = await findRun(backend, { workflow: "demo", runId: "k3x9a0qz", queues: ["my-queue"] });
 * console.log(run.summary.state, run.summary.byStatus, run.missing);
 * ```
 */
export async function findRun(backend: Backend, options: FindRunOptions): Promise<FoundRun> {
  return (await collectRun(backend, options)).run;
}

/**
 * {@link findRun}, with the DescribeJobs details it read (every attempt of the run's jobs, earlier ones included),
 * so a report needs no second round of calls.
 */
export async function collectRun(
  backend: Backend,
  options: FindRunOptions,
): Promise<{ run: FoundRun; details: JobDetail[] }> {
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
      // A listing may hold array children (`<parent>:<index>`): the parent stands for them.
      if (!j.jobId.includes(":")) ids.add(j.jobId);
    }
  }
  const details = ids.size ? await caller.call(() => backend.describeJobs([...ids], { signal }), { signal }) : [];
  const found = details.filter((d) => !d.jobId.includes(":") && belongs(d, workflow, runId, prefix))
    .map((d) => ({ ...toRunJob(d, prefix), tags: parseRunTags(d.tags) }));
  const jobs = latestAttempts(found)
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
  if (!jobs.length) {
    throw new NotFoundError(
      `No job of run '${runId}' of workflow '${workflow}' in queue${queues.length === 1 ? "" : "s"} ` +
        `${queues.map((q) => `'${q}'`).join(", ") || "(none)"}: check the run id, or pass the queues it used`,
    );
  }
  const names = new Set(jobs.map((j) => j.job));
  const missing = (options.jobNames ?? []).filter((name) => !names.has(name));
  const expected = Math.max(jobs.length + missing.length, ...found.map((j) => j.tags.jobs ?? 0));
  const plans = [...new Set(jobs.map((j) => j.plan).filter((p) => p !== undefined))].sort();
  const run = { workflow, runId, jobs, missing, plans, summary: summarizeRun(jobs, { expected }) };
  const kept = new Set(found.map((j) => j.jobId));
  return { run, details: details.filter((d) => kept.has(d.jobId)) };
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
  if (RUN_TAG.run in tags || RUN_TAG.workflow in tags) {
    return tags[RUN_TAG.workflow] === workflow && tags[RUN_TAG.run] === runId;
  }
  return detail.jobName.startsWith(prefix);
}

function toRunJob(d: JobDetail, prefix: string): RunJob {
  return runJobOf(d, parseRunTags(d.tags).job ?? d.jobName.slice(prefix.length));
}

/**
 * A job of a run as {@link findRun} reports it, from its DescribeJobs detail (state, times, exit code, array counts,
 * and the attempt and digests its tags carry).
 *
 * @param d The job's detail.
 * @param name The workflow's name for the job.
 * @returns The run's job.
 * @example
 * ```ts
 * import { runJobOf } from "./mod.ts";
 * const job = runJobOf(
 *   { jobId: "1", jobName: "w-r-a", jobQueue: "q", jobDefinition: "d", status: "FAILED", tags: { "ezbatch:attempt": "2", "ezbatch:run": "r" } },
 *   "a",
 * );
 * console.log(job.attempt); // 2
 * ```
 */
export function runJobOf(d: JobDetail, name: string): RunJob {
  const tags = parseRunTags(d.tags);
  const job: RunJob = {
    job: name,
    jobId: d.jobId,
    jobName: d.jobName,
    jobQueue: d.jobQueue,
    status: d.status,
  };
  if (d.statusReason !== undefined) job.statusReason = d.statusReason;
  if (d.createdAt !== undefined) job.createdAt = d.createdAt;
  if (d.startedAt) job.startedAt = d.startedAt; // AWS leaves 0 or nothing on array parents and skipped jobs
  if (d.stoppedAt) job.stoppedAt = d.stoppedAt;
  const exitCode = d.container?.exitCode ?? d.attempts?.at(-1)?.container?.exitCode;
  if (exitCode !== undefined) job.exitCode = exitCode;
  if (d.arrayProperties?.size !== undefined) {
    job.array = { size: d.arrayProperties.size };
    if (d.arrayProperties.statusSummary) job.array.statusSummary = d.arrayProperties.statusSummary;
  }
  if (tags.run !== undefined) job.attempt = tags.attempt;
  if (tags.plan !== undefined) job.plan = tags.plan;
  if (tags.digest !== undefined) job.digest = tags.digest;
  return job;
}
