/**
 * Listings that follow every page: jobs, job queues and compute environments.
 * @module
 */
import type { Backend } from "./backend.ts";
import {
  type ComputeEnvironment,
  JOB_STATUSES,
  type JobQueue,
  type JobSummary,
  type ListJobsQuery,
} from "./backend_types.ts";
import { type Clock, systemClock } from "./rate_limiter.ts";
import { withThrottleRetry } from "./_poll.ts";

/** Options of the `listAll*` iterators. */
export interface ListAllOptions {
  /** Stops the listing. */
  signal?: AbortSignal;
  /** Page size asked for (the backend clamps it); default the service's. */
  pageSize?: number;
  /** Time source for backing off when throttled; default the system clock. */
  clock?: Clock;
}

/** Options of `listAllJobs()`. */
export interface ListAllJobsOptions extends ListAllOptions {
  /**
   * List every state (one listing per state, in lifecycle order) when the query names no status and no filter.
   * Without it such a query lists RUNNING jobs only, as ListJobs does.
   */
  allStatuses?: boolean;
}

const THROTTLE_BASE_MS = 500;
const THROTTLE_RETRIES = 6;

async function* pages<P extends { nextToken?: string }>(
  fetch: (nextToken: string | undefined) => Promise<P>,
  options: ListAllOptions,
): AsyncGenerator<P, void, undefined> {
  const clock = options.clock ?? systemClock;
  let token: string | undefined;
  do {
    const from = token;
    const page = await withThrottleRetry(() => fetch(from), {
      clock,
      baseMs: THROTTLE_BASE_MS,
      maxRetries: THROTTLE_RETRIES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    yield page;
    token = page.nextToken;
  } while (token);
}

function pageOptions(options: ListAllOptions, nextToken: string | undefined) {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pageSize !== undefined ? { maxResults: options.pageSize } : {}),
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

/**
 * Every job ListJobs returns for the query, across all pages (and all states with `allStatuses`). A throttled
 * page is retried with backoff a few times before the error is thrown.
 * @param backend The backend to use.
 * @param query One of `jobQueue` or `arrayJobId`, optionally one status or one filter.
 * @param options `signal`, `pageSize`, `allStatuses`, `clock`.
 * @returns An async iterator of job summaries.
 * @example
 * ```ts ignore
 * import { AwsBackend, listAllJobs } from "./mod.ts";
 * for await (const job of listAllJobs(new AwsBackend(), { jobQueue: "my-queue" }, { allStatuses: true })) {
 *   console.log(job.jobName, job.status);
 * }
 * ```
 */
export async function* listAllJobs(
  backend: Backend,
  query: ListJobsQuery,
  options: ListAllJobsOptions = {},
): AsyncGenerator<JobSummary, void, undefined> {
  const queries = options.allStatuses && !query.jobStatus && !query.filter
    ? JOB_STATUSES.map((jobStatus) => ({ ...query, jobStatus }))
    : [query];
  // The first page of every status is asked for at once, then they are read in order: one round trip before the
  // first output instead of seven in a row (most queues fit in one page per status).
  const listings = queries.map((q) => pages((t) => backend.listJobs(q, pageOptions(options, t)), options));
  const firsts = listings.map((listing) => {
    const first = listing.next();
    first.catch(() => {}); // read (and thrown) in order below; not an unhandled rejection meanwhile
    return first;
  });
  try {
    for (const [i, listing] of listings.entries()) {
      for (let next = await firsts[i]!; !next.done; next = await listing.next()) yield* next.value.jobs;
    }
  } finally {
    // A consumer that stops early leaves the other listings: close them once their request is answered.
    for (const listing of listings) listing.return().catch(() => {});
  }
}

/**
 * Every job queue (or the named ones), across all pages.
 * @param backend The backend to use.
 * @param names Only these queues (names or ARNs); default all.
 * @param options `signal`, `pageSize`, `clock`.
 * @returns An async iterator of queues.
 * @example
 * ```ts ignore
 * import { AwsBackend, listAllJobQueues } from "./mod.ts";
 * for await (const queue of listAllJobQueues(new AwsBackend())) console.log(queue.jobQueueName, queue.status);
 * ```
 */
export async function* listAllJobQueues(
  backend: Backend,
  names?: string[],
  options: ListAllOptions = {},
): AsyncGenerator<JobQueue, void, undefined> {
  for await (const page of pages((t) => backend.describeJobQueues(names, pageOptions(options, t)), options)) {
    yield* page.jobQueues;
  }
}

/**
 * Every compute environment (or the named ones), across all pages.
 * @param backend The backend to use.
 * @param names Only these environments (names or ARNs); default all.
 * @param options `signal`, `pageSize`, `clock`.
 * @returns An async iterator of compute environments.
 * @example
 * ```ts ignore
 * import { AwsBackend, listAllComputeEnvironments } from "./mod.ts";
 * for await (const ce of listAllComputeEnvironments(new AwsBackend())) console.log(ce.computeEnvironmentName);
 * ```
 */
export async function* listAllComputeEnvironments(
  backend: Backend,
  names?: string[],
  options: ListAllOptions = {},
): AsyncGenerator<ComputeEnvironment, void, undefined> {
  for await (const page of pages((t) => backend.describeComputeEnvironments(names, pageOptions(options, t)), options)) {
    yield* page.computeEnvironments;
  }
}
