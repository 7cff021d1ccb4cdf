/**
 * Job definitions, content-addressed. What is shared by many jobs (image, platform, roles, logging, secrets,
 * storage, networking) goes in the definition, whose name is a hash of its content; what differs per job
 * (command, environment, vCPU, memory, GPU) goes in `containerOverrides`, and retry and timeout go in the SubmitJob
 * request. So a workflow of many jobs over one image needs one definition, reused across runs: no
 * register/deregister churn.
 * @module
 */
import type {
  ContainerOverrides,
  ContainerProperties,
  JobDefinitionInput,
  KeyValue,
  ResourceRequirement,
} from "./backend_types.ts";
import { WorkflowError } from "./errors.ts";
import type { EZBatchJob } from "./model.ts";
import { sha256Hex } from "./names.ts";
import { applyContainerFeatures, applyDefinitionFeatures, featureKey } from "./job_features_render.ts";

/** The log group AWS Batch writes to unless told otherwise. */
export const DEFAULT_LOG_GROUP = "/aws/batch/job";
/** Largest job definition AWS Batch accepts, in bytes. */
export const MAX_DEFINITION_BYTES = 24 * 1024;

/** Account settings that go into a job definition. */
export interface DefinitionOptions {
  /** Role ECS uses to pull the image and write logs; required for Fargate jobs. */
  executionRoleArn?: string;
  /** Role the job's own code runs as (S3 access of the preloader, ...). */
  jobRoleArn?: string;
  /** CloudWatch Logs group of the `awslogs` driver. Default `/aws/batch/job`. */
  logGroup?: string;
  /**
   * Fargate only: give the task a public IP. Default false (AWS's default, DISABLED). A task in a private subnet
   * pulls public images and reaches S3 through a NAT gateway or VPC endpoints; a task in a public subnet without a
   * NAT gateway can only pull images when this is true. It is a network choice, so it comes from the options
   * (config); a job's own `assign_public_ip` wins.
   */
  assignPublicIp?: boolean;
}

/** Serialises a value as JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
  });
}

/**
 * Turns an image reference into a short, valid name part (at most 40 characters): the last path segment with its
 * tag, lowercased, anything but letters, digits, `-` and `_` turned into `-`, a digest dropped.
 *
 * @param image An image reference.
 * @returns The slug; `image` when nothing usable is left.
 * @example
 * ```ts
 * import { imageSlug } from "./mod.ts";
 * console.log(imageSlug("public.ecr.aws/docker/library/alpine:3.20")); // "alpine-3-20"
 * ```
 */
export function imageSlug(image: string): string {
  const withoutDigest = image.split("@")[0] ?? "";
  const last = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const slug = last.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/-+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
  return slug.slice(0, 40).replace(/[-_]+$/, "") || "image";
}

/**
 * The resources a job asks for, as AWS `resourceRequirements`: VCPU and MEMORY always, GPU only when more than zero.
 *
 * @param job The job's `vcpus`, `memory` (MiB) and `gpus`.
 * @returns The requirements, in the order VCPU, MEMORY, GPU.
 * @example
 * ```ts
 * import { resourceRequirements } from "./mod.ts";
 * console.log(resourceRequirements({ vcpus: 4, memory: 16384, gpus: 1 }));
 * ```
 */
export function resourceRequirements(job: Pick<EZBatchJob, "vcpus" | "memory" | "gpus">): ResourceRequirement[] {
  const list: ResourceRequirement[] = [
    { type: "VCPU", value: String(job.vcpus) },
    { type: "MEMORY", value: String(job.memory) },
  ];
  if (job.gpus > 0) list.push({ type: "GPU", value: String(job.gpus) });
  return list;
}

/** Turns a name -> value record into AWS name/value pairs, sorted by name (stable content addresses). */
export function toKeyValues(record: Record<string, string>): KeyValue[] {
  return Object.keys(record).sort().map((name) => ({ name, value: record[name]! }));
}

/**
 * A valid baseline size shared by every definition (1 vCPU, 2048 MiB, valid on Fargate and EC2). Each submission
 * replaces it with the job's real size in `containerOverrides`, so jobs that differ only in size share a definition.
 */
const BASELINE: ResourceRequirement[] = [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "2048" }];

/**
 * The fields of a job that its shared (not standalone) definition depends on: jobs with equal keys get the same
 * definition under the same options. Keep in step with {@link renderJobDefinition}.
 */
export function definitionKey(job: EZBatchJob): string {
  const secrets = Object.keys(job.secrets).sort().map((k) => [k, job.secrets[k]]);
  const storage = job.platform === "FARGATE" ? job.storage_size ?? null : null;
  const publicIp = job.platform === "FARGATE" ? job.assign_public_ip ?? null : null;
  return JSON.stringify([job.image, job.platform, storage, secrets, publicIp, featureKey(job)]);
}

/** Options of {@link renderJobDefinition}. */
export interface RenderDefinitionOptions extends DefinitionOptions {
  /**
   * Put the job's command, environment, size, retry and timeout into the definition itself (a standalone
   * definition, e.g. for `job-definition create`). Default false: those go in each submission instead.
   */
  standalone?: boolean;
  /** The container command to embed when `standalone` (default: the job's command, a string via `/bin/sh -c`). */
  command?: string[];
  /** Extra environment to embed when `standalone` (merged over the job's). */
  environment?: Record<string, string>;
}

/**
 * Renders a job as a `RegisterJobDefinition` request with a content-addressed name
 * `ezbatch-<image-slug>-<12 hex digits of the SHA-256 of its canonical JSON>`: identical content, identical name.
 *
 * @param job The validated job.
 * @param options Roles, log group, public IP, and whether to embed per-job settings.
 * @returns The request, ready for `Backend.registerJobDefinition`.
 * @throws {WorkflowError} When a Fargate job has no execution role, or the definition exceeds 24 KiB.
 * @example Render a Fargate job
 * ```ts
 * import { renderJobDefinition } from "./mod.ts";
 * const def = renderJobDefinition({
 *   image: "alpine:3.20", command: "echo hi", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "FARGATE", tags: {}, preloader: false,
 * }, { executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole" });
 * console.log(def.jobDefinitionName); // ezbatch-alpine-3-20-<hash>
 * ```
 */
export function renderJobDefinition(job: EZBatchJob, options: RenderDefinitionOptions = {}): JobDefinitionInput {
  const fargate = job.platform === "FARGATE";
  if (fargate && !options.executionRoleArn) {
    throw new WorkflowError({
      field: "executionRoleArn",
      message: "Fargate jobs need an execution role: set 'executionRoleArn' in the config " +
        "(e.g. 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole')",
    });
  }
  const input: Omit<JobDefinitionInput, "jobDefinitionName"> = {
    type: "container",
    platformCapabilities: [job.platform],
    containerProperties: renderContainer(job, options),
    propagateTags: true,
  };
  if (options.standalone) {
    if (job.retry) input.retryStrategy = retryStrategy(job.retry);
    if (job.timeout !== undefined) input.timeout = { attemptDurationSeconds: job.timeout };
  }
  // A node range's container is the job's with the range's image, command, size and environment.
  applyDefinitionFeatures(input, job, (rangeJob) => renderContainer(rangeJob, options));
  const name = `ezbatch-${imageSlug(job.image)}-${sha256Hex(canonicalJson(input)).slice(0, 12)}`;
  const definition: JobDefinitionInput = { jobDefinitionName: name, ...input };
  const bytes = new TextEncoder().encode(JSON.stringify(definition)).length;
  if (bytes > MAX_DEFINITION_BYTES) {
    throw new WorkflowError({
      message: `The job definition would be ${bytes} bytes: AWS Batch allows at most ${MAX_DEFINITION_BYTES}`,
    });
  }
  return definition;
}

/** The container of `job`: image, size, logs, roles, secrets, Fargate settings, features, standalone settings. */
function renderContainer(job: EZBatchJob, options: RenderDefinitionOptions): ContainerProperties {
  const fargate = job.platform === "FARGATE";
  const container: ContainerProperties = {
    image: job.image,
    resourceRequirements: options.standalone ? resourceRequirements(job) : BASELINE,
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": options.logGroup ?? DEFAULT_LOG_GROUP, "awslogs-stream-prefix": "ezbatch" },
    },
  };
  if (options.executionRoleArn) container.executionRoleArn = options.executionRoleArn;
  if (options.jobRoleArn) container.jobRoleArn = options.jobRoleArn;
  const secrets = Object.keys(job.secrets).sort().map((name) => ({ name, valueFrom: job.secrets[name]! }));
  if (secrets.length) container.secrets = secrets;
  if (fargate) {
    const publicIp = job.assign_public_ip ?? options.assignPublicIp;
    container.networkConfiguration = { assignPublicIp: publicIp ? "ENABLED" : "DISABLED" };
    container.fargatePlatformConfiguration = { platformVersion: "LATEST" };
    if (job.storage_size !== undefined) container.ephemeralStorage = { sizeInGiB: job.storage_size };
  }
  applyContainerFeatures(container, job);
  if (options.standalone) {
    const command = options.command ?? shellCommand(job.command);
    if (command) container.command = command;
    const environment = toKeyValues({ ...job.environment, ...options.environment });
    if (environment.length) container.environment = environment;
  }
  return container;
}

/** A string command runs under `/bin/sh -c`; an array is exec form; absent keeps the image's CMD. */
export function shellCommand(command: string | string[] | undefined): string[] | undefined {
  if (command === undefined) return undefined;
  return typeof command === "string" ? ["/bin/sh", "-c", command] : [...command];
}

/** The AWS shape of a job's retry strategy. */
export function retryStrategy(retry: NonNullable<EZBatchJob["retry"]>): JobDefinitionInput["retryStrategy"] {
  const rules = retry.evaluate_on_exit.map((r) => ({
    action: r.action,
    ...(r.on_exit_code !== undefined ? { onExitCode: r.on_exit_code } : {}),
    ...(r.on_reason !== undefined ? { onReason: r.on_reason } : {}),
    ...(r.on_status_reason !== undefined ? { onStatusReason: r.on_status_reason } : {}),
  }));
  return { attempts: retry.attempts, ...(rules.length ? { evaluateOnExit: rules } : {}) };
}

/**
 * The per-job part of a submission: the container command, the environment (sorted by name) and the job's size.
 *
 * @param job The validated job.
 * @param launch The container command (empty or absent: keep the image's CMD) and environment, e.g. from the
 *   preloader's `containerLaunch`; merged over the job's environment. Default: the job's own command.
 * @returns The `containerOverrides` of the job's SubmitJob request.
 * @example
 * ```ts
 * import { jobOverrides } from "./mod.ts";
 * const o = jobOverrides({
 *   image: "alpine", command: "echo $GREETING", environment: { GREETING: "hi" }, secrets: {},
 *   mounts: { read: [], write: [] }, vcpus: 2, memory: 4096, gpus: 0, platform: "EC2", tags: {}, preloader: false,
 * });
 * console.log(o.command); // ["/bin/sh", "-c", "echo $GREETING"]
 * ```
 */
export function jobOverrides(
  job: EZBatchJob,
  launch?: { command?: string[]; environment?: Record<string, string> },
): ContainerOverrides {
  const overrides: ContainerOverrides = {};
  const command = launch ? launch.command : shellCommand(job.command);
  if (command?.length) overrides.command = command; // empty: keep the image's CMD
  const environment = toKeyValues({ ...job.environment, ...launch?.environment });
  if (environment.length) overrides.environment = environment;
  overrides.resourceRequirements = resourceRequirements(job);
  return overrides;
}
