/**
 * A job described by command-line flags (`job-definition create`, `jobs submit`), validated by the same rules as a
 * workflow file, and the content-addressed definition it needs (reused when an identical ACTIVE one exists).
 * @module
 */
import type { DefinitionRequest } from "../core/actions/definition.ts";
import type { RetryStrategyProps } from "../core/backend_types.ts";
import { retryStrategy } from "../core/definitions.ts";
import { UsageError, WorkflowError } from "../core/errors.ts";
import { defineWorkflow } from "../core/define.ts";
import { loadWorkflow } from "../core/load.ts";
import type { EZBatchJob } from "../core/model.ts";
import type { JobInput } from "../core/schema.ts";
import { addFeatureFlags, applyFeatureFlags, type FeatureFlags, flagOfField } from "./_feature_flags.ts";
import { choiceOption, intBetween, parseKeyValue, positiveNumber } from "./parse.ts";
import { collect, retryFlagOfField, type RetryFlags, retryFromFlags } from "./_retry_flags.ts";
import type { AnyCommand } from "./program.ts";

/** The flags that describe a container job. */
export interface JobFlags extends FeatureFlags, RetryFlags {
  image?: string;
  command?: string;
  vcpus?: number;
  memory?: number;
  gpus?: number;
  platform?: "FARGATE" | "EC2";
  env?: Record<string, string>;
  secret?: Record<string, string>;
  timeout?: string;
  storage?: number;
  executionRole?: string;
  jobRole?: string;
  assignPublicIp?: boolean;
  from?: string;
  job?: string;
}

/** Adds the job flags to a command. */
export function addJobFlags<C extends AnyCommand>(command: C): C {
  command
    .option("--image <image>", "container image, e.g. public.ecr.aws/docker/library/alpine:3.20")
    .option("--command <shell>", "command run under /bin/sh -c (or give exec form after --)")
    .option("--vcpus <n>", "vCPUs (Fargate: 0.25, 0.5, 1, 2, 4, 8, 16; default 1)", positiveNumber)
    .option("--memory <mib>", "memory in MiB (default 2048)", intBetween(4, 10_000_000))
    .option("--gpus <n>", "GPUs (EC2 only)", intBetween(0, 64))
    .addOption(choiceOption("--platform <platform>", "FARGATE (default) or EC2", ["FARGATE", "EC2"] as const))
    .option("--env <name=value>", "environment variable (repeatable)", parseKeyValue)
    .option("--secret <name=arn>", "variable from Secrets Manager or SSM (repeatable)", parseKeyValue)
    .option("--retry <attempts>", "attempts in all, 1 to 10", intBetween(1, 10))
    .option(
      "--retry-on-exit-code <code>",
      "with --retry: retry only when the job exits with this code, e.g. 137 (repeatable; digits, optional " +
        "trailing *); any other failure is not retried",
      collect,
    )
    .option("--timeout <duration>", "attempt time limit, e.g. 90m or 2h (at least 60 s)")
    .option("--storage <gib>", "ephemeral storage in GiB (Fargate, 21 to 200)", intBetween(21, 200))
    .option("--execution-role <arn>", "execution role for Fargate (default: the config's executionRoleArn)")
    .option("--job-role <arn>", "role the job runs as (default: the config's taskRoleArn)")
    .option(
      "--assign-public-ip",
      "Fargate: give the task a public IP, needed to pull images on a subnet without a NAT gateway " +
        "(default: the config's assignPublicIp, else no)",
    )
    .option("--no-assign-public-ip", "Fargate: no public IP, even when the config says so")
    .option("--from <file>", "take the job from a workflow file (with --job)")
    .option("--job <name>", "the job of --from to use");
  return addFeatureFlags(command);
}

/**
 * The workflow rules' messages, in flag terms: the job is the one the flags describe, settings are flags, and a
 * problem of a field a flag sets starts with that flag.
 */
function usageFrom(error: WorkflowError): UsageError {
  return new UsageError(
    error.issues.map((i) => {
      const message = i.message.replace(/^Job 'job' /, "The job ").replace("platform = 'EC2'", "--platform EC2")
        .replace("platform = 'FARGATE'", "--platform FARGATE");
      const flag = flagOfField(i.field) ?? retryFlagOfField(i.field);
      return flag ? `${flag}: ${message}` : message;
    }).join("; "),
  );
}

/**
 * The validated job the flags describe. `exec` is the command given after `--` (exec form). With `--from`, the job
 * comes from the file and flags given besides override it.
 * @throws UsageError for flags that do not make a valid job.
 */
export async function jobFromFlags(flags: JobFlags, exec: string[]): Promise<EZBatchJob> {
  if (flags.command !== undefined && exec.length) {
    throw new UsageError("Give the command either with --command or after --, not both");
  }
  let base: EZBatchJob | undefined;
  if (flags.from !== undefined) {
    const wf = await loadWorkflow(flags.from);
    const names = Object.keys(wf.jobs);
    const name = flags.job ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined) {
      throw new UsageError(`'${flags.from}' has ${names.length} jobs: say which with --job (${names.join(", ")})`);
    }
    base = wf.jobs[name];
    if (!base) throw new UsageError(`'${flags.from}' has no job '${name}': its jobs are ${names.join(", ")}`);
  } else if (flags.job !== undefined) {
    throw new UsageError("--job picks a job of a workflow file: give the file with --from");
  }
  const image = flags.image ?? base?.image;
  if (!image) throw new UsageError("Say what to run: --image IMAGE (or --from FILE --job NAME)");
  const input: JobInput = base ? { ...structuredClone(base) as JobInput, image } : { image };
  if (flags.command !== undefined) input.command = flags.command;
  if (exec.length) input.command = exec;
  if (flags.vcpus !== undefined) input.vcpus = flags.vcpus;
  if (flags.memory !== undefined) input.memory = flags.memory;
  if (flags.gpus !== undefined) input.gpus = flags.gpus;
  if (flags.platform !== undefined) input.platform = flags.platform;
  if (flags.env) input.environment = { ...input.environment, ...flags.env };
  if (flags.secret) input.secrets = { ...input.secrets, ...flags.secret };
  const retry = retryFromFlags(flags, base?.retry);
  if (retry) input.retry = retry;
  if (flags.timeout !== undefined) input.timeout = /^\d+$/.test(flags.timeout) ? Number(flags.timeout) : flags.timeout;
  if (flags.storage !== undefined) input.storage_size = flags.storage;
  if (flags.jobRole !== undefined) input.job_role = flags.jobRole; // checked as the file's job_role is
  applyFeatureFlags(input, flags);
  delete input.matrix; // a single job; sweeps belong in workflow files
  try {
    return defineWorkflow({ name: "cli", jobs: { job: input } }).jobs.job!;
  } catch (error) {
    if (error instanceof WorkflowError) throw usageFrom(error);
    throw error;
  }
}

/**
 * The retry strategy the retry flags alone give (`jobs submit --definition`): checked by the workflow file's rules
 * through a placeholder job, of which only `retry` is used, and rendered as a workflow file's is.
 * @throws UsageError for flags that do not make a valid retry strategy.
 */
export function retryStrategyFromFlags(flags: RetryFlags): RetryStrategyProps | undefined {
  const retry = retryFromFlags(flags);
  if (!retry) return undefined;
  try {
    return retryStrategy(
      defineWorkflow({ name: "cli", jobs: { job: { image: "placeholder", retry } } }).jobs.job!.retry!,
    );
  } catch (error) {
    if (error instanceof WorkflowError) throw usageFrom(error);
    throw error;
  }
}

/** The core request parts the job flags give: the job, the roles and the public-IP choice. */
export function jobRequestFromFlags(flags: JobFlags, job: EZBatchJob): DefinitionRequest {
  return {
    job,
    ...(flags.executionRole ? { executionRole: flags.executionRole } : {}),
    ...(flags.jobRole ? { jobRole: flags.jobRole } : {}),
    ...(flags.assignPublicIp !== undefined ? { assignPublicIp: flags.assignPublicIp } : {}),
  };
}
