/**
 * Resume: finish a run in place, as Nextflow's `-resume` and Metaflow's `resume` do. Jobs that SUCCEEDED are kept,
 * jobs still in flight are kept and waited on by their ids, jobs never submitted are submitted, and FAILED (or
 * cancelled) jobs are submitted again as a new attempt of the same run, with everything that waits for them. A kept
 * job whose request differs from what the file asks now is refused (a run must not mix two versions of a pipeline)
 * unless `rerunChanged` submits it again too. Deciding is pure ({@link planResume}); {@link resumeWorkflow} acts.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobStatus } from "./backend_types.ts";
import { type Issue, WorkflowError } from "./errors.ts";
import { isFinished } from "./job_watch.ts";
import { stopJobs } from "./job_stop.ts";
import type { EZBatchWorkflow } from "./model.ts";
import { shortenName } from "./names.ts";
import { type Plan, type PlannedSubmission, planWorkflow } from "./plan.ts";
import { findRun, type FoundRun } from "./run.ts";
import { changedParts, DIGEST_PARTS, type DigestPart, parseRunTags, RUN_TAG } from "./run_tags.ts";
import { backendPlanDefaults, type Run, type SubmitOptions, submitWorkflow } from "./submit.ts";

/** What resume does with one job of the plan. */
export interface ResumeStep {
  /** The workflow's name for the job. */
  job: string;
  /** `keep` what exists (succeeded or in flight), or `submit` a new attempt. */
  action: "keep" | "submit";
  /** Why, in a few words: `SUCCEEDED`, `never submitted`, `FAILED: …`, `waits for 'b'`, `changed: command`. */
  reason: string;
  /** The job's latest attempt in the run, when there is one. */
  jobId?: string;
  /** Its state when resume looked. */
  status?: JobStatus;
  /** The attempt kept, or the attempt a submission makes (1 for a job never submitted). */
  attempt: number;
  /** The AWS job name of the new attempt. */
  jobName?: string;
  /** A job still in flight that the new attempt replaces: it is stopped first. */
  supersedes?: string;
}

/** Everything resume would do, decided before any call that changes anything. */
export interface ResumePlan {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** One step per job of the plan, in dependency order. */
  steps: ResumeStep[];
  /** The submissions to make (names and tags of their new attempts), with the definitions they need. */
  plan: Plan;
  /** Ids of the jobs kept, by workflow job name: the new submissions wait for these. */
  keptJobs: Record<string, string>;
}

/** Options of {@link resumeWorkflow}: the plan and submit options, plus where and how to look. */
export interface ResumeOptions extends SubmitOptions {
  /** The run to finish. */
  runId: string;
  /** Queues to search for the run's jobs (default: every queue of the account). */
  queues?: string[];
  /** Submit again the kept jobs whose request changed (and what waits for them) instead of refusing. */
  rerunChanged?: boolean;
}

/** What {@link resumeWorkflow} did. */
export interface ResumeResult {
  /** What was decided. */
  resume: ResumePlan;
  /** The submission of the new attempts, when there were any. */
  run?: Run;
  /** Every job of the run by workflow job name: kept ids and the new attempts' ids. */
  jobs: Record<string, string>;
  /** Jobs in flight that were stopped because a new attempt replaces them. */
  stopped: string[];
}

/** The words for a changed part, as the workflow file names it. */
const FIELD: Record<DigestPart, string> = {
  def: "image",
  cmd: "command",
  env: "environment",
  res: "vcpus/memory/gpus",
  deps: "dependencies",
  array: "matrix",
  retry: "retry",
  timeout: "timeout",
  sched: "priority/share",
};

/**
 * Decides what resuming a run means, from the run as found and the plan of the workflow file (with the run's id).
 *
 * @param found The run, from {@link findRun} with the workflow's job names.
 * @param plan The workflow planned with the run's id.
 * @param options `rerunChanged`: submit changed kept jobs again instead of refusing.
 * @returns The steps, the submissions to make and the ids to keep.
 * @throws {WorkflowError} Naming each kept job whose request differs from the file's, and the fields that do.
 * @example
 * ```ts
 * import { planResume, planWorkflow, summarizeRun } from "./mod.ts";
 * const job = {
 *   image: "alpine", command: "true", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "EC2" as const, tags: {}, preloader: false,
 * };
 * const plan = planWorkflow({ name: "w", queue: "q", jobs: { a: job, b: job }, dependencies: {} }, { runId: "r" });
 * const a = { job: "a", jobId: "1", jobName: "w-r-a", jobQueue: "q", status: "SUCCEEDED" as const };
 * const found = { workflow: "w", runId: "r", jobs: [a], missing: ["b"], plans: [], summary: summarizeRun([a]) };
 * console.log(planResume(found, plan).steps.map((s) => `${s.job}: ${s.action}`)); // ["a: keep", "b: submit"]
 * ```
 */
export function planResume(found: FoundRun, plan: Plan, options: { rerunChanged?: boolean } = {}): ResumePlan {
  const latest = new Map(found.jobs.map((j) => [j.job, j]));
  const planned = new Set(plan.submissions.map((s) => s.job));
  const issues: Issue[] = [];
  for (const j of found.jobs) {
    if (!planned.has(j.job) && !options.rerunChanged) {
      issues.push({
        job: j.job,
        message: `Run '${found.runId}' has a job '${j.job}' that the workflow file no longer has: ` +
          "resume the run with the file it was submitted with",
      });
    }
  }
  const resubmit = new Map<string, string>();
  for (const s of plan.submissions) {
    const j = latest.get(s.job);
    if (!j) resubmit.set(s.job, "never submitted");
    else if (j.status === "FAILED") resubmit.set(s.job, `FAILED${j.statusReason ? `: ${j.statusReason}` : ""}`);
    else {
      const changed = changedParts(j.digest, parseRunTags(s.tags).digest as Record<DigestPart, string>);
      if (!changed.length) continue;
      const fields = changed.map((p) => FIELD[p]);
      if (options.rerunChanged) resubmit.set(s.job, `changed: ${fields.join(", ")}`);
      else {
        issues.push({
          job: s.job,
          field: fields.join(", "),
          message: `Job '${s.job}' ran (attempt ${j.attempt ?? 1}, ${j.status}, job id ${j.jobId}) with another ` +
            `${changed.map((p) => DIGEST_PARTS[p]).join("; ")} than the file asks now: a resume must not mix two ` +
            "versions of a pipeline; pass --rerun-changed to submit it again with everything that waits for it",
        });
      }
    }
  }
  if (issues.length) throw new WorkflowError(issues);
  // Submissions are in dependency order: one pass carries a resubmission to everything downstream.
  for (const s of plan.submissions) {
    const dep = s.dependsOn.find((d) => d.job !== s.job && resubmit.has(d.job));
    if (dep && !resubmit.has(s.job)) resubmit.set(s.job, `waits for '${dep.job}'`);
  }
  const steps: ResumeStep[] = [];
  const submissions: PlannedSubmission[] = [];
  const keptJobs: Record<string, string> = {};
  for (const s of plan.submissions) {
    const j = latest.get(s.job);
    const reason = resubmit.get(s.job);
    const base = { job: s.job, ...(j ? { jobId: j.jobId, status: j.status } : {}) };
    if (reason === undefined) {
      keptJobs[s.job] = j!.jobId;
      steps.push({
        ...base,
        action: "keep",
        attempt: j!.attempt ?? 1,
        reason: isFinished(j!.status) ? j!.status : `in flight (${j!.status})`,
      });
      continue;
    }
    const attempt = j ? (j.attempt ?? 1) + 1 : 1;
    const next = attempt === 1 ? s : withAttempt(s, plan, attempt);
    submissions.push(next);
    steps.push({
      ...base,
      action: "submit",
      attempt,
      jobName: next.jobName,
      reason,
      ...(j && !isFinished(j.status) ? { supersedes: j.jobId } : {}),
    });
  }
  const used = new Set(submissions.map((s) => s.jobDefinition));
  const definitions = plan.definitions.filter((d) => used.has(d.name)).map((d) => ({
    ...d,
    jobs: d.jobs.filter((job) => resubmit.has(job)),
  }));
  return {
    workflow: plan.workflow,
    runId: plan.runId,
    steps,
    plan: { ...plan, definitions, submissions },
    keptJobs,
  };
}

/** A submission as attempt `attempt` of its job: its own AWS job name and an attempt tag. */
function withAttempt(s: PlannedSubmission, plan: Plan, attempt: number): PlannedSubmission {
  return {
    ...s,
    jobName: shortenName(`${plan.workflow}-${plan.runId}-${s.job}-${attempt}`),
    tags: { ...s.tags, [RUN_TAG.attempt]: String(attempt) },
  };
}

/**
 * Finds a run and decides what resuming it would do, without changing anything (`workflow resume --dry-run`).
 *
 * @param backend Where the run was submitted.
 * @param workflow The workflow file the run was submitted with (validated).
 * @param options The run id, queues to search, plan options, `rerunChanged`.
 * @returns What {@link resumeWorkflow} would do.
 * @throws {NotFoundError} When no job of the run exists (submit the workflow instead).
 * @throws {WorkflowError} When the workflow cannot be planned, or a kept job changed (see {@link planResume}).
 * @example
 * ```ts ignore
 * import { type Backend, type EZBatchWorkflow, prepareResume } from "./mod.ts";
 * declare const backend: Backend;
 * declare const workflow: EZBatchWorkflow;
 * const resume = await prepareResume(backend, workflow, { runId: "k3x9a0qz" });
 * for (const step of resume.steps) console.log(step.job, step.action, step.reason);
 * ```
 */
export async function prepareResume(
  backend: Backend,
  workflow: EZBatchWorkflow,
  options: ResumeOptions,
): Promise<ResumePlan> {
  const found = await findRun(backend, {
    workflow: workflow.name,
    runId: options.runId,
    jobNames: Object.keys(workflow.jobs),
    ...(options.queues ? { queues: options.queues } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const plan = planWorkflow(workflow, backendPlanDefaults(backend, workflow, { ...options, runId: options.runId }));
  return planResume(found, plan, { rerunChanged: options.rerunChanged === true });
}

/**
 * Finishes a run in place: keeps what succeeded or is still in flight, stops in-flight jobs that a new attempt
 * replaces, and submits what is missing or failed (and everything downstream of it) as new attempts of the same run.
 * Running it again right away submits nothing: it is idempotent.
 *
 * @param backend Where the run was submitted.
 * @param workflow The workflow file the run was submitted with (validated).
 * @param options The run id, queues to search, `rerunChanged`, and the options of {@link submitWorkflow}.
 * @returns What was decided, stopped and submitted, and every job's id.
 * @throws {NotFoundError} When no job of the run exists (submit the workflow instead).
 * @throws {WorkflowError} When a kept job changed and `rerunChanged` is not set; nothing is changed then.
 * @throws {SubmissionError} When a submission fails part way: what this resume submitted is terminated.
 * @example
 * ```ts ignore
 * import { type Backend, type EZBatchWorkflow, resumeWorkflow } from "./mod.ts";
 * declare const backend: Backend;
 * declare const workflow: EZBatchWorkflow;
 * const { resume, jobs } = await resumeWorkflow(backend, workflow, { runId: "k3x9a0qz" });
 * console.log(resume.steps.filter((s) => s.action === "submit").length, jobs);
 * ```
 */
export async function resumeWorkflow(
  backend: Backend,
  workflow: EZBatchWorkflow,
  options: ResumeOptions,
): Promise<ResumeResult> {
  const resume = await prepareResume(backend, workflow, options);
  const superseded = resume.steps.filter((s) => s.supersedes).map((s) => s.supersedes!);
  const stopped: string[] = [];
  if (superseded.length) {
    const reason = `ezbatch: replaced by a new attempt when run '${resume.runId}' was resumed`;
    const { results } = await stopJobs(backend, superseded, {
      reason,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    stopped.push(...results.filter((r) => r.action !== "none").map((r) => r.jobId));
  }
  const run = resume.plan.submissions.length
    ? await submitWorkflow(backend, resume.plan, { ...options, keptJobs: resume.keptJobs })
    : undefined;
  return { resume, ...(run ? { run } : {}), jobs: { ...resume.keptJobs, ...run?.jobs }, stopped };
}
