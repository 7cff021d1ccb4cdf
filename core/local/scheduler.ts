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
import { raiseBudgetHint } from "./options.ts";
import { nodeSpec } from "./nodes.ts";

/** The resources jobs may use at the same time. */
export interface Budget {
  /** vCPUs. */
  vcpus: number;
  /** Memory in MiB. */
  memory: number;
}

/** Default budget: this machine's cores and memory (MiB). */
export function machineBudget(): Budget {
  return {
    vcpus: navigator.hardwareConcurrency || 1,
    memory: Math.floor(Deno.systemMemoryInfo().total / 1024 / 1024),
  };
}

/** True for SUCCEEDED and FAILED. */
export function isDone(status: JobStatus): boolean {
  return status === "SUCCEEDED" || status === "FAILED";
}

/** What a job runs: its own spec, or its parent's for an array child (its node range's for a node). */
export function specOf(state: LocalState, job: JobRecord): JobSpec {
  const spec = job.spec ?? (job.parentId ? state.jobs[job.parentId]?.spec : undefined);
  if (!spec) throw new Error(`Job '${job.jobId}' has no spec in the local state`);
  return spec.nodeSegments && !job.spec ? nodeSpec(spec, job.arrayIndex) : spec;
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
 * ids of the jobs it changed (what the caller records). `live`, when given, names every job not yet SUCCEEDED or
 * FAILED (the supervisor keeps that set): ended jobs never change again, so the step need not visit them. One pass over the jobs with cheap work per job: with ten
 * thousand array children a step runs after every job that ends, so nothing here sorts or rebuilds them all.
 */
export function advance(
  state: LocalState,
  now: number,
  budget: Budget,
  live?: Iterable<string>,
): { start: JobRecord[]; touched: Set<string> } {
  const touched = new Set<string>();
  const runnable: JobRecord[] = [];
  const used = { vcpus: 0, memory: 0 };
  const parents: JobRecord[] = [];
  const openChildren = new Map<string, number>();
  const firstStart = new Map<string, number>();
  const visit = (job: JobRecord) => {
    if (job.arraySize !== undefined) {
      if (!isDone(job.status)) parents.push(job);
      return;
    }
    if (job.status === "RUNNABLE") runnable.push(job);
    else if (job.status === "STARTING" || job.status === "RUNNING") {
      const spec = specOf(state, job);
      used.vcpus += spec.vcpus;
      used.memory += spec.memory;
    } else if (job.status === "SUBMITTED") {
      setStatus(job, "PENDING", now);
      touched.add(job.jobId);
    } else if (job.status === "PENDING") {
      const deps = job.waitFor.map((id) => [id, state.jobs[id]] as const);
      const failed = deps.find(([, dep]) => !dep || dep.status === "FAILED");
      const next = failed ? "FAILED" : deps.every(([, dep]) => dep?.status === "SUCCEEDED") ? "RUNNABLE" : undefined;
      if (next) touched.add(job.jobId);
      if (next === "FAILED") setStatus(job, "FAILED", now, `Dependent Job failed: ${failed![0]}`);
      else if (next) setStatus(job, next, now);
    }
    const parentId = job.parentId;
    if (parentId === undefined) return;
    if (!isDone(job.status)) openChildren.set(parentId, (openChildren.get(parentId) ?? 0) + 1);
    const first = firstStart.get(parentId);
    if (job.startedAt !== undefined && (first === undefined || job.startedAt < first)) {
      firstStart.set(parentId, job.startedAt);
    }
  };
  if (live) {
    for (const id of live) {
      const job = state.jobs[id];
      if (job) visit(job);
    }
  } else for (const job of Object.values(state.jobs)) visit(job);
  for (const parent of parents) {
    if (parent.status === "SUBMITTED") {
      setStatus(parent, "PENDING", now);
      touched.add(parent.jobId);
      continue;
    }
    const first = firstStart.get(parent.jobId);
    if (first !== undefined && (parent.startedAt === undefined || first < parent.startedAt)) {
      parent.startedAt = first;
      touched.add(parent.jobId);
    }
    if ((openChildren.get(parent.jobId) ?? 0) > 0) continue;
    touched.add(parent.jobId);
    const children = childrenOf(state, parent);
    const failed = children.filter((c) => c.status === "FAILED").length;
    if (failed === 0) setStatus(parent, "SUCCEEDED", now, "Array Child Jobs succeeded");
    else setStatus(parent, "FAILED", now, `Array Child Job failed: ${failed} of ${children.length} children failed`);
  }
  const start = pickRunnable(state, runnable, { now, budget, used, touched });
  return { start, touched };
}

interface Candidate {
  job: JobRecord;
  spec: JobSpec;
  priority: number;
}

/** True when `a` starts before `b`: higher queue priority, then older, then lower array index. */
function before(a: Candidate, b: Candidate): boolean {
  const order = b.priority - a.priority || a.job.createdAt - b.job.createdAt ||
    (a.job.arrayIndex ?? 0) - (b.job.arrayIndex ?? 0);
  return order < 0;
}

/**
 * The RUNNABLE jobs that fit the budget, in start order (a job that does not fit lets a smaller one behind it
 * start). Jobs bigger than the whole budget fail; jobs of a queue without an ENABLED environment get a reason.
 */
function pickRunnable(
  state: LocalState,
  runnable: JobRecord[],
  step: { now: number; budget: Budget; used: Budget; touched: Set<string> },
): JobRecord[] {
  const { now, budget, used, touched } = step;
  const queues = new Map<string, { priority: number; enabled: boolean }>();
  for (const queue of state.queues) {
    queues.set(queue.jobQueueName, { priority: queue.priority, enabled: !!enabledEnvironment(state, queue) });
  }
  const fits = (spec: JobSpec) => used.vcpus + spec.vcpus <= budget.vcpus && used.memory + spec.memory <= budget.memory;
  // Only jobs that fit the room left now are candidates: the room only shrinks as jobs are picked.
  const candidates: Candidate[] = [];
  for (const job of runnable) {
    const spec = specOf(state, job);
    if (spec.vcpus > budget.vcpus || spec.memory > budget.memory) {
      setStatus(
        job,
        "FAILED",
        now,
        `Job asks for ${spec.vcpus} vCPU and ${spec.memory} MiB but the local budget is ${budget.vcpus} vCPU ` +
          `and ${budget.memory} MiB: lower the job's resources or raise the budget${raiseBudgetHint(spec, budget)}`,
      );
      touched.add(job.jobId);
      continue;
    }
    const queue = queues.get(job.jobQueue);
    if (!queue?.enabled) {
      const why = `No ENABLED compute environment in queue '${job.jobQueue}'`;
      if (job.statusReason !== why) {
        job.statusReason = why;
        touched.add(job.jobId);
      }
      continue;
    }
    if (fits(spec)) candidates.push({ job, spec, priority: queues.get(nameOf(job.jobQueue))?.priority ?? 0 });
  }
  const picked: JobRecord[] = [];
  const take = (c: Candidate) => {
    used.vcpus += c.spec.vcpus;
    used.memory += c.spec.memory;
    picked.push(c.job);
  };
  // Usually only a few jobs fit (the ones whose budget was just freed): pick the first in order a few times, each
  // a linear scan; when more are passed over, sort what is left and go through it in order.
  for (let round = 0; candidates.length > 0; round++) {
    if (!candidates.some((c) => fits(c.spec))) break;
    if (round >= 16) {
      candidates.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      for (const c of candidates) if (fits(c.spec)) take(c);
      break;
    }
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (before(candidates[i]!, candidates[best]!)) best = i;
    const chosen = candidates[best]!;
    candidates[best] = candidates[candidates.length - 1]!;
    candidates.pop();
    if (fits(chosen.spec)) take(chosen);
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
