/**
 * Submitting one job (not a workflow run), decided once for every face: the queue (given, else the settings'), the
 * job's name (given, else `<image>-<UTC time>`), its content-addressed definition (reused when identical, with the
 * roles and public-IP choice of `definitionInput`), and the SubmitJob request.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { JobDependencyRef, SubmitJobInput } from "../backend_types.ts";
import { imageSlug, jobOverrides, retryStrategy } from "../definitions.ts";
import { UsageError } from "../errors.ts";
import { DEFAULT_LOCAL_QUEUE } from "../local/registry.ts";
import { nodeOverridesFor, submitFeatures } from "../job_features_render.ts";
import { isValidJobName } from "../names.ts";
import { type ActionOptions, definitionInput, type DefinitionRequest, ensureDefinition } from "./definition.ts";

/** What a person asked to run. */
export interface SubmitJobRequest extends DefinitionRequest {
  /** The queue; default the settings' queue. */
  queue?: string;
  /** The job's name; default `<image>-<UTC time>`. */
  name?: string;
  /** Run an array job of this many children. */
  arraySize?: number;
  /** Jobs to wait for. */
  dependsOn?: JobDependencyRef[];
  /** Tags of the job (propagated to its tasks). */
  tags?: Record<string, string>;
}

/** What `submitJob()` did. */
export interface SubmittedJob {
  /** The job's id. */
  jobId: string;
  /** The job's name. */
  jobName: string;
  /** The queue it went to. */
  jobQueue: string;
  /** `name:revision` of its definition. */
  jobDefinition: string;
  /** True when an identical definition was reused. */
  definitionReused: boolean;
  /** One sentence for people. */
  message: string;
}

/**
 * The queue a job goes to: the one given, else the config's default queue, else on the local backend its own queue
 * (the rule of `runOptions` for workflows).
 */
export function queueOf(given: string | undefined, settings: ActionOptions["settings"], local = false): string {
  const chosen = given ?? settings.queue ?? (local ? DEFAULT_LOCAL_QUEUE : undefined);
  if (!chosen) {
    throw new UsageError(
      "Say which job queue: --queue NAME (or set a default with 'ezbatch config set queue NAME'), or add --local " +
        "to run on this machine",
    );
  }
  return chosen;
}

/** Checks a job name given by a person. */
export function checkJobName(name: string): void {
  if (!isValidJobName(name)) {
    throw new UsageError(
      `Job name '${name}' is not valid: use 1 to 128 letters, digits, '-' and '_', starting with a letter or digit`,
    );
  }
}

/** The default name of a job: its base (image slug or definition name) and the UTC time. */
export function defaultJobName(base: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${base}-${stamp}`.slice(0, 128);
}

/** Rest of a SubmitJob request that does not depend on how the definition was chosen. */
export function addSubmitExtras(request: SubmitJobInput, from: Omit<SubmitJobRequest, "job">): void {
  if (from.arraySize !== undefined) request.arrayProperties = { size: from.arraySize };
  if (from.dependsOn?.length) {
    if (from.dependsOn.length > 20) {
      throw new UsageError(`A job may wait for at most 20 jobs; got ${from.dependsOn.length}`);
    }
    request.dependsOn = from.dependsOn;
  }
  if (from.tags) {
    request.tags = from.tags;
    request.propagateTags = true;
  }
}

/**
 * Submits one job: checks the name and queue, finds or registers its definition, sends SubmitJob.
 * @param options The settings, the clock (for the default name) and an abort signal.
 * @throws {UsageError} Before any call for a bad name, no queue, or too many dependencies.
 */
export async function submitJob(
  backend: Backend,
  request: SubmitJobRequest,
  options: ActionOptions & { now: () => number },
): Promise<SubmittedJob & { request: SubmitJobInput }> {
  const { job } = request;
  const jobQueue = queueOf(request.queue, options.settings, backend.kind === "local");
  if (request.name !== undefined) checkJobName(request.name);
  const input = await definitionInput(backend, request, options);
  const definition = await ensureDefinition(backend, input, options);
  // The same request parts as a workflow file's job (core/plan.ts): priority and share, node-range overrides.
  const submit: SubmitJobInput = {
    jobName: request.name ?? defaultJobName(imageSlug(job.image), options.now()),
    jobQueue,
    jobDefinition: `${definition.name}:${definition.revision}`,
    ...(job.nodes === undefined
      ? { containerOverrides: jobOverrides(job) }
      : { nodeOverrides: nodeOverridesFor(job, (j) => jobOverrides(j)) }),
    ...submitFeatures(job),
  };
  if (job.retry) submit.retryStrategy = retryStrategy(job.retry); // with its exit rules, as core/plan.ts sends it
  if (job.timeout !== undefined) submit.timeout = { attemptDurationSeconds: job.timeout };
  addSubmitExtras(submit, request);
  const { jobId, jobName } = await backend.submitJob(submit, { signal: options.signal });
  return {
    jobId,
    jobName,
    jobQueue,
    jobDefinition: submit.jobDefinition,
    definitionReused: definition.reused,
    message: `Submitted job '${jobName}' (${jobId}) to '${jobQueue}' (${submit.jobDefinition}).`,
    request: submit,
  };
}
