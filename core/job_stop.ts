/**
 * Stopping jobs the right way for their state: CancelJob only affects jobs that have not started, TerminateJob is
 * needed once they are STARTING or RUNNING, and finished jobs are left alone.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail, JobStatus } from "./backend_types.ts";
import { NotFoundError, UsageError } from "./errors.ts";

/** The reason sent when the caller gives none. */
export const DEFAULT_STOP_REASON = "Stopped by ezbatch";
/** The longest reason AWS Batch accepts. */
export const MAX_STOP_REASON_LENGTH = 1024;

/** What `stopJob()` did. */
export interface StopResult {
  /** The job. */
  jobId: string;
  /** The job's name. */
  jobName: string;
  /** The state the job was in when it was looked at. */
  status: JobStatus;
  /** `cancel` (not started), `terminate` (starting or running), or `none` (already finished). */
  action: "cancel" | "terminate" | "none";
  /** One sentence for people, e.g. `Cancelled job 'a' (was RUNNABLE)`. */
  message: string;
}

/** Options of `stopJob()` and `stopJobs()`. */
export interface StopOptions {
  /** Why (shown in the job's status reason); at most 1,024 characters. Default `Stopped by ezbatch`. */
  reason?: string;
  /** Aborts the calls. */
  signal?: AbortSignal;
}

const NOT_STARTED: readonly JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE"];

/**
 * Which call stops a job in this state: CancelJob before it starts, TerminateJob once it is STARTING or RUNNING
 * (or is an array parent whose children run), nothing once it finished.
 * @param detail The job's status and array properties.
 * @returns `cancel`, `terminate` or `none`.
 * @example
 * ```ts
 * import { stopActionFor } from "./mod.ts";
 * console.log(stopActionFor({ status: "RUNNABLE" }), stopActionFor({ status: "RUNNING" })); // cancel terminate
 * ```
 */
export function stopActionFor(detail: Pick<JobDetail, "status" | "arrayProperties">): StopResult["action"] {
  if (detail.status === "SUCCEEDED" || detail.status === "FAILED") return "none";
  const summary = detail.arrayProperties?.statusSummary;
  const childrenRunning = (summary?.STARTING ?? 0) + (summary?.RUNNING ?? 0) > 0;
  return NOT_STARTED.includes(detail.status) && !childrenRunning ? "cancel" : "terminate";
}

function checkReason(reason: string): void {
  if (reason.length > MAX_STOP_REASON_LENGTH) {
    throw new UsageError(
      `The stop reason is ${reason.length} characters long: AWS Batch accepts at most ${MAX_STOP_REASON_LENGTH}`,
    );
  }
}

async function stopDetail(backend: Backend, detail: JobDetail, reason: string, signal?: AbortSignal) {
  const action = stopActionFor(detail);
  const was = `(was ${detail.status})`;
  // Array children share their parent's name: the index tells the lines apart.
  const index = detail.arrayProperties?.index;
  const name = `job '${detail.jobName}'${index !== undefined ? ` child ${index}` : ""}`;
  if (action === "cancel") await backend.cancelJob(detail.jobId, reason, { signal });
  if (action === "terminate") await backend.terminateJob(detail.jobId, reason, { signal });
  const message = action === "cancel"
    ? `Cancelled ${name} ${was}`
    : action === "terminate"
    ? `Terminated ${name} ${was}`
    : `Left ${name} alone: it already ${detail.status === "SUCCEEDED" ? "succeeded" : "failed"}`;
  const result: StopResult = { jobId: detail.jobId, jobName: detail.jobName, status: detail.status, action, message };
  return result;
}

/**
 * Stops one job with the call its state needs: CancelJob for SUBMITTED, PENDING and RUNNABLE jobs, TerminateJob
 * for STARTING and RUNNING ones (and for array parents whose children run); a finished job is left alone.
 * @param backend The backend to use.
 * @param jobId The job.
 * @param options `reason` (default `Stopped by ezbatch`) and `signal`.
 * @returns What was done, with a sentence for people.
 * @throws {NotFoundError} When the job does not exist.
 * @throws {UsageError} When the reason is longer than 1,024 characters.
 * @example
 * ```ts ignore
 * import { AwsBackend, stopJob } from "./mod.ts";
 * const result = await stopJob(new AwsBackend(), "6b2e0c1e-0000-4000-8000-000000000000", { reason: "Wrong input" });
 * console.log(result.message); // e.g. Terminated job 'train' (was RUNNING)
 * ```
 */
export async function stopJob(backend: Backend, jobId: string, options: StopOptions = {}): Promise<StopResult> {
  const reason = options.reason ?? DEFAULT_STOP_REASON;
  checkReason(reason);
  const [detail] = await backend.describeJobs([jobId], { signal: options.signal });
  if (!detail) throw new NotFoundError(`Job '${jobId}' was not found`);
  return await stopDetail(backend, detail, reason, options.signal);
}

/**
 * Stops many jobs (a workflow run): one DescribeJobs per 100 ids, then the right call for each job, in order.
 * Ids that do not exist are reported in `missing` instead of failing the whole operation.
 * @param backend The backend to use.
 * @param jobIds The jobs.
 * @param options `reason` and `signal`.
 * @returns One result per existing job, and the ids that were not found.
 * @throws {UsageError} When the reason is longer than 1,024 characters.
 * @example
 * ```ts ignore
 * import { AwsBackend, stopJobs } from "./mod.ts";
 * const { results, missing } = await stopJobs(new AwsBackend(), ["id-1", "id-2"]);
 * for (const r of results) console.log(r.message);
 * console.log(missing);
 * ```
 */
export async function stopJobs(
  backend: Backend,
  jobIds: string[],
  options: StopOptions = {},
): Promise<{ results: StopResult[]; missing: string[] }> {
  const reason = options.reason ?? DEFAULT_STOP_REASON;
  checkReason(reason);
  const details = await backend.describeJobs(jobIds, { signal: options.signal });
  const byId = new Map(details.map((d) => [d.jobId, d]));
  const results: StopResult[] = [];
  const missing: string[] = [];
  for (const id of new Set(jobIds)) {
    const detail = byId.get(id);
    if (detail) results.push(await stopDetail(backend, detail, reason, options.signal));
    else missing.push(id);
  }
  return { results, missing };
}
