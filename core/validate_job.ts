/**
 * Semantic checks of one job (after its shape passed the schema): names, Fargate and EC2 sizes, GPUs, storage,
 * timeout, retry rules, matrix, tags and mounts. Pure: validation never calls anything.
 * @module
 */
import { quote } from "./_suggest.ts";
import type { PathIssue } from "./_zod_issues.ts";
import { FARGATE_VCPUS, fargateMemoryChoices } from "./fargate.ts";
import type { EZBatchJob, S3Mount } from "./model.ts";
import {
  controlProblem,
  MAX_EC2_MEMORY_MIB,
  MAX_EC2_VCPUS,
  MAX_ENVIRONMENT_BYTES,
  MAX_GPUS,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TIMEOUT_SECONDS,
  MIN_TIMEOUT_SECONDS,
  TAG_PATTERN,
  utf8Bytes,
} from "./job_limits.ts";
import { isValidJobName, isValidResourceName } from "./names.ts";
import { s3UriProblem } from "./s3_uri.ts";
import type { KeyPath } from "./source_map.ts";
import { checkFeatures } from "./job_features_check.ts";

/** Environment variable names: a letter or `_`, then letters, digits and `_`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Largest number of children of an array job. */
export const MAX_MATRIX_SIZE = 10_000;
const NAME_RULE = "use 1–128 letters, digits, '-' and '_', starting with a letter or digit";
const QUEUE_ARN = /^arn:aws[a-z-]*:batch:[a-z0-9-]+:\d{12}:job-queue\/[A-Za-z0-9_-]{1,128}$/;
const SSE = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Why `name` is not a valid workflow or job name (AWS job name rules), or undefined. */
export function nameProblem(kind: "workflow" | "job", name: string): string | undefined {
  if (isValidJobName(name)) return undefined;
  if (name.length > 128) {
    return `Invalid ${kind} name ${quote(name)}: it has ${name.length} characters, at most 128 are allowed`;
  }
  return `Invalid ${kind} name ${quote(name)}: ${NAME_RULE}`;
}

/** Why `queue` is not a queue name or ARN, or undefined. */
export function queueProblem(queue: string): string | undefined {
  if (QUEUE_ARN.test(queue) || isValidResourceName(queue)) return undefined;
  return `Invalid queue ${quote(queue)}: use a queue name of 1–128 letters, digits, '-' and '_', or a job queue ARN`;
}

/** The number of children of a matrix job (capped just above the AWS limit so it never overflows). */
export function matrixSize(matrix: Record<string, string[]>): number {
  let size = 1;
  for (const values of Object.values(matrix)) size = Math.min(size * values.length, MAX_MATRIX_SIZE + 1);
  return size;
}

/** Every problem of one job. `path` is `["jobs", name]`. */
export function validateJob(name: string, job: EZBatchJob, path: KeyPath): PathIssue[] {
  const issues: PathIssue[] = [];
  const at = (field: string | (string | number)[], message: string) =>
    issues.push({ path: [...path, ...(Array.isArray(field) ? field : [field])], message });

  const badName = nameProblem("job", name);
  if (badName) issues.push({ path, message: badName });
  const imageControl = controlProblem("The image", job.image);
  if (imageControl) at("image", imageControl);
  else if (!/^\S+$/.test(job.image)) {
    at("image", `Expected an image like 'public.ecr.aws/docker/library/alpine:3.20', got ${quote(job.image)}`);
  }
  if (job.command !== undefined && (job.command.length === 0 || (Array.isArray(job.command) && !job.command[0]))) {
    at("command", "The command is empty: give a command, or remove the key to run the image's default command");
  } else if (typeof job.command === "string") {
    const problem = controlProblem("The command", job.command, true);
    if (problem) at("command", problem);
  } else if (job.command !== undefined) {
    for (const [i, arg] of job.command.entries()) {
      const problem = controlProblem(`Argument ${i + 1} of the command`, arg, true);
      if (problem) at(["command", i], problem);
    }
  }
  if (job.queue !== undefined) {
    const problem = queueProblem(job.queue);
    if (problem) at("queue", problem);
  }

  checkSizes(name, job, at);
  if (job.timeout !== undefined && job.timeout < MIN_TIMEOUT_SECONDS) {
    at("timeout", `Expected a timeout of at least ${MIN_TIMEOUT_SECONDS} seconds, got ${job.timeout} seconds`);
  } else if (job.timeout !== undefined && !(job.timeout <= MAX_TIMEOUT_SECONDS)) {
    at(
      "timeout",
      `Expected a timeout of at most ${MAX_TIMEOUT_SECONDS} seconds (365 days), got ` +
        (Number.isFinite(job.timeout) ? `${job.timeout} seconds` : "a duration too long to count"),
    );
  }
  job.retry?.evaluate_on_exit.forEach((rule, i) => {
    const rp = ["retry", "evaluate_on_exit", i];
    if (rule.on_exit_code === undefined && rule.on_reason === undefined && rule.on_status_reason === undefined) {
      at(rp, "A rule needs on_exit_code, on_reason or on_status_reason");
    }
    if (rule.on_exit_code !== undefined && !/^(\d{1,512}|\d{0,511}\*)$/.test(rule.on_exit_code)) {
      at([...rp, "on_exit_code"], `Expected digits with an optional trailing '*', got ${quote(rule.on_exit_code)}`);
    }
    for (const key of ["on_reason", "on_status_reason"] as const) {
      const v = rule[key];
      if (v !== undefined && !/^[A-Za-z0-9.: \t]{0,511}[A-Za-z0-9.: \t*]?$/.test(v)) {
        at(
          [...rp, key],
          `Expected letters, digits, '.', ':' and spaces with an optional trailing '*', got ${quote(v)}`,
        );
      }
    }
  });

  checkVariables(job, at);
  checkTags(job, at);
  checkMounts(job, at);
  checkFeatures(name, job, at);
  return issues;
}

type At = (field: string | (string | number)[], message: string) => void;

/** vCPUs, memory, GPUs and storage by platform: Fargate's fixed sizes, EC2's whole numbers within sane maximums. */
function checkSizes(name: string, job: EZBatchJob, at: At): void {
  const who = `Job ${quote(name)}`;
  if (job.platform === "FARGATE") {
    if (!FARGATE_VCPUS.includes(job.vcpus)) {
      at("vcpus", `${who} asks for ${job.vcpus} vCPU on Fargate: allowed are ${FARGATE_VCPUS.join(", ")}`);
    } else if (!fargateMemoryChoices(job.vcpus).includes(job.memory)) {
      at(
        "memory",
        `${who} asks for ${job.memory} MiB of memory with ${job.vcpus} vCPU on Fargate: allowed are ` +
          fargateMemoryChoices(job.vcpus).join(", "),
      );
    }
    if (job.gpus > 0) at("gpus", `${who} asks for ${job.gpus} GPU on Fargate: GPUs need platform = 'EC2'`);
  } else {
    if (!Number.isInteger(job.vcpus) || job.vcpus < 1 || job.vcpus > MAX_EC2_VCPUS) {
      at("vcpus", `${who} asks for ${job.vcpus} vCPU on EC2: use a whole number from 1 to ${MAX_EC2_VCPUS}`);
    }
    if (job.memory < 4 || job.memory > MAX_EC2_MEMORY_MIB) {
      at("memory", `${who} asks for ${job.memory} MiB on EC2: use 4 to ${MAX_EC2_MEMORY_MIB} MiB (32 TiB)`);
    }
    if (job.gpus > MAX_GPUS) {
      at("gpus", `${who} asks for ${job.gpus} GPUs: no EC2 instance has more than ${MAX_GPUS}`);
    }
    if (job.storage_size !== undefined) {
      at(
        "storage_size",
        "Ephemeral storage (storage_size) is for Fargate only: on EC2 the instance's volume is sized by its launch template",
      );
    }
  }
}

function checkVariables(job: EZBatchJob, at: At): void {
  const kinds = [["environment", job.environment], ["secrets", job.secrets], ["matrix", job.matrix ?? {}]] as const;
  const seen = new Map<string, string>();
  let bytes = 0;
  for (const [kind, table] of kinds) {
    for (const [key, value] of Object.entries(table)) {
      if (!ENV_NAME.test(key)) {
        at([kind, key], `Invalid variable name ${quote(key)}: use letters, digits and '_', not starting with a digit`);
      } else if (key.startsWith("AWS_BATCH")) {
        at([kind, key], `Variable ${quote(key)} is reserved: names starting with 'AWS_BATCH' belong to AWS Batch`);
      }
      const other = seen.get(key);
      if (other) at([kind, key], `Variable ${quote(key)} is set in both ${other} and ${kind}`);
      else seen.set(key, kind);
      if (kind === "secrets" && value === "") at([kind, key], "Expected a secret ARN or SSM parameter name, got ''");
      const values = Array.isArray(value) ? value : [value];
      for (const [i, v] of values.entries()) {
        // A secret is an ARN or a parameter name; a value may hold tabs and newlines (a certificate, a script).
        const problem = controlProblem(`The value of ${quote(key)}`, v, kind !== "secrets");
        if (problem) at(Array.isArray(value) ? [kind, key, i] : [kind, key], problem);
      }
      if (kind !== "matrix") bytes += utf8Bytes(key) + utf8Bytes(value as string);
      else bytes += utf8Bytes(key) + Math.max(0, ...values.map(utf8Bytes));
    }
  }
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    at(
      "environment",
      `The environment, secrets and matrix variables take ${bytes} bytes: a SubmitJob request holds at most ` +
        `${MAX_ENVIRONMENT_BYTES} (30 KiB) in all, so pass large data through S3 mounts instead`,
    );
  }
  if (job.matrix !== undefined) {
    const size = matrixSize(job.matrix);
    if (size < 2 || size > MAX_MATRIX_SIZE) {
      const count = size > MAX_MATRIX_SIZE ? "more than 10,000 combinations" : `${size} combination`;
      at("matrix", `The matrix has ${count}: an array job has 2 to 10,000 children`);
    }
  }
}

function checkTags(job: EZBatchJob, at: At): void {
  const entries = Object.entries(job.tags);
  if (entries.length > 50) at("tags", `Expected at most 50 tags, got ${entries.length}`);
  const chars = "letters, digits, spaces and _ . : / = + - @";
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH) {
      at(["tags", key], `Tag keys have 1 to ${MAX_TAG_KEY_LENGTH} characters, got ${key.length}: ${quote(key)}`);
    } else if (!TAG_PATTERN.test(key)) {
      at(["tags", key], `Tag key ${quote(key)} has a character AWS does not allow: use ${chars}`);
    } else if (key.toLowerCase().startsWith("aws:")) {
      at(["tags", key], `Tag key ${quote(key)} is reserved: 'aws:' is AWS's`);
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      at(["tags", key], `Tag values have at most ${MAX_TAG_VALUE_LENGTH} characters, got ${value.length}`);
    } else if (!TAG_PATTERN.test(value)) {
      at(["tags", key], `The value of tag ${quote(key)} has a character AWS does not allow: use ${chars}`);
    }
  }
}

function checkMounts(job: EZBatchJob, at: At): void {
  const absolute = (p: string) => p.startsWith("/") && !p.includes("\0");
  const check = (kind: "read" | "write", m: S3Mount, i: number) => {
    const [s3Key, pathKey] = kind === "read" ? ["source", "destination"] as const : ["destination", "source"] as const;
    const problem = s3UriProblem(m[s3Key]);
    if (problem) at(["mounts", kind, i, s3Key], problem);
    if (!absolute(m[pathKey])) {
      at(
        ["mounts", kind, i, pathKey],
        `Expected an absolute path in the container like '/data', got ${quote(m[pathKey])}`,
      );
    }
    if (m.sse !== undefined && !SSE.includes(m.sse)) {
      at(["mounts", kind, i, "sse"], `Expected one of 'AES256', 'aws:kms', 'aws:kms:dsse', got ${quote(m.sse)}`);
    }
    if (m.sse_kms_key_id !== undefined && !m.sse?.startsWith("aws:kms")) {
      at(["mounts", kind, i, "sse_kms_key_id"], "A KMS key needs sse = 'aws:kms' or 'aws:kms:dsse'");
    } else if (m.sse_kms_key_id !== undefined) {
      const control = controlProblem("The KMS key", m.sse_kms_key_id);
      if (control) at(["mounts", kind, i, "sse_kms_key_id"], control);
    }
  };
  job.mounts.read.forEach((m, i) => check("read", m, i));
  job.mounts.write.forEach((m, i) => check("write", m, i));
  if (!job.preloader && job.mounts.read.length + job.mounts.write.length > 0) {
    at(
      "preloader",
      "The job has mounts but preloader = false: the preloader stages mounts, so remove them or set preloader = true",
    );
  }
}
