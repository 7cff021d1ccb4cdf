/**
 * The plan: the pure translation of a workflow into the calls that would run it. No I/O; given the same workflow,
 * options, run id and clock it returns the same plan, so `workflow plan` shows exactly what `submit` will do.
 * @module
 */
import type { ContainerOverrides, JobDefinitionInput, RetryStrategyProps, SubmitJobInput } from "./backend_types.ts";
import {
  definitionKey,
  type DefinitionOptions,
  jobOverrides,
  renderJobDefinition,
  retryStrategy,
} from "./definitions.ts";
import { type Issue, WorkflowError } from "./errors.ts";
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "./model.ts";
import { isValidJobName, shortenName } from "./names.ts";
import { checkLaunch, containerLaunch } from "../preloader/mod.ts";
import { topologicalOrder } from "./dag.ts";
import { submitBytes } from "./submit_request.ts";
import { nodeOverridesFor, submitFeatures } from "./job_features_render.ts";
import { formatDigest, planDigest, requestDigest, RUN_TAG, RUN_TAG_COUNT } from "./run_tags.ts";

export { submitJobRequest } from "./submit_request.ts";

/** Largest SubmitJob request AWS Batch accepts, in bytes. */
export const MAX_SUBMIT_BYTES = 30 * 1024;
/** Most tags a job may carry (its own plus ezbatch's). */
export const MAX_TAGS = 50;
/** Most dependencies a job may have. */
export const MAX_DEPENDENCIES = 20;
/** Run ids: 1–32 letters and digits (the default is 8 random lowercase letters and digits). */
export const RUN_ID_PATTERN: RegExp = /^[A-Za-z0-9]{1,32}$/;

/** Options of {@link planWorkflow}. */
export interface PlanOptions extends DefinitionOptions {
  /** The run id; default: 8 random characters `[a-z0-9]`. */
  runId?: string;
  /** Queue of jobs whose job and workflow name none. */
  queue?: string;
  /** Preloader: server-side encryption of uploads (e.g. `AES256`, `aws:kms`) when a mount does not say. */
  sse?: string;
  /** Preloader: KMS key for `aws:kms` uploads. */
  sseKmsKeyId?: string;
  /** Preloader: install the AWS CLI at run time when the image lacks it (needs internet access). */
  installAwsCli?: boolean;
  /** Clock in epoch ms, stamped on the plan (default `Date.now`). */
  now?: () => number;
  /** Random source for the default run id (default `Math.random`). */
  random?: () => number;
}

/** A job definition the run needs: registered unless an ACTIVE one with this name exists. */
export interface PlannedDefinition {
  /** Content-addressed name. */
  name: string;
  /** The RegisterJobDefinition request. */
  input: JobDefinitionInput;
  /** The workflow jobs that use it, in plan order. */
  jobs: string[];
}

/** One SubmitJob of the run, with its dependencies by workflow job name (ids are known only while submitting). */
export interface PlannedSubmission {
  /** The workflow's name for the job. */
  job: string;
  /** The AWS job name, `{workflow}-{run}-{job}` (shortened to 128 characters with a hash when longer). */
  jobName: string;
  /** The queue. */
  jobQueue: string;
  /** Name of the job definition (a {@link PlannedDefinition}). */
  jobDefinition: string;
  /** The workflow jobs this one waits for (a matrix job's `SEQUENTIAL` entry names the job itself). */
  dependsOn: JobDependency[];
  /** Set for a matrix job: one array job with a child per combination. */
  arrayProperties?: { size: number };
  /** Command, environment and size of this job. */
  containerOverrides: ContainerOverrides;
  /** Retry strategy, when the job has one. */
  retryStrategy?: RetryStrategyProps;
  /** Attempt timeout, when the job has one. */
  timeout?: { attemptDurationSeconds: number };
  /** Fair-share scheduling priority (`priority`), when the job has one. */
  schedulingPriorityOverride?: number;
  /** Fair-share share identifier (`share`), when the job has one. */
  shareIdentifier?: string;
  /**
   * A multi-node job's overrides, per node range: SubmitJob sends these instead of `containerOverrides` (which
   * the plan keeps, as what every node runs).
   */
  nodeOverrides?: SubmitJobInput["nodeOverrides"];
  /**
   * The job's tags plus the run's own (`core/run_tags.ts`): `ezbatch:workflow`, `ezbatch:run`, `ezbatch:job`,
   * `ezbatch:jobs` (jobs in the run), `ezbatch:plan` (the plan's digest), `ezbatch:digest` (this request's digest),
   * and `ezbatch:attempt` on a resubmission by resume.
   */
  tags: Record<string, string>;
  /** Tags go on to the ECS task. */
  propagateTags: true;
}

/** What submitting a workflow would do. */
export interface Plan {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** When the plan was made, epoch ms. */
  createdAt: number;
  /** Definitions needed, each once. */
  definitions: PlannedDefinition[];
  /** Submissions in dependency order (every job after the jobs it waits for). */
  submissions: PlannedSubmission[];
}

/**
 * Makes a run id of 8 random characters `[a-z0-9]`.
 *
 * @param random Random source in [0, 1) (default `Math.random`).
 * @returns The run id.
 * @example
 * ```ts
 * import { newRunId } from "./mod.ts";
 * console.log(newRunId()); // e.g. "k3x9a0qz"
 * ```
 */
export function newRunId(random: () => number = Math.random): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "";
  for (let i = 0; i < 8; i++) id += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  return id;
}

/**
 * Plans a workflow: the definitions it needs and every submission, in dependency order. Pure: no calls.
 *
 * @param workflow A validated workflow.
 * @param options Run id, default queue, roles, logging, networking and preloader settings.
 * @returns The plan.
 * @throws {WorkflowError} With every problem found: no queue, too many tags or dependencies, names AWS would
 *   refuse, cycles, a request over 30 KiB, a Fargate job without an execution role.
 * @example
 * ```ts
 * import { planWorkflow } from "./mod.ts";
 * const job = {
 *   image: "alpine:3.20", command: "echo hi", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "EC2" as const, tags: {}, preloader: false,
 * };
 * const plan = planWorkflow(
 *   { name: "demo", queue: "q", jobs: { a: job, b: job }, dependencies: { b: [{ job: "a" }] } },
 *   { runId: "r1" },
 * );
 * console.log(plan.definitions.length, plan.submissions.map((s) => s.jobName)); // 1 ["demo-r1-a", "demo-r1-b"]
 * ```
 */
export function planWorkflow(workflow: EZBatchWorkflow, options: PlanOptions = {}): Plan {
  const runId = options.runId ?? newRunId(options.random);
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new WorkflowError({ field: "runId", message: `Run id '${runId}' is not valid: use 1–32 letters and digits` });
  }
  const order = topologicalOrder(workflow);
  const issues: Issue[] = [];
  const definitions = new Map<string, PlannedDefinition>();
  const rendered = new Map<string, JobDefinitionInput>();
  const sizes = new Map<string, number>();
  const submissions: PlannedSubmission[] = [];
  for (const name of order) {
    const job = workflow.jobs[name]!;
    const jobIssues = planJobIssues(workflow, name, job, { ...options, runId });
    let definition: JobDefinitionInput;
    try {
      definition = renderCached(job, options, rendered);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      issues.push(...jobIssues, ...error.issues.map((i) => ({ ...i, job: name })));
      continue;
    }
    if (jobIssues.length) {
      issues.push(...jobIssues);
      continue;
    }
    const planned = definitions.get(definition.jobDefinitionName) ??
      { name: definition.jobDefinitionName, input: definition, jobs: [] };
    planned.jobs.push(name);
    definitions.set(planned.name, planned);
    const submission = planSubmission(workflow, name, job, runId, planned.name, options);
    const bytes = submitBytes(submission, sizes);
    if (bytes > MAX_SUBMIT_BYTES) {
      issues.push({
        job: name,
        message: `The SubmitJob request would be ${bytes} bytes: AWS Batch allows at most ${MAX_SUBMIT_BYTES} ` +
          "(shorten the environment, command or mounts)",
      });
    }
    submissions.push(submission);
  }
  if (issues.length) throw new WorkflowError(issues);
  tagShape(submissions);
  return {
    workflow: workflow.name,
    runId,
    createdAt: (options.now ?? Date.now)(),
    definitions: [...definitions.values()],
    submissions,
  };
}

function planJobIssues(workflow: EZBatchWorkflow, name: string, job: EZBatchJob, options: PlanOptions): Issue[] {
  const issues = checkLaunch(name, job, launchOptions(options));
  if (!(job.queue ?? workflow.queue ?? options.queue)) {
    issues.push({
      job: name,
      field: "queue",
      message:
        "No job queue: set 'queue' on the job or the workflow, pass --queue NAME (or set queue in the config), " +
        "or add --local to run it on this machine (queue 'ezbatch-local')",
    });
  }
  const tags = Object.keys(job.tags).filter((k) => !k.startsWith("ezbatch:")).length + RUN_TAG_COUNT;
  if (tags > MAX_TAGS) {
    issues.push({
      job: name,
      field: "tags",
      message: `The job would carry ${tags} tags (its own plus ${RUN_TAG_COUNT} of ezbatch's): ` +
        `AWS Batch allows at most ${MAX_TAGS}`,
    });
  }
  const deps = workflow.dependencies[name] ?? [];
  if (deps.length > MAX_DEPENDENCIES) {
    issues.push({
      job: name,
      field: `dependencies.${name}`,
      message: `Job '${name}' has ${deps.length} dependencies: AWS Batch allows at most ${MAX_DEPENDENCIES}`,
    });
  }
  for (const dep of deps) {
    const other = workflow.jobs[dep.job];
    if (dep.type === "N_TO_N" && dep.job !== name && other && arraySize(other) !== arraySize(job)) {
      issues.push({
        job: name,
        field: `dependencies.${name}`,
        message: `An N_TO_N dependency on '${dep.job}' needs two matrix jobs of the same size: ` +
          `'${name}' has ${arraySize(job) ?? "no"} children, '${dep.job}' has ${arraySize(other) ?? "none"}`,
      });
    }
  }
  const awsName = jobName(workflow.name, options.runId ?? "", name);
  if (!isValidJobName(awsName)) {
    issues.push({
      job: name,
      message: `The AWS job name '${awsName}' is not valid: ` +
        "names use letters, digits, '-' and '_' and start with a letter or digit",
    });
  }
  return issues;
}

/**
 * The AWS job name of a workflow job in a run: `{workflow}-{run}-{job}`, shortened deterministically (head kept,
 * hash suffix) when longer than 128 characters, so `findRun` can find it by the prefix `{workflow}-{run}-`.
 *
 * @param workflow The workflow's name.
 * @param runId The run id.
 * @param job The workflow's name for the job.
 * @returns The AWS job name.
 * @example
 * ```ts
 * import { jobName } from "./mod.ts";
 * console.log(jobName("demo", "k3x9a0qz", "train")); // "demo-k3x9a0qz-train"
 * ```
 */
export function jobName(workflow: string, runId: string, job: string): string {
  return shortenName(`${workflow}-${runId}-${job}`);
}

function launchOptions(options: PlanOptions) {
  return {
    ...(options.sse !== undefined ? { sse: options.sse } : {}),
    ...(options.sseKmsKeyId !== undefined ? { sseKmsKeyId: options.sseKmsKeyId } : {}),
    ...(options.installAwsCli !== undefined ? { installAwsCli: options.installAwsCli } : {}),
  };
}

function arraySize(job: EZBatchJob): number | undefined {
  if (!job.matrix) return undefined;
  return Object.values(job.matrix).reduce((n, values) => n * values.length, 1);
}

function planSubmission(
  workflow: EZBatchWorkflow,
  name: string,
  job: EZBatchJob,
  runId: string,
  definition: string,
  options: PlanOptions,
): PlannedSubmission {
  const submission: PlannedSubmission = {
    job: name,
    jobName: jobName(workflow.name, runId, name),
    jobQueue: (job.queue ?? workflow.queue ?? options.queue)!,
    jobDefinition: definition,
    dependsOn: (workflow.dependencies[name] ?? []).map((d) => ({ ...d })),
    containerOverrides: jobOverrides(job, containerLaunch(job, launchOptions(options))),
    tags: { ...job.tags, [RUN_TAG.workflow]: workflow.name, [RUN_TAG.run]: runId, [RUN_TAG.job]: name },
    propagateTags: true,
  };
  const size = arraySize(job);
  if (size !== undefined) submission.arrayProperties = { size };
  if (job.retry) submission.retryStrategy = retryStrategy(job.retry)!;
  if (job.timeout !== undefined) submission.timeout = { attemptDurationSeconds: job.timeout };
  Object.assign(submission, submitFeatures(job));
  if (job.nodes !== undefined) {
    submission.nodeOverrides = nodeOverridesFor(
      job,
      (j) => jobOverrides(j, containerLaunch(j, launchOptions(options))),
    );
  }
  return submission;
}

/** Writes the run's shape into every submission's tags: the job count, the plan's digest and each request's. */
function tagShape(submissions: PlannedSubmission[]): void {
  const digests = new Map(submissions.map((s) => [s.job, formatDigest(requestDigest(s))]));
  const plan = planDigest(digests);
  for (const s of submissions) {
    s.tags[RUN_TAG.jobs] = String(submissions.length);
    s.tags[RUN_TAG.plan] = plan;
    s.tags[RUN_TAG.digest] = digests.get(s.job)!;
  }
}

/** Renders each distinct definition once per plan (jobs with the same {@link definitionKey} share it). */
function renderCached(job: EZBatchJob, options: PlanOptions, cache: Map<string, JobDefinitionInput>) {
  const key = definitionKey(job);
  let definition = cache.get(key);
  if (!definition) cache.set(key, definition = renderJobDefinition(job, options));
  return definition;
}
