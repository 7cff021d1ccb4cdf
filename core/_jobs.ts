/**
 * Small helpers over a backend's job listings, and a promise pool. Private to core.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobSummary } from "./backend_types.ts";
import type { Caller } from "./_caller.ts";

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first error once all started ones settled. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failed.error;
}

/**
 * Every job of a queue whose name matches a JOB_NAME filter value (`name` exactly, or a prefix ending in `*`),
 * all pages. The filter is case-insensitive, as AWS's is.
 */
export async function listJobsByName(
  backend: Backend,
  query: { jobQueue: string; name: string },
  options: { caller?: Caller; signal?: AbortSignal } = {},
): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const list = () =>
      backend.listJobs(
        { jobQueue: query.jobQueue, filter: { name: "JOB_NAME", values: [query.name] } },
        { maxResults: 100, ...(nextToken ? { nextToken } : {}), ...(options.signal ? { signal: options.signal } : {}) },
      );
    const page = options.caller ? await options.caller.call(list, { signal: options.signal }) : await list();
    jobs.push(...page.jobs);
    nextToken = page.nextToken;
  } while (nextToken);
  return jobs;
}

/** The job of a queue with exactly this name (the oldest, should there be several), or undefined. */
export async function findJobByName(
  backend: Backend,
  caller: Caller,
  jobQueue: string,
  name: string,
  signal?: AbortSignal,
): Promise<JobSummary | undefined> {
  const jobs = await listJobsByName(backend, { jobQueue, name }, { caller, signal });
  return jobs.filter((j) => j.jobName === name).sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))[0];
}
