/**
 * The shape of a workflow file (TOML, JSON or a plain object), as zod schemas, with the matching input types for
 * library users. Shape only: cross-field rules (Fargate sizes, dependencies, names, S3 URIs) live in
 * `validate.ts`. Messages are filled in by `_zod_issues.ts`: a union's `error` text is what it expected, and a
 * strict object's error text lists its keys (for "did you mean").
 * @module
 */
import { z } from "./deps_zod.ts";
import { MAX_GPUS, MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS } from "./job_limits.ts";
import type { JobDependency, Platform, RetryRule } from "./model.ts";
import type { JobFeaturesInput } from "./job_features.ts";
import { featureShape } from "./job_features_schema.ts";

/** A value accepted where a string is stored: numbers and booleans are turned into strings. */
export type Scalar = string | number | boolean;

/** An S3 mount as written in a workflow file. */
export interface S3MountInput {
  /** For a read mount an `s3://` URI; for a write mount an absolute path in the container. */
  source: string;
  /** For a read mount an absolute path in the container; for a write mount an `s3://` URI. */
  destination: string;
  /** Copy a whole prefix or folder. Default false. */
  recursive?: boolean;
  /** Server-side encryption for uploads. */
  sse?: "AES256" | "aws:kms" | "aws:kms:dsse";
  /** The KMS key for `sse = "aws:kms"`. */
  sse_kms_key_id?: string;
}

/** The mounts of a job as written in a workflow file. */
export interface S3MountsInput {
  /** Downloaded before the command runs. */
  read?: S3MountInput[];
  /** Uploaded after the command ran. */
  write?: S3MountInput[];
}

/** A retry strategy as written in a workflow file. */
export interface RetryInput {
  /** Total attempts, 1 to 10. */
  attempts: number;
  /** At most 5 rules. Default none. */
  evaluate_on_exit?: RetryRule[];
}

/** A job as written in a workflow file; absent fields take the defaults of {@link EZBatchJob}. */
export interface JobInput extends JobFeaturesInput {
  /** The container image. */
  image: string;
  /** A string runs under `/bin/sh -c`; an array is exec form. */
  command?: string | string[];
  /** Environment variables. */
  environment?: Record<string, Scalar>;
  /** Environment variables from Secrets Manager or SSM (ARN or parameter name). */
  secrets?: Record<string, string>;
  /** S3 data staged by the preloader. */
  mounts?: S3MountsInput;
  /** vCPUs. Default 1. */
  vcpus?: number;
  /** Memory in MiB. Default 2048. */
  memory?: number;
  /** GPUs (EC2 only). Default 0. */
  gpus?: number;
  /** Ephemeral storage in GiB (Fargate only, 21–200). */
  storage_size?: number;
  /** FARGATE (default) or EC2. */
  platform?: Platform;
  /** Fargate: give the task a public IP (needed to pull images on a subnet without a NAT gateway). */
  assign_public_ip?: boolean;
  /** Tags of the submitted job. */
  tags?: Record<string, Scalar>;
  /** The job queue (name or ARN); default the workflow's. */
  queue?: string;
  /** Stage the mounts with the preloader. Default: true when the job has mounts. */
  preloader?: boolean;
  /** Retry strategy. */
  retry?: RetryInput;
  /** Whole seconds or a duration such as `"90s"`, `"30m"`, `"2h"`, `"1h30m"`; 60 s to 365 days. */
  timeout?: number | string;
  /** A parameter sweep: values for each variable; the job becomes one array job over every combination. */
  matrix?: Record<string, Scalar[]>;
}

/** A dependency as written: a job name, or a job with a dependency type. */
export type DependencyInput = string | JobDependency;

/** A workflow as written in a TOML/JSON file or passed to `defineWorkflow()`. */
export interface WorkflowInput {
  /** Letters, digits, `-` and `_`, starting with a letter or digit. */
  name: string;
  /** Default queue of every job (name or ARN). */
  queue?: string;
  /** Jobs by name. */
  jobs: Record<string, JobInput>;
  /** For each job, the jobs it waits for. */
  dependencies?: Record<string, DependencyInput[]>;
}

/** Error text for a strict object: the JSON list of its keys, read back by the issue formatter. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (iss) => iss.code === "unrecognized_keys" ? `keys:${JSON.stringify(Object.keys(shape))}` : undefined,
  });
}

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: "a string, number or boolean" });
const scalarTable = z.record(z.string(), scalar);
/** A duration: `90s`, `30m`, `2h`, `1h30m`, `1h30m15s` (the loader checks the total against a timeout's limits). */
export const DURATION_PATTERN = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

function mountSchema(json: boolean) {
  const base = {
    source: z.string().meta({ description: "Read: an s3:// URI. Write: an absolute path in the container." }),
    destination: z.string().meta({ description: "Read: an absolute path in the container. Write: an s3:// URI." }),
    recursive: z.boolean().optional().meta({ description: "Copy a whole prefix or folder. Default false." }),
    sse: z.enum(["AES256", "aws:kms", "aws:kms:dsse"]).optional().meta({
      description: "Server-side encryption of uploads.",
    }),
    sse_kms_key_id: z.string().optional().meta({ description: "The KMS key for sse = aws:kms." }),
  };
  // The Python ezbatch stores the aws s3 cp flags it derived as `options` (e.g. "--quiet --recursive").
  return json ? strict({ ...base, options: z.string().optional() }) : strict(base);
}

function jobSchema(json: boolean) {
  const mount = mountSchema(json);
  return strict({
    image: z.string().meta({ description: "The container image." }),
    command: z.union([z.string(), z.array(z.string())], { error: "a string or an array of strings" })
      .optional().meta({ description: "A string runs under /bin/sh -c; an array is exec form." }),
    environment: scalarTable.optional().meta({ description: "Environment variables." }),
    secrets: z.record(z.string(), z.string()).optional().meta({
      description: "Environment variables from Secrets Manager or SSM (ARN or parameter name).",
    }),
    mounts: strict({ read: z.array(mount).optional(), write: z.array(mount).optional() }).optional().meta({
      description: "S3 data staged in (read) and out (write) by the preloader.",
    }),
    vcpus: z.number().positive({ error: "Expected a positive number of vCPUs" }).optional().meta({
      description: "vCPUs. Default 1. Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16.",
    }),
    memory: z.int().positive({ error: "Expected a positive number of MiB" }).optional().meta({
      description: "Memory in MiB. Default 2048.",
    }),
    gpus: z.int().nonnegative({ error: "Expected 0 or more GPUs" }).max(MAX_GPUS, {
      error: `Expected at most ${MAX_GPUS} GPUs (no EC2 instance has more)`,
    }).optional().meta({ description: `GPUs (EC2 only). Default 0, at most ${MAX_GPUS}.` }),
    storage_size: z.int().min(21, { error: "Expected 21 to 200 GiB" }).max(200, { error: "Expected 21 to 200 GiB" })
      .optional().meta({ description: "Ephemeral storage in GiB (Fargate only)." }),
    platform: z.enum(["FARGATE", "EC2"]).optional().meta({ description: "Default FARGATE." }),
    assign_public_ip: z.boolean().optional().meta({
      description: "Fargate: give the task a public IP, needed to pull images on a subnet without a NAT gateway " +
        "(e.g. a default VPC). Default: the config's assignPublicIp, else false.",
    }),
    tags: scalarTable.optional().meta({ description: "Tags of the submitted job." }),
    queue: z.string().optional().meta({ description: "The job queue (name or ARN); default the workflow's." }),
    preloader: z.boolean().optional().meta({ description: "Stage the mounts. Default: true when there are mounts." }),
    retry: strict({
      attempts: z.int().min(1, { error: "Expected 1 to 10 attempts" }).max(10, { error: "Expected 1 to 10 attempts" }),
      evaluate_on_exit: z.array(strict({
        on_exit_code: z.string().optional(),
        on_reason: z.string().optional(),
        on_status_reason: z.string().optional(),
        action: z.enum(["RETRY", "EXIT"]),
      })).max(5, { error: "Expected at most 5 evaluate_on_exit rules" }).optional(),
    }).optional().meta({ description: "Retry strategy." }),
    timeout: z.union([
      z.int().min(MIN_TIMEOUT_SECONDS, { error: "Expected a timeout of at least 60 seconds" })
        .max(MAX_TIMEOUT_SECONDS, { error: `Expected a timeout of at most ${MAX_TIMEOUT_SECONDS} seconds (365 days)` }),
      z.string().regex(DURATION_PATTERN, {
        error: "Expected whole seconds or a duration like '90s', '30m', '2h' or '1h30m'",
      }),
    ], { error: "whole seconds or a duration like '90s', '30m', '2h' or '1h30m'" }).optional().meta({
      description: "Attempt timeout: whole seconds or a duration (90s, 30m, 2h, 1h30m); 60 s to 365 days.",
    }),
    matrix: z.record(z.string(), z.array(scalar).min(1, { error: "Expected at least one value" })).optional().meta({
      description: "Parameter sweep: one array job over every combination of the values.",
    }),
    ...featureShape(strict),
  });
}

function workflowSchema(json: boolean) {
  return strict({
    name: z.string().meta({ description: "Letters, digits, '-' and '_', starting with a letter or digit." }),
    queue: z.string().optional().meta({ description: "Default queue of every job (name or ARN)." }),
    jobs: z.record(z.string(), jobSchema(json)).meta({ description: "Jobs by name." }),
    dependencies: z.record(
      z.string(),
      z.array(z.union([
        z.string(),
        strict({ job: z.string(), type: z.enum(["N_TO_N", "SEQUENTIAL"]).optional() }),
      ], { error: 'a job name or a table { job = "name", type = "N_TO_N" }' })),
    ).optional().meta({ description: "For each job, the jobs it waits for." }),
  }).meta({ title: "ezbatch workflow", description: "A workflow of AWS Batch container jobs." });
}

type WorkflowSchema = ReturnType<typeof workflowSchema>;
const built: { toml?: WorkflowSchema; json?: WorkflowSchema } = {};

/**
 * The schema of TOML workflow files and of `defineWorkflow()` input, or of JSON workflow files (as TOML, plus the
 * Python ezbatch's mount `options` strings). Built on first use, once: building one takes about 5 ms of start-up
 * (every `.meta()` clones), and a command needs one of them at most.
 */
export function workflowSchemaFor(format: "toml" | "json"): WorkflowSchema {
  return built[format] ??= workflowSchema(format === "json");
}

let jobKeys: readonly string[] | undefined;
/** The keys of a job table. */
export function jobTableKeys(): readonly string[] {
  return jobKeys ??= Object.freeze(Object.keys(workflowSchemaFor("toml").shape.jobs.valueType.shape));
}

// The hand-written input types and the schema must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _inputTypesMatch: Same<z.input<WorkflowSchema>, WorkflowInput> = true;
const _jobTypesMatch: Same<z.input<WorkflowSchema>["jobs"][string], JobInput> = true;
void _inputTypesMatch, _jobTypesMatch;

/**
 * The JSON Schema (draft 2020-12) of the workflow file format, for editors and `ezbatch workflow schema`.
 *
 * @returns A fresh JSON Schema object.
 * @example
 * ```ts
 * import { workflowJsonSchema } from "./schema.ts";
 * console.log(JSON.stringify(workflowJsonSchema()).length > 100); // true
 * ```
 */
export function workflowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(workflowSchemaFor("toml"), { io: "input" }) as Record<string, unknown>;
}
