/**
 * Where a run stands, told truthfully: a run is SUCCEEDED only when every job of its plan SUCCEEDED; jobs that were
 * never submitted make it INCOMPLETE, whatever the others did.
 * @module
 */
import { JOB_STATUSES, type JobStatus } from "./backend_types.ts";
import type { DigestPart, RunTags } from "./run_tags.ts";

/** The state of a whole run. */
export type RunState = "RUNNING" | "SUCCEEDED" | "FAILED" | "INCOMPLETE";

/** One job of a run, as found (its latest attempt; earlier ones in `previous`). */
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
  /** The job's attempt in the run: 1, then one more for each resume that submitted it again. */
  attempt?: number;
  /** Digest of the plan it was submitted with (from its tags). */
  plan?: string;
  /** Digest of its request, part by part (from its tags). */
  digest?: Partial<Record<DigestPart, string>>;
  /** Earlier attempts of this job in the run, oldest first. */
  previous?: RunJob[];
}

/** Where a run stands. */
export interface RunSummary {
  /** Jobs found (an array job counts once; earlier attempts not counted). */
  total: number;
  /** Jobs the run's plan has (found plus never submitted). */
  expected: number;
  /** Jobs of the plan that were never submitted. */
  notSubmitted: number;
  /** Jobs per state (an array job counts once). */
  byStatus: Record<JobStatus, number>;
  /** Every job found SUCCEEDED or FAILED: nothing more will change without a resume. */
  finished: boolean;
  /** Finished, none failed and none missing: every job of the plan SUCCEEDED. */
  succeeded: boolean;
  /** RUNNING, SUCCEEDED, FAILED, or INCOMPLETE when jobs of the plan were never submitted. */
  state: RunState;
  /** The jobs that FAILED. */
  failed: RunJob[];
}

/**
 * Counts a run's jobs by state and says whether it is finished and whether it succeeded.
 *
 * @param jobs The run's jobs (e.g. from {@link findRun}, refreshed by a watcher).
 * @param options `expected`: the number of jobs in the run's plan (default: the jobs given), so that jobs never
 *   submitted make the run INCOMPLETE.
 * @returns The summary.
 * @example
 * ```ts
 * import { summarizeRun } from "./mod.ts";
 * const s = summarizeRun([
 *   { job: "a", jobId: "1", jobName: "w-r-a", jobQueue: "q", status: "SUCCEEDED" },
 *   { job: "b", jobId: "2", jobName: "w-r-b", jobQueue: "q", status: "SUCCEEDED" },
 * ], { expected: 3 });
 * console.log(s.state, s.notSubmitted, s.succeeded); // "INCOMPLETE" 1 false
 * ```
 */
export function summarizeRun(jobs: readonly RunJob[], options: { expected?: number } = {}): RunSummary {
  const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const job of jobs) byStatus[job.status]++;
  const failed = jobs.filter((j) => j.status === "FAILED");
  const finished = byStatus.SUCCEEDED + byStatus.FAILED === jobs.length;
  const expected = Math.max(options.expected ?? 0, jobs.length);
  const notSubmitted = expected - jobs.length;
  const state: RunState = notSubmitted > 0
    ? "INCOMPLETE"
    : !finished
    ? "RUNNING"
    : failed.length
    ? "FAILED"
    : "SUCCEEDED";
  return {
    total: jobs.length,
    expected,
    notSubmitted,
    byStatus,
    finished,
    succeeded: state === "SUCCEEDED",
    state,
    failed,
  };
}

/** The latest attempt of each job, with the earlier ones in `previous` (attempt, then creation time decide). */
export function latestAttempts(found: readonly (RunJob & { tags: RunTags })[]): RunJob[] {
  const byJob = new Map<string, (RunJob & { tags: RunTags })[]>();
  for (const j of found) byJob.set(j.job, [...byJob.get(j.job) ?? [], j]);
  const latest: RunJob[] = [];
  for (const attempts of byJob.values()) {
    attempts.sort((a, b) => a.tags.attempt - b.tags.attempt || (a.createdAt ?? 0) - (b.createdAt ?? 0));
    const strip = ({ tags: _tags, ...job }: RunJob & { tags: RunTags }): RunJob => job;
    const last = strip(attempts.at(-1)!);
    if (attempts.length > 1) last.previous = attempts.slice(0, -1).map(strip);
    latest.push(last);
  }
  return latest;
}
