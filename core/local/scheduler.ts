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
import type { JobRecord, JobSpec, LocalState } from "./_types.ts";
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

/** What a job runs: its own spec, or its parent's for an array child. */
export function specOf(state: LocalState, job: JobRecord): JobSpec {
  const spec = job.spec ?? (job.parentId ? state.jobs[job.parentId]?.spec : undefined);
  if (!spec) throw new Error(`Job '${job.jobId}' has no spec in the local state`);
  return spec;
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

/**
 * One scheduling step. Returns the RUNNABLE jobs that may start now (the caller moves them to STARTING) and the
 * ids of the jobs it changed (what the caller records).
 */
export function advance(state: LocalState, now: number, budget: Budget): { start: JobRecord[]; touched: Set<string> } {
  const jobs = Object.values(state.jobs);
  const moved = new Set<string>();
  const touched = new Set<string>();
  const runnable: JobRecord[] = [];
  for (const job of jobs) {
    if (job.arraySize !== undefined) continue;
    if (job.status === "RUNNABLE") runnable.push(job);
    else if (job.status === "SUBMITTED") {
      setStatus(job, "PENDING", now);
      moved.add(job.jobId);
    } else if (job.status === "PENDING") {
      const deps = job.waitFor.map((id) => [id, state.jobs[id]] as const);
      const failed = deps.find(([, dep]) => !dep || dep.status === "FAILED");
      if (failed) setStatus(job, "FAILED", now, `Dependent Job failed: ${failed[0]}`);
      else if (deps.every(([, dep]) => dep?.status === "SUCCEEDED")) setStatus(job, "RUNNABLE", now);
      else continue;
      moved.add(job.jobId);
    }
  }
  for (const parent of jobs) {
    if (parent.arraySize === undefined || isDone(parent.status)) continue;
    if (parent.status === "SUBMITTED") {
      setStatus(parent, "PENDING", now);
      touched.add(parent.jobId);
      continue;
    }
    const children = childrenOf(state, parent);
    let first: number | undefined;
    for (const child of children) {
      if (child.startedAt !== undefined && (first === undefined || child.startedAt < first)) first = child.startedAt;
    }
    if (first !== undefined && parent.startedAt !== first) {
      parent.startedAt = first;
      touched.add(parent.jobId);
    }
    if (!children.every((c) => isDone(c.status))) continue;
    touched.add(parent.jobId);
    const failed = children.filter((c) => c.status === "FAILED").length;
    if (failed === 0) setStatus(parent, "SUCCEEDED", now, "Array Child Jobs succeeded");
    else setStatus(parent, "FAILED", now, `Array Child Job failed: ${failed} of ${children.length} children failed`);
  }
  for (const id of moved) touched.add(id);
  const start = pickRunnable(state, runnable, now, budget, touched);
  return { start, touched };
}

function pickRunnable(
  state: LocalState,
  runnable: JobRecord[],
  now: number,
  budget: Budget,
  touched: Set<string>,
): JobRecord[] {
  const used = { vcpus: 0, memory: 0 };
  for (const job of Object.values(state.jobs)) {
    if (job.status === "STARTING" || job.status === "RUNNING") {
      const spec = specOf(state, job);
      used.vcpus += spec.vcpus;
      used.memory += spec.memory;
    }
  }
  // The sort is what a step costs with thousands of jobs waiting: skip it while the budget is full.
  if (used.vcpus >= budget.vcpus || used.memory >= budget.memory) {
    runnable = runnable.filter((job) => {
      const spec = specOf(state, job);
      return spec.vcpus > budget.vcpus || spec.memory > budget.memory;
    });
  }
  const priorities = new Map(state.queues.map((q) => [q.jobQueueName, q.priority]));
  const priority = (job: JobRecord) => priorities.get(nameOf(job.jobQueue)) ?? 0;
  runnable.sort((a, b) =>
    priority(b) - priority(a) || a.createdAt - b.createdAt || (a.arrayIndex ?? 0) - (b.arrayIndex ?? 0)
  );
  const picked: JobRecord[] = [];
  for (const job of runnable) {
    const spec = specOf(state, job);
    if (spec.vcpus > budget.vcpus || spec.memory > budget.memory) {
      setStatus(
        job,
        "FAILED",
        now,
        `Job asks for ${spec.vcpus} vCPU and ${spec.memory} MiB but the local budget is ${budget.vcpus} vCPU ` +
          `and ${budget.memory} MiB: lower the job's resources or raise the budget`,
      );
      touched.add(job.jobId);
      continue;
    }
    const queue = state.queues.find((q) => q.jobQueueName === job.jobQueue);
    if (!queue || !enabledEnvironment(state, queue)) {
      const why = `No ENABLED compute environment in queue '${job.jobQueue}'`;
      if (job.statusReason !== why) {
        job.statusReason = why;
        touched.add(job.jobId);
      }
      continue;
    }
    if (used.vcpus + spec.vcpus > budget.vcpus || used.memory + spec.memory > budget.memory) continue;
    used.vcpus += spec.vcpus;
    used.memory += spec.memory;
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
