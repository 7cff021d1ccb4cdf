/**
 * Plan-time checks of what the preloader and the matrix wrapper need, so that mistakes show before submission.
 * @module
 */
import type { Issue } from "../core/errors.ts";
import type { EZBatchJob, S3Mount } from "../core/model.ts";
import { s3UriProblem } from "../core/s3_uri.ts";
import {
  containerLaunch,
  hasStaging,
  launchBytes,
  type LaunchOptions,
  MAX_LAUNCH_BYTES,
  needsWrapper,
} from "./launch.ts";
import { matrixSize } from "./matrix.ts";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names of the wrapper's own variables: a job's variable of that name would be overwritten. */
const RESERVED = /^(EZBATCH_|ezb_)/;
/** The wrapper's settings a job may set in its environment, with their smallest value. */
const TUNABLES: Record<string, number> = { EZBATCH_TRANSFER_ATTEMPTS: 1, EZBATCH_RETRY_DELAY: 0 };
const SSE = ["AES256", "aws:kms", "aws:kms:dsse"];
const MAX_MATRIX = 10_000;

/**
 * Checks a job's launch at plan time: a wrapped job (preloader mounts or matrix) needs a command; read mounts go
 * from an `s3://` URI to an absolute path and write mounts the other way; encryption settings are valid; matrix keys
 * are environment variable names with at least one value each and at most 10,000 children; mounts use matrix values
 * only as `${KEY}`; and the launch fits the SubmitJob payload ({@link MAX_LAUNCH_BYTES}).
 *
 * @param jobName The job's name in the workflow (set on every issue).
 * @param job The validated job.
 * @param options The same options later given to {@link containerLaunch}.
 * @returns The problems found (empty when the job can be launched), each with `job` and `field` set.
 * @example A write mount with a relative source
 * ```ts
 * import { checkLaunch, type EZBatchJob } from "../mod.ts";
 * const job: EZBatchJob = {
 *   image: "alpine", command: "make", environment: {}, secrets: {}, vcpus: 1, memory: 2048, gpus: 0,
 *   platform: "FARGATE", tags: {}, preloader: true,
 *   mounts: { read: [], write: [{ source: "out", destination: "s3://my-bucket/out/", recursive: true }] },
 * };
 * for (const issue of checkLaunch("build", job)) console.log(issue.field, issue.message);
 * ```
 */
export function checkLaunch(jobName: string, job: EZBatchJob, options: LaunchOptions = {}): Issue[] {
  const issues: Issue[] = [];
  const add = (field: string, message: string) => issues.push({ job: jobName, field, message });
  const keys = Object.keys(job.matrix ?? {});

  if (job.matrix !== undefined) checkMatrix(job.matrix, add);
  if (hasStaging(job)) {
    job.mounts.read.forEach((m, i) => checkMount(m, "read", `mounts.read[${i}]`, keys, add));
    job.mounts.write.forEach((m, i) => checkMount(m, "write", `mounts.write[${i}]`, keys, add));
    checkSse(options.sse, options.sseKmsKeyId, "sse", add, "The default upload encryption");
  }
  if (needsWrapper(job)) checkWrapped(jobName, job, keys, add);
  if (issues.length === 0) {
    const bytes = launchBytes(job, containerLaunch(job, options));
    if (bytes > MAX_LAUNCH_BYTES) {
      add(
        hasStaging(job) ? "mounts" : job.matrix !== undefined ? "matrix" : "environment",
        `Job '${jobName}' is too large to submit: its command, environment, mounts, matrix, tags and retry rules ` +
          `take ${bytes} bytes, at most ${MAX_LAUNCH_BYTES} fit in the 30 KiB SubmitJob payload; use fewer mounts ` +
          `(one recursive mount per prefix), shorter paths or fewer matrix values`,
      );
    }
  }
  return issues;
}

type Add = (field: string, message: string) => void;

function checkWrapped(jobName: string, job: EZBatchJob, keys: string[], add: Add): void {
  const why = job.matrix !== undefined ? "has a matrix" : "uses the preloader";
  if (job.command === undefined || job.command.length === 0) {
    add(
      "command",
      `Job '${jobName}' ${why} but has no command: the wrapper replaces the image's CMD, so set 'command' ` +
        `(a string for /bin/sh -c, or an array)`,
    );
  }
  for (const [name, value] of Object.entries(job.environment)) {
    if (name in TUNABLES) {
      if (!/^\d+$/.test(value) || Number(value) < TUNABLES[name]!) {
        add(`environment.${name}`, `'${name}' must be a whole number of at least ${TUNABLES[name]}, got '${value}'`);
      }
    } else if (RESERVED.test(name)) {
      add(
        `environment.${name}`,
        `Environment variable '${name}' is reserved for ezbatch (prefixes 'EZBATCH_', 'ezb_')`,
      );
    }
    if (keys.includes(name)) {
      add(`environment.${name}`, `Environment variable '${name}' clashes with the matrix key of the same name`);
    }
  }
}

function checkMatrix(matrix: Record<string, string[]>, add: Add): void {
  const keys = Object.keys(matrix);
  if (keys.length === 0) add("matrix", 'The matrix is empty: give at least one key with values, e.g. { LR = ["0.1"] }');
  for (const key of keys) {
    if (!ENV_NAME.test(key)) {
      add(`matrix.${key}`, `Matrix key '${key}' is not an environment variable name: use letters, digits and '_'`);
    } else if (RESERVED.test(key) || key.startsWith("AWS_BATCH_")) {
      add(`matrix.${key}`, `Matrix key '${key}' is reserved (prefixes 'EZBATCH_', 'ezb_' and 'AWS_BATCH_')`);
    }
    const values = matrix[key]!;
    if (values.length === 0) add(`matrix.${key}`, `Matrix key '${key}' has no values: give at least one`);
    values.forEach((v, i) => {
      if (v.includes("\0")) add(`matrix.${key}[${i}]`, `Matrix value of '${key}' contains a NUL character`);
    });
  }
  const size = matrixSize(matrix);
  if (size > MAX_MATRIX) {
    add("matrix", `The matrix has ${size} combinations: an array job has at most ${MAX_MATRIX} children`);
  }
}

function checkMount(m: S3Mount, kind: "read" | "write", field: string, keys: string[], add: Add): void {
  const [s3, local, s3Field, localField] = kind === "read"
    ? [m.source, m.destination, "source", "destination"]
    : [m.destination, m.source, "destination", "source"];
  const plain = (s: string) => s.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, "x");
  const problem = s3UriProblem(plain(s3));
  if (problem) add(`${field}.${s3Field}`, `The ${kind} mount's ${s3Field}: ${s3UriProblem(s3) ?? problem}`);
  if (!local.startsWith("/")) {
    add(
      `${field}.${localField}`,
      `The ${kind} mount's ${localField} '${local}' must be an absolute path, e.g. /data/x`,
    );
  }
  for (const [name, value] of [[s3Field, s3], [localField, local]] as const) {
    if (value.includes("\0")) add(`${field}.${name}`, `The ${kind} mount's ${name} contains a NUL character`);
    for (const match of value.matchAll(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const braced = match[1];
      if (braced !== undefined && !keys.includes(braced)) {
        const known = keys.length > 0 ? `this job's matrix keys are ${keys.join(", ")}` : "this job has no matrix";
        add(
          `${field}.${name}`,
          `The ${kind} mount's ${name} '${value}' uses '\${${braced}}', but only matrix values are expanded (${known})`,
        );
      } else if (match[2] !== undefined && keys.includes(match[2])) {
        add(`${field}.${name}`, `The ${kind} mount's ${name} '${value}' uses '$${match[2]}': write '\${${match[2]}}'`);
      }
    }
  }
  if (kind === "write") checkSse(m.sse, m.sse_kms_key_id, `${field}.sse`, add, `The write mount's encryption`);
}

function checkSse(sse: string | undefined, kms: string | undefined, field: string, add: Add, what: string): void {
  if (sse !== undefined && !SSE.includes(sse)) {
    add(field, `${what} '${sse}' is not valid: expected ${SSE.join(", ")}`);
  }
  if (kms !== undefined && sse !== undefined && !sse.startsWith("aws:kms")) {
    add(field, `${what} has a KMS key but sse '${sse}': a KMS key needs sse 'aws:kms' or 'aws:kms:dsse'`);
  }
}
