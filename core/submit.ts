/**
 * The submission engine: executes a plan against any backend. Each definition is submitted by its content-addressed
 * name and registered only when the service has none (`_submit_definitions.ts`); each job is submitted as soon as its dependencies' ids are known, with bounded
 * concurrency and a shared request-rate limit; throttling is retried with jittered backoff; a network error on
 * SubmitJob is followed by a lookup by the run-scoped job name, so a retry never creates a duplicate. If anything
 * fails (or the caller aborts), nothing more is submitted and what this run submitted is terminated.
 * @module
 */
import { checkQueuesReady } from "./preflight.ts";
import type { Backend } from "./backend.ts";
import type { SubmittedJob } from "./backend_types.ts";
import { SubmissionError, type SubmittedJobRef, WorkflowError } from "./errors.ts";
import type { EZBatchWorkflow } from "./model.ts";
import { type Plan, type PlannedSubmission, type PlanOptions, planWorkflow, submitJobRequest } from "./plan.ts";
import { type Clock, RateLimiter, systemClock } from "./rate_limiter.ts";
import { Caller } from "./_caller.ts";
import { findJobByName, pool } from "./_jobs.ts";
import { DefinitionResolver } from "./_submit_definitions.ts";
import { RUN_TAG } from "./run_tags.ts";

/** Progress of a submission, reported after each job is submitted (and once before the first). */
export interface SubmitProgress {
  /** Jobs submitted so far. */
  submitted: number;
  /** Jobs in the run. */
  total: number;
  /** The job just submitted (absent in the first report). */
  job?: string;
  /** Its id. */
  jobId?: string;
}

/** Options of {@link submitWorkflow} (plus the {@link PlanOptions} when given a workflow). */
export interface SubmitOptions extends PlanOptions {
  /** Most calls in flight at once (default 16). */
  concurrency?: number;
  /** Most calls in any one-second window, shared by all calls (default 50, AWS's SubmitJob quota; see RateLimiter). */
  ratePerSecond?: number;
  /** A limiter to share with other work instead (overrides `ratePerSecond`). */
  rateLimiter?: RateLimiter;
  /** Tries per call when throttled or after a network error, the first included (default 10). */
  maxAttempts?: number;
  /** Leave the jobs already submitted running when the submission fails (default false: terminate them). */
  keepOnFailure?: boolean;
  /** Stops the submission: nothing more is submitted, and what was is terminated (unless `keepOnFailure`). */
  signal?: AbortSignal;
  /** Called with the progress; an exception thrown here fails the submission. */
  onProgress?: (progress: SubmitProgress) => void;
  /** Clock of the limiter and the backoff (default: the real one). */
  clock?: Clock;
  /**
   * Jobs of the run that exist already (kept by a resume), by workflow job name: they are not submitted, and the
   * plan's jobs that wait for them use these ids. Every dependency of the plan must be in the plan or here.
   */
  keptJobs?: Readonly<Record<string, string>>;
}

/** A submitted run of a workflow. */
export interface Run {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** When it was planned, epoch ms. */
  createdAt: number;
  /** Job id by the workflow's job name, for the jobs this call submitted. */
  jobs: Record<string, string>;
  /** AWS job name by the workflow's job name. */
  jobNames: Record<string, string>;
  /** The queues the run's jobs went to. */
  queues: string[];
  /** Definitions registered for this run (`name:revision`) and reused from before (by name: the newest ACTIVE). */
  definitions: { registered: string[]; reused: string[] };
  /** Retries the submission needed. */
  retries: { throttled: number; transient: number };
}

interface Context {
  backend: Backend;
  plan: Plan;
  caller: Caller;
  stop: AbortController;
  concurrency: number;
  ids: Record<string, string>;
  uncertain: Set<string>;
  definitions: DefinitionResolver;
  failure?: { error: unknown; job?: string };
  options: SubmitOptions;
}

/**
 * Submits a workflow (planning it first) or a plan, and returns the run.
 *
 * @param backend Where to submit (AwsBackend, LocalBackend, a fake).
 * @param target A validated workflow, or a plan from {@link planWorkflow} (submit a plan once: its run id names
 *   the jobs, and a second submission of it would be taken for the first after a network error).
 * @param options Plan options (when given a workflow), concurrency, rate, retries, abort signal, progress.
 * @returns The run: its id and the id of every job.
 * @throws {WorkflowError} When the workflow cannot be planned (nothing is called).
 * @throws {SubmissionError} When a call fails for good or the signal aborts: lists what was submitted and what was
 *   terminated; `cause` is the original error.
 * @example
 * ```ts ignore
 * import { type Backend, submitWorkflow } from "./mod.ts";
 * declare const backend: Backend; // an AwsBackend, a LocalBackend, ...
 * const step = {
 *   image: "alpine:3.20", command: "echo hi", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "EC2" as const, tags: {}, preloader: false,
 * };
 * const run = await submitWorkflow(backend, {
 *   name: "demo", queue: "my-queue", jobs: { a: step, b: step }, dependencies: { b: [{ job: "a" }] },
 * }, { onProgress: (p) => console.error(`${p.submitted}/${p.total}`) });
 * console.log(run.runId, run.jobs); // e.g. "k3x9a0qz" { a: "…", b: "…" }
 * ```
 */
export async function submitWorkflow(
  backend: Backend,
  target: EZBatchWorkflow | Plan,
  options: SubmitOptions = {},
): Promise<Run> {
  const plan = "submissions" in target ? target : planWorkflow(target, backendPlanDefaults(backend, target, options));
  const kept = options.keptJobs ?? {};
  checkPlan(plan, kept);
  const clock = options.clock ?? systemClock;
  const limiter = options.rateLimiter ??
    new RateLimiter({ ratePerSecond: options.ratePerSecond ?? 50, clock });
  const caller = new Caller({
    limiter,
    clock,
    random: options.random ?? Math.random,
    maxAttempts: options.maxAttempts ?? 10,
  });
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const ctx: Context = {
    backend,
    plan,
    caller,
    stop,
    concurrency: Math.max(1, options.concurrency ?? 16),
    ids: { ...kept },
    uncertain: new Set(),
    definitions: new DefinitionResolver(backend, caller, plan.definitions, stop.signal),
    options,
  };
  try {
    // A missing or DISABLED queue fails the run before anything is submitted, not after the jobs before it.
    await caller.call(() => checkQueuesReady(backend, plan, { signal: stop.signal }), { signal: stop.signal });
    options.onProgress?.({ submitted: 0, total: plan.submissions.length });
    await submitAll(ctx);
    if (ctx.failure) throw ctx.failure.error;
    return {
      workflow: plan.workflow,
      runId: plan.runId,
      createdAt: plan.createdAt,
      jobs: Object.fromEntries(plan.submissions.map((s) => [s.job, ctx.ids[s.job]!])),
      jobNames: Object.fromEntries(plan.submissions.map((s) => [s.job, s.jobName])),
      queues: [...new Set(plan.submissions.map((s) => s.jobQueue))],
      definitions: { registered: ctx.definitions.registered.sort(), reused: ctx.definitions.reused.sort() },
      retries: { throttled: caller.throttled, transient: caller.transient },
    };
  } catch (error) {
    throw await rollback(ctx, error);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** A hand-made plan must name a planned definition in every submission, and a known job in every dependency. */
function checkPlan(plan: Plan, kept: Readonly<Record<string, string>>): void {
  const known = new Set(plan.definitions.map((d) => d.name));
  const orphan = plan.submissions.find((s) => !known.has(s.jobDefinition));
  if (orphan) {
    throw new WorkflowError({
      job: orphan.job,
      message: `The plan has no definition '${orphan.jobDefinition}' for job '${orphan.job}': ` +
        "make plans with planWorkflow()",
    });
  }
  const jobs = new Set(plan.submissions.map((s) => s.job));
  for (const s of plan.submissions) {
    const dep = s.dependsOn.find((d) => !jobs.has(d.job) && kept[d.job] === undefined);
    if (dep) {
      throw new WorkflowError({
        job: s.job,
        message: `Job '${s.job}' waits for '${dep.job}', which is neither in the plan nor among the kept jobs`,
      });
    }
  }
}

/** Submits every job as soon as all the jobs it waits for have ids, at most `concurrency` at a time. */
function submitAll(ctx: Context): Promise<void> {
  const { plan, stop } = ctx;
  const byName = new Map(plan.submissions.map((s) => [s.job, s]));
  const waiting = new Map(
    plan.submissions.map((
      s,
    ) => [s.job, new Set(s.dependsOn.map((d) => d.job).filter((d) => d !== s.job && byName.has(d)))]),
  );
  const dependents = new Map<string, string[]>(plan.submissions.map((s) => [s.job, []]));
  for (const s of plan.submissions) for (const dep of waiting.get(s.job)!) dependents.get(dep)?.push(s.job);
  const ready = plan.submissions.filter((s) => waiting.get(s.job)!.size === 0);
  let submitted = 0;
  return new Promise<void>((resolve) => {
    let inFlight = 0;
    const pump = () => {
      while (!ctx.failure && !stop.signal.aborted && inFlight < ctx.concurrency && ready.length) {
        const s = ready.shift()!;
        inFlight++;
        ctx.definitions.submitWith(s.jobDefinition, (definition) => submitOne(ctx, s, definition))
          .then((jobId) => {
            ctx.ids[s.job] = jobId;
            ctx.options.onProgress?.({ submitted: ++submitted, total: plan.submissions.length, job: s.job, jobId });
            for (const next of dependents.get(s.job)!) {
              const left = waiting.get(next)!;
              left.delete(s.job);
              if (left.size === 0) ready.push(byName.get(next)!);
            }
          })
          .catch((error) => {
            // A wait cut short by the stop (Ctrl-C, or another job's failure) sent nothing: not this job's fault.
            if (stop.signal.aborted && error === stop.signal.reason) return;
            ctx.failure ??= { error, job: s.job };
            stop.abort(error);
          })
          .finally(() => {
            inFlight--;
            pump();
          });
      }
      if (inFlight === 0) {
        if (stop.signal.aborted && !ctx.failure) ctx.failure = { error: stop.signal.reason };
        resolve();
      }
    };
    stop.signal.addEventListener("abort", pump, { once: true });
    pump();
  });
}

async function submitOne(ctx: Context, s: PlannedSubmission, definition: string): Promise<string> {
  const { backend, caller, stop } = ctx;
  const request = submitJobRequest(s, { definition, jobIds: ctx.ids });
  const result: SubmittedJob = await caller.call(() => backend.submitJob(request), {
    signal: stop.signal,
    // The call may have reached AWS: until we know better, this job may exist.
    onFailure: (kind) => kind === "transient" && ctx.uncertain.add(s.job),
    beforeRetry: async (kind) => {
      if (kind !== "transient") return undefined;
      const found = await findSubmitted(ctx, s, stop.signal);
      return found && { jobId: found.jobId, jobName: found.jobName };
    },
  });
  ctx.uncertain.delete(s.job);
  return result.jobId;
}

/**
 * The job a lost SubmitJob reply may have created, found by its name. A resubmission by resume is also checked by
 * its tags: job `a`'s second attempt and a job named `a-2` could share a name.
 */
async function findSubmitted(ctx: Context, s: PlannedSubmission, signal?: AbortSignal) {
  const { backend, caller } = ctx;
  const found = await findJobByName(backend, caller, s.jobQueue, s.jobName, signal);
  const attempt = s.tags[RUN_TAG.attempt];
  if (!found || attempt === undefined) return found;
  const [detail] = await caller.call(() => backend.describeJobs([found.jobId], { signal }), { signal });
  const tags = detail?.tags ?? {};
  return tags[RUN_TAG.job] === s.job && tags[RUN_TAG.attempt] === attempt ? found : undefined;
}

/** Terminates what this run submitted (unless kept) and builds the error that says so. */
async function rollback(ctx: Context, cause: unknown): Promise<SubmissionError> {
  const { plan, backend, caller, ids } = ctx;
  for (const job of ctx.uncertain) {
    const s = plan.submissions.find((p) => p.job === job)!;
    const found = await findSubmitted(ctx, s).catch(() => undefined);
    if (found) ids[job] = found.jobId;
  }
  const submitted: SubmittedJobRef[] = plan.submissions.filter((s) => ids[s.job]).map((s) => ({
    job: s.job,
    jobId: ids[s.job]!,
  }));
  const notSubmitted = plan.submissions.filter((s) => !ids[s.job]).map((s) => s.job);
  const terminated = new Set<string>();
  const notTerminated: (SubmittedJobRef & { error: string })[] = [];
  const kept = ctx.options.keepOnFailure === true;
  if (!kept) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const reason = `ezbatch: submission of run '${plan.runId}' failed: ${why}`.slice(0, 1024);
    await pool(submitted, ctx.concurrency, async (ref) => {
      try {
        await caller.call(() => backend.terminateJob(ref.jobId, reason));
        terminated.add(ref.job);
      } catch (error) {
        notTerminated.push({ ...ref, error: error instanceof Error ? error.message : String(error) });
      }
    });
  }
  return new SubmissionError({
    workflow: plan.workflow,
    runId: plan.runId,
    submitted,
    terminated: submitted.filter((r) => terminated.has(r.job)),
    notTerminated,
    notSubmitted,
    kept,
    ...(ctx.failure?.job !== undefined && ctx.failure.error === cause ? { failedJob: ctx.failure.job } : {}),
  }, { cause });
}

/**
 * A backend may say what a plan needs that it provides itself (`LocalBackend.planDefaults`: no execution role, the
 * queue `ezbatch-local`), as `ezbatch --local` does: the queue when none is given, and the roles only when a job runs
 * on Fargate (the same requests, and so the same run digests, as the CLI's). Given options win.
 */
export function backendPlanDefaults<T extends PlanOptions>(backend: Backend, workflow: EZBatchWorkflow, options: T): T {
  const defaults = (backend as { planDefaults?: { executionRoleArn?: string; queue?: string } }).planDefaults;
  if (!defaults) return options;
  const out: T = { ...options };
  if (!out.queue && defaults.queue) out.queue = defaults.queue;
  const fargate = Object.values(workflow.jobs).some((j) => j.platform === "FARGATE");
  if (fargate && !out.executionRoleArn && defaults.executionRoleArn) {
    out.executionRoleArn = defaults.executionRoleArn;
    out.jobRoleArn ??= defaults.executionRoleArn;
  }
  return out;
}
