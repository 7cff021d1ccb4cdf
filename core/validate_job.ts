/**
 * Semantic checks of one job (after its shape passed the schema): names, Fargate and EC2 sizes, GPUs, storage,
 * timeout, retry rules, matrix, tags and mounts. Pure: validation never calls anything.
 * @module
 */
import type { PathIssue } from "./_zod_issues.ts";
import { FARGATE_VCPUS, fargateMemoryChoices } from "./fargate.ts";
import type { EZBatchJob, S3Mount } from "./model.ts";
import { isValidJobName } from "./names.ts";
import { s3UriProblem } from "./s3_uri.ts";
import type { KeyPath } from "./source_map.ts";

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
    return `Invalid ${kind} name '${name.slice(0, 37)}...': it has ${name.length} characters, at most 128 are allowed`;
  }
  return `Invalid ${kind} name '${name}': ${NAME_RULE}`;
}

/** Why `queue` is not a queue name or ARN, or undefined. */
export function queueProblem(queue: string): string | undefined {
  if (QUEUE_ARN.test(queue) || /^[A-Za-z0-9_-]{1,128}$/.test(queue)) return undefined;
  return `Invalid queue '${queue}': use a queue name of 1–128 letters, digits, '-' and '_', or a job queue ARN`;
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
  if (!/^\S+$/.test(job.image)) {
    at("image", `Expected an image like 'public.ecr.aws/docker/library/alpine:3.20', got '${job.image}'`);
  }
  if (job.command !== undefined && (job.command.length === 0 || (Array.isArray(job.command) && !job.command[0]))) {
    at("command", "The command is empty: give a command, or remove the key to run the image's default command");
  }
  if (job.queue !== undefined) {
    const problem = queueProblem(job.queue);
    if (problem) at("queue", problem);
  }

  // Sizes by platform.
  if (job.platform === "FARGATE") {
    if (!FARGATE_VCPUS.includes(job.vcpus)) {
      at("vcpus", `Job '${name}' asks for ${job.vcpus} vCPU on Fargate: allowed are ${FARGATE_VCPUS.join(", ")}`);
    } else if (!fargateMemoryChoices(job.vcpus).includes(job.memory)) {
      at(
        "memory",
        `Job '${name}' asks for ${job.memory} MiB of memory with ${job.vcpus} vCPU on Fargate: allowed are ` +
          fargateMemoryChoices(job.vcpus).join(", "),
      );
    }
    if (job.gpus > 0) at("gpus", `Job '${name}' asks for ${job.gpus} GPU on Fargate: GPUs need platform = 'EC2'`);
  } else {
    if (!Number.isInteger(job.vcpus) || job.vcpus < 1) {
      at("vcpus", `Job '${name}' asks for ${job.vcpus} vCPU on EC2: use a whole number of at least 1`);
    }
    if (job.memory < 4) at("memory", `Job '${name}' asks for ${job.memory} MiB on EC2: use at least 4 MiB`);
    if (job.storage_size !== undefined) {
      at(
        "storage_size",
        "Ephemeral storage (storage_size) is for Fargate only: on EC2 the instance's volume is sized by its launch template",
      );
    }
  }

  if (job.timeout !== undefined && job.timeout < 60) {
    at("timeout", `Expected a timeout of at least 60 seconds, got ${job.timeout} seconds`);
  }
  job.retry?.evaluate_on_exit.forEach((rule, i) => {
    const rp = ["retry", "evaluate_on_exit", i];
    if (rule.on_exit_code === undefined && rule.on_reason === undefined && rule.on_status_reason === undefined) {
      at(rp, "A rule needs on_exit_code, on_reason or on_status_reason");
    }
    if (rule.on_exit_code !== undefined && !/^(\d{1,512}|\d{0,511}\*)$/.test(rule.on_exit_code)) {
      at([...rp, "on_exit_code"], `Expected digits with an optional trailing '*', got '${rule.on_exit_code}'`);
    }
    for (const key of ["on_reason", "on_status_reason"] as const) {
      const v = rule[key];
      if (v !== undefined && !/^[A-Za-z0-9.: \t]{0,511}[A-Za-z0-9.: \t*]?$/.test(v)) {
        at([...rp, key], `Expected letters, digits, '.', ':' and spaces with an optional trailing '*', got '${v}'`);
      }
    }
  });

  checkVariables(job, at);
  checkTags(job, at);
  checkMounts(job, at);
  return issues;
}

type At = (field: string | (string | number)[], message: string) => void;

function checkVariables(job: EZBatchJob, at: At): void {
  const kinds = [["environment", job.environment], ["secrets", job.secrets], ["matrix", job.matrix ?? {}]] as const;
  const seen = new Map<string, string>();
  for (const [kind, table] of kinds) {
    for (const [key, value] of Object.entries(table)) {
      if (!ENV_NAME.test(key)) {
        at([kind, key], `Invalid variable name '${key}': use letters, digits and '_', not starting with a digit`);
      } else if (key.startsWith("AWS_BATCH")) {
        at([kind, key], `Variable '${key}' is reserved: names starting with 'AWS_BATCH' belong to AWS Batch`);
      }
      const other = seen.get(key);
      if (other) at([kind, key], `Variable '${key}' is set in both ${other} and ${kind}`);
      else seen.set(key, kind);
      if (kind === "secrets" && value === "") at([kind, key], "Expected a secret ARN or SSM parameter name, got ''");
    }
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
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 128) at(["tags", key], `Tag keys have 1 to 128 characters, got '${key}'`);
    else if (key.toLowerCase().startsWith("aws:")) at(["tags", key], `Tag key '${key}' is reserved: 'aws:' is AWS's`);
    if (value.length > 256) at(["tags", key], `Tag values have at most 256 characters, got ${value.length}`);
  }
}

function checkMounts(job: EZBatchJob, at: At): void {
  const absolute = (p: string) => p.startsWith("/") && !p.includes("\0");
  const check = (kind: "read" | "write", m: S3Mount, i: number) => {
    const [s3Key, pathKey] = kind === "read" ? ["source", "destination"] as const : ["destination", "source"] as const;
    const problem = s3UriProblem(m[s3Key]);
    if (problem) at(["mounts", kind, i, s3Key], problem);
    if (!absolute(m[pathKey])) {
      at(["mounts", kind, i, pathKey], `Expected an absolute path in the container like '/data', got '${m[pathKey]}'`);
    }
    if (m.sse !== undefined && !SSE.includes(m.sse)) {
      at(["mounts", kind, i, "sse"], `Expected one of 'AES256', 'aws:kms', 'aws:kms:dsse', got '${m.sse}'`);
    }
    if (m.sse_kms_key_id !== undefined && !m.sse?.startsWith("aws:kms")) {
      at(["mounts", kind, i, "sse_kms_key_id"], "A KMS key needs sse = 'aws:kms' or 'aws:kms:dsse'");
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
