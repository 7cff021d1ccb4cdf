/**
 * The scheduling rules of the local backend as pure functions over the state: SUBMITTED -> PENDING -> RUNNABLE
 * (dependencies met) -> STARTING (fits the vCPU/memory budget); a failed dependency fails its dependents
 * (PENDING -> FAILED); an array parent is SUBMITTED, PENDING, then SUCCEEDED when every child succeeded or FAILED
 * once every child ended and one failed. Each job moves at most one step per tick, so every state is observable.
 * Cancel and terminate of jobs that have not started are also here; running jobs are the supervisor's.
 * @module
 */
import type { JobStatus } from "../backend_types.ts";
import { NotFoundError } from "../errors.ts";
import type { JobRecord, LocalState } from "./_types.ts";
import { enabledEnvironment, nameOf } from "./registry.ts";

/** The resources jobs may use at the same time. */
export interface Budget {
  /** vCPUs. */
  vcpus: number;
  /** Memory in MiB. */
  memory: number;
}

/** True for SUCCEEDED and FAILED. */
export function isDone(status: JobStatus): boolean {
  return status === "SUCCEEDED" || status === "FAILED";
}

/** Moves a job to `status`, recording the change. */
export function setStatus(job: JobRecord, status: JobStatus, now: number, reason?: string): void {
  job.status = status;
  if (reason !== undefined) job.statusReason = reason;
  else delete job.statusReason;
  if (isDone(status) && job.stoppedAt === undefined) job.stoppedAt = now;
  job.history.push({ status, at: now, ...(reason !== undefined ? { reason } : {}) });
}

/** The children of an array parent, in index order. */
export function childrenOf(state: LocalState, parent: JobRecord): JobRecord[] {
  const children: JobRecord[] = [];
  for (let i = 0; i < (parent.arraySize ?? 0); i++) {
    const child = state.jobs[`${parent.jobId}:${i}`];
    if (child) children.push(child);
  }
  return children;
}

/** One scheduling step; returns the RUNNABLE jobs that may start now (the caller moves them to STARTING). */
export function advance(state: LocalState, now: number, budget: Budget): JobRecord[] {
  const jobs = Object.values(state.jobs);
  const moved = new Set<string>();
  for (const job of jobs) {
    if (job.arraySize !== undefined) continue;
    if (job.status === "SUBMITTED") {
      setStatus(job, "PENDING", now);
      moved.add(job.jobId);
    } else if (job.status === "PENDING") {
      const deps = job.waitFor.map((id) => [id, state.jobs[id]] as const);
      const failed = deps.find(([, dep]) => !dep || dep.status === "FAILED");
      if (failed) setStatus(job, "FAILED", now, `Dependent Job failed: ${failed[0]}`);
      else if (deps.every(([, dep]) => dep?.status === "SUCCEEDED")) setStatus(job, "RUNNABLE", now);
      moved.add(job.jobId);
    }
  }
  for (const parent of jobs) {
    if (parent.arraySize === undefined || isDone(parent.status)) continue;
    if (parent.status === "SUBMITTED") {
      setStatus(parent, "PENDING", now);
      continue;
    }
    const children = childrenOf(state, parent);
    const started = children.map((c) => c.startedAt).filter((t): t is number => t !== undefined);
    if (started.length > 0) parent.startedAt = Math.min(...started);
    if (!children.every((c) => isDone(c.status))) continue;
    const failed = children.filter((c) => c.status === "FAILED").length;
    if (failed === 0) setStatus(parent, "SUCCEEDED", now, "Array Child Jobs succeeded");
    else setStatus(parent, "FAILED", now, `Array Child Job failed: ${failed} of ${children.length} children failed`);
  }
  return pickRunnable(state, jobs.filter((j) => j.status === "RUNNABLE" && !moved.has(j.jobId)), now, budget);
}

function pickRunnable(state: LocalState, runnable: JobRecord[], now: number, budget: Budget): JobRecord[] {
  const used = { vcpus: 0, memory: 0 };
  for (const job of Object.values(state.jobs)) {
    if (job.status === "STARTING" || job.status === "RUNNING") {
      used.vcpus += job.spec.vcpus;
      used.memory += job.spec.memory;
    }
  }
  const priority = (job: JobRecord) => state.queues.find((q) => q.jobQueueName === nameOf(job.jobQueue))?.priority ?? 0;
  runnable.sort((a, b) =>
    priority(b) - priority(a) || a.createdAt - b.createdAt || (a.arrayIndex ?? 0) - (b.arrayIndex ?? 0)
  );
  const picked: JobRecord[] = [];
  for (const job of runnable) {
    if (job.spec.vcpus > budget.vcpus || job.spec.memory > budget.memory) {
      setStatus(
        job,
        "FAILED",
        now,
        `Job asks for ${job.spec.vcpus} vCPU and ${job.spec.memory} MiB but the local budget is ${budget.vcpus} vCPU ` +
          `and ${budget.memory} MiB: lower the job's resources or raise the budget`,
      );
      continue;
    }
    const queue = state.queues.find((q) => q.jobQueueName === job.jobQueue);
    if (!queue || !enabledEnvironment(state, queue)) {
      const why = `No ENABLED compute environment in queue '${job.jobQueue}'`;
      if (job.statusReason !== why) job.statusReason = why;
      continue;
    }
    if (used.vcpus + job.spec.vcpus > budget.vcpus || used.memory + job.spec.memory > budget.memory) continue;
    used.vcpus += job.spec.vcpus;
    used.memory += job.spec.memory;
    picked.push(job);
  }
  return picked;
}

/** The job and, for an array parent, its children. Throws NotFoundError for an unknown id. */
function targets(state: LocalState, jobId: string): JobRecord[] {
  const job = state.jobs[jobId];
  if (!job) throw new NotFoundError(`Job '${jobId}' does not exist in the local state`);
  return job.arraySize === undefined ? [job] : [job, ...childrenOf(state, job)];
}

/** CancelJob: fails jobs that have not started (SUBMITTED, PENDING, RUNNABLE); others are left alone. */
export function cancelInState(state: LocalState, jobId: string, reason: string, now: number): void {
  for (const job of targets(state, jobId)) {
    if (job.arraySize !== undefined) continue;
    if (job.status === "SUBMITTED" || job.status === "PENDING" || job.status === "RUNNABLE") {
      job.isCancelled = true;
      setStatus(job, "FAILED", now, reason);
    }
  }
}

/** TerminateJob: fails jobs that have not started; asks the supervisor to kill STARTING and RUNNING ones. */
export function terminateInState(state: LocalState, jobId: string, reason: string, now: number): void {
  for (const job of targets(state, jobId)) {
    if (job.arraySize !== undefined || isDone(job.status)) continue;
    job.isTerminated = true;
    if (job.status === "STARTING" || job.status === "RUNNING") job.terminateRequest = reason;
    else setStatus(job, "FAILED", now, reason);
  }
}
