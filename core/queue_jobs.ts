/**
 * The unfinished jobs of a queue, counted by state: what deleting a queue (or the compute environment under it)
 * would end. On AWS, DeleteJobQueue terminates the jobs still in the queue, without a word; ezbatch asks first.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobStatus } from "./backend_types.ts";
import { listAllJobs } from "./job_list.ts";
import type { Clock } from "./rate_limiter.ts";

/** The states of a job that has not finished, in lifecycle order. */
export const UNFINISHED_STATUSES: readonly JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"];

/** Unfinished jobs of a queue: how many in each state (states with none left out), and the total. */
export interface UnfinishedJobs {
  /** Jobs per state; array children count one by one, as AWS lists them. */
  byStatus: Partial<Record<JobStatus, number>>;
  /** All of them. */
  total: number;
}

/**
 * Counts the unfinished jobs of a queue, one listing per state, every page.
 *
 * @param backend Where the queue is.
 * @param queue The queue's name or ARN.
 * @param options `signal` and the `clock` of the throttling backoff.
 * @returns The counts per state and their total.
 * @throws {AwsCallError} When a listing fails for good.
 */
export async function unfinishedJobs(
  backend: Backend,
  queue: string,
  options: { signal?: AbortSignal; clock?: Clock } = {},
): Promise<UnfinishedJobs> {
  const byStatus: Partial<Record<JobStatus, number>> = {};
  let total = 0;
  for (const jobStatus of UNFINISHED_STATUSES) {
    let n = 0;
    for await (const _ of listAllJobs(backend, { jobQueue: queue, jobStatus }, { ...options, pageSize: 1000 })) n++;
    if (n) byStatus[jobStatus] = n;
    total += n;
  }
  return { byStatus, total };
}

/** `2 RUNNING, 1 PENDING`: the counts in lifecycle order, latest state first. */
export function describeCounts(counts: Partial<Record<JobStatus, number>>): string {
  return [...UNFINISHED_STATUSES].reverse().filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(", ");
}
