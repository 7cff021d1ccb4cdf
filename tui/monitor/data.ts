/**
 * What one monitor refresh fetches: queues with their compute environments, the selected queue's jobs in every
 * state, and details (DescribeJobs, at most 100 ids per call) of the jobs that may still change.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import {
  type ComputeEnvironment,
  JOB_STATUSES,
  type JobDetail,
  type JobQueue,
  type JobStatus,
  type JobSummary,
} from "../../core/backend_types.ts";
import { AwsCallError } from "../../core/errors.ts";
import type { EnvInfo, JobRow, QueueInfo, RunRef, Snapshot } from "./state.ts";

/** Most ids one DescribeJobs call takes. */
export const DESCRIBE_BATCH = 100;

const FINISHED: JobStatus[] = ["SUCCEEDED", "FAILED"];
const THROTTLE_CODES = ["TooManyRequestsException", "ThrottlingException", "Throttling", "RequestLimitExceeded"];

/** True when an error means the service throttled us. */
export function isThrottle(error: unknown): boolean {
  if (error instanceof AwsCallError) return THROTTLE_CODES.includes(error.code ?? "");
  return error instanceof Error && THROTTLE_CODES.includes(error.name);
}

/** Details kept between refreshes: a job that ended does not change any more. */
export type DetailCache = Map<string, JobDetail>;

async function allQueues(backend: Backend, signal?: AbortSignal): Promise<JobQueue[]> {
  const out: JobQueue[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.describeJobQueues(undefined, { signal, ...(nextToken ? { nextToken } : {}) });
    out.push(...page.jobQueues);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

async function allEnvironments(backend: Backend, signal?: AbortSignal): Promise<ComputeEnvironment[]> {
  const out: ComputeEnvironment[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.describeComputeEnvironments(undefined, { signal, ...(nextToken ? { nextToken } : {}) });
    out.push(...page.computeEnvironments);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Every job of a queue in one state (all pages). */
export async function jobsInState(
  backend: Backend,
  jobQueue: string,
  jobStatus: JobStatus,
  signal?: AbortSignal,
): Promise<JobSummary[]> {
  const out: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.listJobs(
      { jobQueue, jobStatus },
      { signal, maxResults: 1000, ...(nextToken ? { nextToken } : {}) },
    );
    out.push(...page.jobs);
    nextToken = page.nextToken;
  } while (nextToken);
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

/** The run a job belongs to, from its `ezbatch:workflow`, `ezbatch:run` and `ezbatch:job` tags. */
export function runOf(detail: JobDetail | undefined): RunRef | undefined {
  const tags = detail?.tags;
  const workflow = tags?.["ezbatch:workflow"];
  const run = tags?.["ezbatch:run"];
  if (!workflow || !run) return undefined;
  return { workflow, run, job: tags["ezbatch:job"] ?? "" };
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
  return row;
}

/** Every job of a queue in the given states (default all), newest first. */
export async function listQueueJobs(
  backend: Backend,
  queue: string,
  options: { statuses?: readonly JobStatus[]; signal?: AbortSignal } = {},
): Promise<JobSummary[]> {
  const statuses = options.statuses ?? JOB_STATUSES;
  const lists = await Promise.all(statuses.map((status) => jobsInState(backend, queue, status, options.signal)));
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
  },
): Promise<Snapshot> {
  const { cache, signal } = options;
  const [queues, envs] = await Promise.all([allQueues(backend, signal), allEnvironments(backend, signal)]);
  const envByName = new Map(envs.map((e) => [e.computeEnvironmentName, e]));
  const infos = queues.map((q) => queueInfo(q, envByName)).sort((a, b) => a.name.localeCompare(b.name));
  let queue = options.queue && infos.some((q) => q.name === options.queue) ? options.queue : undefined;
  let listed: JobSummary[] | undefined;
  if (!queue && options.pickBusy) {
    const run = options.runId ? `-${options.runId}-` : undefined;
    let first: [string, JobSummary[]] | undefined;
    for (const info of infos) {
      const jobs = await listQueueJobs(backend, info.name, { ...(signal ? { signal } : {}) });
      if (jobs.length) first ??= [info.name, jobs];
      if (jobs.length && (!run || jobs.some((j) => j.jobName.includes(run)))) [queue, listed] = [info.name, jobs];
      if (queue) break;
    }
    if (!queue && first) [queue, listed] = first;
  }
  queue ??= infos[0]?.name;
  const at = (options.now ?? Date.now)();
  if (!queue) return { queues: infos, jobs: [], at };
  listed ??= await listQueueJobs(backend, queue, { ...(signal ? { signal } : {}) });
  const summaries = new Map<string, JobSummary>();
  for (const job of listed) summaries.set(job.jobId, job);
  const stale = [...summaries.values()].filter((s) => {
    const known = cache.get(s.jobId);
    return !known || !FINISHED.includes(known.status) || known.status !== (s.status ?? known.status);
  }).map((s) => s.jobId);
  for (const detail of await describeInBatches(backend, stale, signal)) cache.set(detail.jobId, detail);
  for (const id of cache.keys()) if (!summaries.has(id)) cache.delete(id);
  const jobs = [...summaries.values()].map((s) => toRow(s, cache.get(s.jobId)))
    .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
  return { queues: infos, queue, jobs, at };
}
