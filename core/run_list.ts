/**
 * Recent workflow runs, found again from the jobs alone: every job ezbatch submits carries its workflow and run in
 * its tags (core/run_tags.ts), so listing the queues' recent jobs and grouping them by those tags gives every run,
 * finished or not, with its state (INCOMPLETE when the tags count more jobs than exist).
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail, ListJobsQuery } from "./backend_types.ts";
import { listAllJobQueues, listAllJobs } from "./job_list.ts";
import { runJobOf } from "./run.ts";
import { latestAttempts, type RunSummary, summarizeRun } from "./run_summary.ts";
import { parseRunTags } from "./run_tags.ts";

/** One run found by `listRuns`. */
export interface RunListing {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** When its first job was submitted (epoch ms). */
  submittedAt?: number;
  /** The queues its jobs went to. */
  queues: string[];
  /** Its state and counts. */
  summary: RunSummary;
}

/** Options of `listRuns`. */
export interface ListRunsOptions {
  /** Only runs of this workflow. */
  workflow?: string;
  /** Only runs with a job created at or after this time (epoch ms). */
  since?: number;
  /** Queues to search (default: every queue). */
  queues?: string[];
  /** Stops the listing. */
  signal?: AbortSignal;
}

/**
 * The workflow runs whose jobs are in the queues, newest first.
 * @param backend Where to look.
 * @param options Workflow name, `since`, queues, signal.
 * @returns One entry per run.
 */
export async function listRuns(backend: Backend, options: ListRunsOptions = {}): Promise<RunListing[]> {
  const signal = options.signal ? { signal: options.signal } : {};
  const queues = options.queues ?? [];
  if (!options.queues) {
    for await (const q of listAllJobQueues(backend, undefined, signal)) {
      queues.push(q.jobQueueName);
    }
  }
  // A name filter (runs of one workflow) or a creation time filter: either way ListJobs returns every state.
  const filter: ListJobsQuery["filter"] = options.workflow
    ? { name: "JOB_NAME", values: [`${options.workflow}-*`] }
    : { name: "AFTER_CREATED_AT", values: [String(options.since ?? 0)] };
  const ids: string[] = [];
  for (const jobQueue of queues) {
    for await (const job of listAllJobs(backend, { jobQueue, filter }, signal)) {
      if (!job.jobId.includes(":") && (options.since === undefined || (job.createdAt ?? 0) >= options.since)) {
        ids.push(job.jobId);
      }
    }
  }
  const details: JobDetail[] = [];
  for (let i = 0; i < ids.length; i += 100) details.push(...await backend.describeJobs(ids.slice(i, i + 100), signal));
  const runs = new Map<string, JobDetail[]>();
  for (const d of details) {
    const tags = parseRunTags(d.tags);
    if (!tags.workflow || !tags.run || (options.workflow && tags.workflow !== options.workflow)) continue;
    const key = `${tags.workflow}\u0000${tags.run}`;
    runs.set(key, [...runs.get(key) ?? [], d]);
  }
  return [...runs.values()].map((jobs) => {
    const tags = parseRunTags(jobs[0]!.tags);
    const prefix = `${tags.workflow}-${tags.run}-`;
    const found = jobs.map((d) => {
      const own = parseRunTags(d.tags);
      return { ...runJobOf(d, own.job ?? d.jobName.slice(prefix.length)), tags: own };
    });
    const latest = latestAttempts(found);
    const expected = Math.max(latest.length, ...found.map((j) => j.tags.jobs ?? 0));
    const created = jobs.map((j) => j.createdAt).filter((t): t is number => t !== undefined);
    const listing: RunListing = {
      workflow: tags.workflow!,
      runId: tags.run!,
      queues: [...new Set(jobs.map((j) => j.jobQueue.replace(/^.*\//, "")))].sort(),
      summary: summarizeRun(latest, { expected }),
    };
    if (created.length) listing.submittedAt = Math.min(...created);
    return listing;
  }).sort((a, b) => (b.submittedAt ?? 0) - (a.submittedAt ?? 0) || a.runId.localeCompare(b.runId));
}
