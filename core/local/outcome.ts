/**
 * How an attempt's end decides the job's next state: SUCCEEDED on exit code 0; FAILED when killed (timeout,
 * terminate, supervisor shutdown) or failed by this machine (a full disk): never retried; FAILED when the retry
 * strategy says EXIT or the attempts are used up; otherwise back to RUNNABLE for another attempt. Status reasons follow AWS Batch's wording.
 * @module
 */
import type { AttemptRecord, JobRecord } from "./_types.ts";
import { shouldRetry } from "./retry.ts";
import type { ProcessExit } from "./runner.ts";
import { setStatus } from "./scheduler.ts";

/** How an attempt ended, as the supervisor saw it. */
export interface AttemptEnd extends ProcessExit {
  /** Why the supervisor killed it, if it did. */
  killed?: "timeout" | "terminate" | "shutdown";
}

/** Records the end of `attempt` and moves `job` on (SUCCEEDED, FAILED or RUNNABLE for a retry). */
export function finishAttempt(
  job: JobRecord,
  attempt: AttemptRecord,
  end: AttemptEnd,
  now: number,
  shutdownReason?: string,
): void {
  attempt.stoppedAt = now;
  attempt.startedAt ??= now;
  if (end.exitCode !== undefined) attempt.exitCode = end.exitCode;
  if (end.reason !== undefined) attempt.reason = end.reason;
  let statusReason = "Essential container in task exited";
  if (end.reason?.startsWith("CannotStartContainerError")) statusReason = "Task failed to start";
  if (end.killed === "timeout") statusReason = "Job attempt duration exceeded timeout";
  if (end.killed === "terminate") statusReason = job.terminateRequest ?? "Terminated";
  if (end.killed === "shutdown") statusReason = shutdownReason ?? "The local supervisor stopped";
  if (end.fault !== undefined) statusReason = end.fault;
  attempt.statusReason = statusReason;
  const requested = job.terminateRequest;
  delete job.terminateRequest;
  if (end.killed || end.fault !== undefined) {
    // A machine fault (e.g. a full disk) is not the job's doing, and a retry would meet the same full disk.
    if (end.killed === "terminate" || requested) job.isTerminated = true;
    setStatus(job, "FAILED", now, statusReason);
  } else if (end.exitCode === 0) {
    setStatus(job, "SUCCEEDED", now, statusReason);
  } else if (
    shouldRetry(job.retryStrategy, job.attempts.length, { exitCode: end.exitCode, reason: end.reason, statusReason })
  ) {
    setStatus(job, "RUNNABLE", now, `Retrying after attempt ${attempt.attempt}: ${exitText(end)}`);
  } else {
    setStatus(job, "FAILED", now, statusReason);
  }
}

function exitText(exit: ProcessExit): string {
  return exit.exitCode !== undefined ? `exit code ${exit.exitCode}` : exit.reason ?? "no exit code";
}
