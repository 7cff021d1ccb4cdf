/**
 * What one monitor refresh fetches: queues with their compute environments, the selected queue's jobs in every
 * state, and details (DescribeJobs, at most 100 ids per call) of the jobs that may still change.
 * @module
 */
import { parseRunTags } from "../../core/run_tags.ts";
import type { Backend } from "../../core/backend.ts";
import type { ComputeEnvironment, JobDetail, JobQueue, JobStatus, JobSummary } from "../../core/backend_types.ts";
import { isThrottlingError } from "../../core/aws/errors.ts";
import { listAllComputeEnvironments, listAllJobQueues, listAllJobs } from "../../core/jobs.ts";
import { type Clock, systemClock } from "../../core/rate_limiter.ts";
import type { EnvInfo, JobRow, QueueInfo, RunRef, Snapshot } from "./state.ts";

/** Most ids one DescribeJobs call takes. */
export const DESCRIBE_BATCH = 100;

const FINISHED: JobStatus[] = ["SUCCEEDED", "FAILED"];
/** True when an error means the service throttled us (after the SDK's own retries). */
export const isThrottle: (error: unknown) => boolean = isThrottlingError;

/** Details kept between refreshes: a job that ended does not change any more. */
export type DetailCache = Map<string, JobDetail>;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function nameOf(arnOrName: string): string {
  return arnOrName.slice(arnOrName.lastIndexOf("/") + 1);
}

function queueInfo(queue: JobQueue, environments: Map<string, ComputeEnvironment>): QueueInfo {
  const envs: EnvInfo[] = [...queue.computeEnvironmentOrder].sort((a, b) => a.order - b.order).map((entry) => {
    const env = environments.get(nameOf(entry.computeEnvironment));
    const info: EnvInfo = { name: nameOf(entry.computeEnvironment) };
    if (env?.state) info.state = env.state;
    if (env?.status) info.status = env.status;
    if (env?.statusReason) info.statusReason = env.statusReason;
    return info;
  });
  const info: QueueInfo = { name: queue.jobQueueName, environments: envs };
  if (queue.state) info.state = queue.state;
  if (queue.status) info.status = queue.status;
  if (queue.statusReason) info.statusReason = queue.statusReason;
  return info;
}

/** A queue (by name or ARN) with its compute environments' states and reasons; undefined when it is gone. */
export async function queueInfoOf(backend: Backend, queue: string): Promise<QueueInfo | undefined> {
  const [found] = (await backend.describeJobQueues([queue])).jobQueues;
  if (!found) return undefined;
  const names = found.computeEnvironmentOrder.map((o) => o.computeEnvironment);
  const envs = names.length ? (await backend.describeComputeEnvironments(names)).computeEnvironments : [];
  return queueInfo(found, new Map(envs.map((e) => [e.computeEnvironmentName, e])));
}

/** The run a job belongs to, from its run tags (`core/run_tags.ts`): workflow, run, job, attempt, job count. */
export function runOf(detail: JobDetail | undefined): RunRef | undefined {
  const tags = parseRunTags(detail?.tags);
  // An array child carries its parent's tags: the parent stands for the run's job.
  if (!tags.workflow || !tags.run || detail?.jobId.includes(":")) return undefined;
  return {
    workflow: tags.workflow,
    run: tags.run,
    job: tags.job ?? "",
    attempt: tags.attempt,
    ...(tags.jobs !== undefined ? { jobs: tags.jobs } : {}),
  };
}

function toRow(summary: JobSummary, detail: JobDetail | undefined): JobRow {
  const row: JobRow = {
    jobId: summary.jobId,
    jobName: summary.jobName,
    status: detail?.status ?? summary.status ?? "SUBMITTED",
  };
  const reason = detail?.statusReason ?? summary.statusReason;
  if (reason) row.statusReason = reason;
  const createdAt = detail?.createdAt ?? summary.createdAt;
  if (createdAt !== undefined) row.createdAt = createdAt;
  const startedAt = detail?.startedAt ?? summary.startedAt;
  if (startedAt !== undefined) row.startedAt = startedAt;
  const stoppedAt = detail?.stoppedAt ?? summary.stoppedAt;
  if (stoppedAt !== undefined) row.stoppedAt = stoppedAt;
  const exitCode = detail?.container?.exitCode ?? summary.container?.exitCode;
  if (exitCode !== undefined) row.exitCode = exitCode;
  const run = runOf(detail);
  if (run) row.run = run;
  if (detail) row.detail = detail;
  const index = detail?.arrayProperties?.index ?? summary.arrayProperties?.index;
  const size = detail?.arrayProperties?.size ?? summary.arrayProperties?.size;
  if (index !== undefined) {
    row.index = index;
    // Children carry their parent's name on AWS: the index tells them apart.
    if (!row.jobName.endsWith(`:${index}`)) row.jobName = `${row.jobName}:${index}`;
  } else if (size) row.array = { size, summary: { ...detail?.arrayProperties?.statusSummary } };
  return row;
}

/** True for an array child (`<parent>:<index>`), which queue listings on AWS include next to its parent. */
export function isArrayChild(job: JobSummary): boolean {
  return job.arrayProperties?.index !== undefined || job.jobId.includes(":");
}

/** Every job of a queue in the given states (default all, every page), newest first. */
export async function listQueueJobs(
  backend: Backend,
  queue: string,
  options: { statuses?: readonly JobStatus[]; signal?: AbortSignal; clock?: Clock } = {},
): Promise<JobSummary[]> {
  const signal = {
    pageSize: 1000, // ListJobs takes up to 1,000 per page when it lists one state
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const lists = options.statuses
    ? await Promise.all(
      options.statuses.map((jobStatus) => collect(listAllJobs(backend, { jobQueue: queue, jobStatus }, signal))),
    )
    : [await collect(listAllJobs(backend, { jobQueue: queue }, { ...signal, allStatuses: true }))];
  return lists.flat().sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
}

/** Describes jobs in calls of at most 100 ids, one call at a time. */
export async function describeInBatches(
  backend: Backend,
  ids: string[],
  signal?: AbortSignal,
): Promise<JobDetail[]> {
  const out: JobDetail[] = [];
  for (let i = 0; i < ids.length; i += DESCRIBE_BATCH) {
    out.push(...await backend.describeJobs(ids.slice(i, i + DESCRIBE_BATCH), { signal }));
  }
  return out;
}

/**
 * Fetches one snapshot: every queue (with its environments' states and reasons) and, when a queue is given or
 * there is one, that queue's jobs in every state, newest first. Without a queue, `pickBusy` picks the first queue
 * that has jobs of the run `runId` (names `{workflow}-{run}-{job}`), else the first with any job, else the first. Jobs that ended and were described before are
 * not described again.
 */
export async function fetchSnapshot(
  backend: Backend,
  options: {
    queue?: string;
    pickBusy?: boolean;
    runId?: string;
    cache: DetailCache;
    signal?: AbortSignal;
    now?: () => number;
    /** Clock of the listings' waits when throttled (default the real one). */
    clock?: Clock;
    /** Told before each wait a throttled listing makes (the listing then tries again). */
    onThrottle?: (waitMs: number) => void;
    /** Also list and describe the children of this array job. */
    arrayJobId?: string;
  },
): Promise<Snapshot> {
  const { cache, signal } = options;
  const base = options.clock ?? systemClock;
  const onThrottle = options.onThrottle;
  const clock: Clock = onThrottle
    ? { now: () => base.now(), sleep: (ms, sig) => (onThrottle(ms), base.sleep(ms, sig)) }
    : base;
  const listing = { clock, ...(signal ? { signal } : {}) };
  const [queues, envs] = await Promise.all([
    collect(listAllJobQueues(backend, undefined, listing)),
    collect(listAllComputeEnvironments(backend, undefined, listing)),
  ]);
  const envByName = new Map(envs.map((e) => [e.computeEnvironmentName, e]));
  const infos = queues.map((q) => queueInfo(q, envByName)).sort((a, b) => a.name.localeCompare(b.name));
  let queue = options.queue && infos.some((q) => q.name === options.queue) ? options.queue : undefined;
  let listed: JobSummary[] | undefined;
  if (!queue && options.pickBusy) {
    const run = options.runId ? `-${options.runId}-` : undefined;
    let first: [string, JobSummary[]] | undefined;
    for (const info of infos) {
      const jobs = await listQueueJobs(backend, info.name, listing);
      if (jobs.length) first ??= [info.name, jobs];
      if (jobs.length && (!run || jobs.some((j) => j.jobName.includes(run)))) [queue, listed] = [info.name, jobs];
      if (queue) break;
    }
    if (!queue && first) [queue, listed] = first;
  }
  queue ??= infos[0]?.name;
  const at = (options.now ?? Date.now)();
  if (!queue) return { queues: infos, jobs: [], at };
  listed ??= await listQueueJobs(backend, queue, listing);
  // Children are shown under their parent (arrayJobId below), not among the queue's jobs.
  const summaries = new Map<string, JobSummary>();
  for (const job of listed) if (!isArrayChild(job)) summaries.set(job.jobId, job);
  const kids = new Map<string, JobSummary>();
  if (options.arrayJobId) {
    const query = { arrayJobId: options.arrayJobId };
    const found = listAllJobs(backend, query, { ...listing, pageSize: 1000, allStatuses: true });
    for await (const child of found) kids.set(child.jobId, child);
  }
  const stale = [...summaries.values(), ...kids.values()].filter((s) => {
    const known = cache.get(s.jobId);
    return !known || !FINISHED.includes(known.status) || known.status !== (s.status ?? known.status);
  }).map((s) => s.jobId);
  for (const detail of await describeInBatches(backend, stale, signal)) cache.set(detail.jobId, detail);
  for (const id of cache.keys()) if (!summaries.has(id) && !kids.has(id)) cache.delete(id);
  const jobs = [...summaries.values()].map((s) => toRow(s, cache.get(s.jobId)))
    .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
  const snapshot: Snapshot = { queues: infos, queue, jobs, at };
  if (options.arrayJobId) {
    const children = [...kids.values()].map((s) => toRow(s, cache.get(s.jobId)))
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    snapshot.children = { parentId: options.arrayJobId, jobs: children };
  }
  return snapshot;
}
