/**
 * How a job's container is launched: the command and environment that go into `containerOverrides`.
 * @module
 */
import type { EZBatchJob } from "../core/model.ts";
import { PRELOADER_SCRIPT } from "./_script.ts";
import { encodeMatrix, encodeReadMounts, encodeWriteMounts, resolveSse } from "./encode.ts";

/** What the container is launched with: goes into `containerOverrides.command` and `environment`. */
export interface ContainerLaunch {
  /** The command; empty means "keep the image's CMD" (send no command override). */
  command: string[];
  /** The job's environment plus the preloader's `EZBATCH_*` variables. */
  environment: Record<string, string>;
}

/** Settings that shape the launch of every job (usually from the config file). */
export interface LaunchOptions {
  /** Default server-side encryption of uploads (`AES256`, `aws:kms`, `aws:kms:dsse`); a mount's own wins. */
  sse?: string;
  /** Default KMS key for `aws:kms` uploads. */
  sseKmsKeyId?: string;
  /** Install the AWS CLI at run time when the image lacks it (needs internet: a NAT gateway on private subnets). */
  installAwsCli?: boolean;
}

/**
 * The exit statuses of the preloader wrapper itself (any other status is the user's command's own).
 *
 * @example Explain a job's exit code
 * ```ts
 * import { PRELOADER_EXIT_CODES } from "./mod.ts";
 * const code: number = 97;
 * if (code === PRELOADER_EXIT_CODES.noAwsCli) console.log("The image has no AWS CLI");
 * ```
 */
export const PRELOADER_EXIT_CODES = {
  /** The wrapper's environment is malformed or the matrix index is out of range. */
  badSetup: 96,
  /** The AWS CLI is not in the image (and was not, or could not be, installed). */
  noAwsCli: 97,
  /** A read mount could not be downloaded; the command was not run. */
  downloadFailed: 98,
  /** The command succeeded but a write mount could not be uploaded. */
  uploadFailed: 99,
} as const;

/** The `$0` the wrapper runs under (shows in `ps` and in shell error messages). */
export const WRAPPER_NAME = "ezbatch-preloader";

/**
 * True when the job runs under the wrapper: it stages mounts with the preloader or it has a matrix.
 *
 * @param job The validated job.
 * @returns Whether {@link containerLaunch} wraps the job's command.
 * @example
 * ```ts
 * import { needsWrapper, type EZBatchJob } from "./mod.ts";
 * const job: EZBatchJob = {
 *   image: "alpine", command: "echo hi", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "FARGATE", tags: {}, preloader: false,
 * };
 * console.log(needsWrapper(job), needsWrapper({ ...job, matrix: { N: ["1", "2"] } })); // false true
 * ```
 */
export function needsWrapper(job: EZBatchJob): boolean {
  return hasStaging(job) || job.matrix !== undefined;
}

/** True when the preloader has S3 data to stage for this job. */
export function hasStaging(job: EZBatchJob): boolean {
  return job.preloader && job.mounts.read.length + job.mounts.write.length > 0;
}

/** The user's command as an argument vector: a string runs under `/bin/sh -c`, an array as it is. */
export function userCommand(job: EZBatchJob): string[] {
  if (job.command === undefined) return [];
  return typeof job.command === "string" ? ["/bin/sh", "-c", job.command] : [...job.command];
}

/**
 * Shapes a job's command and environment. A job without preloader and matrix runs its command as written (a
 * string under `/bin/sh -c`, an array in exec form). A job with preloader mounts or a matrix runs the embedded POSIX
 * sh wrapper, which receives the user's command as its arguments and the mounts and matrix values in `EZBATCH_*`
 * environment variables (one field per line, escaped; no jq, no eval). Call {@link checkLaunch} first: this
 * function does not validate.
 *
 * @param job The validated job.
 * @param options Default encryption of uploads and whether to install the AWS CLI at run time.
 * @returns The command (empty: keep the image's CMD) and the full environment.
 * @example A plain job and a matrix job
 * ```ts
 * import { containerLaunch, type EZBatchJob } from "./mod.ts";
 * const job: EZBatchJob = {
 *   image: "alpine", command: "echo $LR", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "FARGATE", tags: {}, preloader: false,
 * };
 * console.log(containerLaunch(job).command); // ["/bin/sh", "-c", "echo $LR"]
 * const sweep = containerLaunch({ ...job, matrix: { LR: ["0.1", "0.01"] } });
 * console.log(sweep.environment.EZBATCH_MATRIX); // "2\nLR\n1\n2\n0.1\n0.01\n"
 * ```
 */
export function containerLaunch(job: EZBatchJob, options: LaunchOptions = {}): ContainerLaunch {
  const command = userCommand(job);
  const environment: Record<string, string> = { ...job.environment };
  if (!needsWrapper(job)) return { command, environment };
  if (job.matrix !== undefined) environment.EZBATCH_MATRIX = encodeMatrix(job.matrix);
  if (hasStaging(job)) {
    if (job.mounts.read.length > 0) environment.EZBATCH_READ = encodeReadMounts(job.mounts.read);
    if (job.mounts.write.length > 0) {
      environment.EZBATCH_WRITE = encodeWriteMounts(job.mounts.write);
      const defaults = resolveSse(options.sse, options.sseKmsKeyId);
      if (defaults.sse) environment.EZBATCH_SSE = defaults.sse;
      if (defaults.kms) environment.EZBATCH_SSE_KMS_KEY_ID = defaults.kms;
    }
    if (options.installAwsCli) environment.EZBATCH_INSTALL_AWS_CLI = "1";
  }
  return { command: ["/bin/sh", "-c", PRELOADER_SCRIPT, WRAPPER_NAME, ...command], environment };
}

/** The SubmitJob payload limit of AWS Batch: 30 KiB. */
export const SUBMIT_PAYLOAD_LIMIT = 30 * 1024;

/**
 * The most bytes a job's own part of SubmitJob may take: its command and environment (the launch), its tags and its
 * retry rules, as JSON. The remaining 3 KiB of the 30 KiB payload are kept for the job name, queue and definition
 * ARNs, up to 20 dependencies, resource overrides, timeout, array size and ezbatch's own tags.
 *
 * @example
 * ```ts
 * import { MAX_LAUNCH_BYTES } from "./mod.ts";
 * console.log(MAX_LAUNCH_BYTES); // 27648
 * ```
 */
export const MAX_LAUNCH_BYTES = SUBMIT_PAYLOAD_LIMIT - 3 * 1024;

/**
 * The size of a job's own part of SubmitJob: the launch as it travels in `containerOverrides`, plus the job's tags
 * and retry strategy (UTF-8 bytes of their JSON). Compared with {@link MAX_LAUNCH_BYTES} by `checkLaunch`.
 *
 * @param job The validated job.
 * @param launch Its launch from {@link containerLaunch}.
 * @returns The byte count.
 * @example
 * ```ts
 * import { containerLaunch, launchBytes, type EZBatchJob } from "./mod.ts";
 * const job: EZBatchJob = {
 *   image: "alpine", command: ["echo", "hi"], environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "FARGATE", tags: {}, preloader: false,
 * };
 * console.log(launchBytes(job, containerLaunch(job)) < 100); // true
 * ```
 */
export function launchBytes(job: EZBatchJob, launch: ContainerLaunch): number {
  const json = JSON.stringify({
    containerOverrides: {
      command: launch.command,
      environment: Object.entries(launch.environment).map(([name, value]) => ({ name, value })),
    },
    tags: job.tags,
    retryStrategy: job.retry ?? null,
  });
  return new TextEncoder().encode(json).length;
}
