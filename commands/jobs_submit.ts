/**
 * `ezbatch jobs submit`: run an image and command directly (creating or reusing a content-addressed definition), or
 * an existing definition with overrides.
 * @module
 */
import type { ContainerOverrides, JobDependencyRef, SubmitJobInput } from "../core/backend_types.ts";
import {
  imageSlug,
  jobOverrides,
  renderJobDefinition,
  resourceRequirements,
  shellCommand,
  toKeyValues,
} from "../core/definitions.ts";
import { UsageError } from "../core/errors.ts";
import { isValidJobName } from "../core/names.ts";
import { addJobFlags, ensureDefinition, type JobFlags, jobFromFlags, renderOrExplain, rolesFor } from "./_job_flags.ts";
import type { CliContext } from "./context.ts";
import { Option } from "./deps.ts";
import { findDefinition } from "./job_definition.ts";
import { renderFinished, watchedExitCode, watchUntilDone } from "./jobs_control.ts";
import { queueOrDefault } from "./jobs_read.ts";
import { completing, intBetween, parseDurationSeconds, parseKeyValue, QUEUE_NAMES } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { warnSecretLikeEnv } from "./_warnings.ts";

/** Flags of `jobs submit`. */
interface SubmitFlags extends JobFlags {
  queue?: string;
  name?: string;
  definition?: string;
  arraySize?: number;
  dependsOn?: string[];
  tag?: Record<string, string>;
  watch?: boolean;
}

function parseDependency(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

function dependencies(specs: string[] | undefined): JobDependencyRef[] | undefined {
  if (!specs?.length) return undefined;
  if (specs.length > 20) throw new UsageError(`A job may wait for at most 20 jobs; got ${specs.length}`);
  return specs.map((spec) => {
    const m = /^(.+?)(?::(N_TO_N|n_to_n))?$/.exec(spec)!;
    return m[2] ? { jobId: m[1]!, type: "N_TO_N" as const } : { jobId: m[1]! };
  });
}

function defaultName(base: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${base}-${stamp}`.slice(0, 128);
}

function overridesOnly(flags: SubmitFlags, exec: string[]): {
  overrides: ContainerOverrides;
  extra: Pick<SubmitJobInput, "retryStrategy" | "timeout">;
} {
  if (flags.image || flags.from || flags.platform || flags.secret || flags.storage || flags.executionRole) {
    throw new UsageError(
      "With --definition only --command (or a command after --), --env, --vcpus, --memory, --gpus, --retry and " +
        "--timeout apply: the image, platform, secrets, storage and roles come from the definition",
    );
  }
  if (flags.command !== undefined && exec.length) {
    throw new UsageError("Give the command either with --command or after --, not both");
  }
  const overrides: ContainerOverrides = {};
  const command = exec.length ? exec : shellCommand(flags.command);
  if (command) overrides.command = command;
  if (flags.env) overrides.environment = toKeyValues(flags.env);
  if (flags.vcpus !== undefined || flags.memory !== undefined || flags.gpus !== undefined) {
    if (flags.vcpus === undefined || flags.memory === undefined) {
      throw new UsageError("To change the size of a definition's job give both --vcpus and --memory");
    }
    overrides.resourceRequirements = resourceRequirements({
      vcpus: flags.vcpus,
      memory: flags.memory,
      gpus: flags.gpus ?? 0,
    });
  }
  const extra: Pick<SubmitJobInput, "retryStrategy" | "timeout"> = {};
  if (flags.retry !== undefined) extra.retryStrategy = { attempts: flags.retry };
  if (flags.timeout !== undefined) {
    const seconds = parseDurationSeconds(flags.timeout);
    if (seconds < 60) throw new UsageError(`--timeout must be at least 60 seconds; got ${seconds}`);
    extra.timeout = { attemptDurationSeconds: seconds };
  }
  return { overrides, extra };
}

/** Submits one job as the flags say; returns the request sent and the id. */
export async function submitFromFlags(ctx: CliContext, flags: SubmitFlags, exec: string[]) {
  const jobQueue = await queueOrDefault(ctx, flags.queue);
  if (flags.name !== undefined && !isValidJobName(flags.name)) {
    throw new UsageError(
      `Job name '${flags.name}' is not valid: use 1 to 128 letters, digits, '-' and '_', starting with a letter or digit`,
    );
  }
  const depends = dependencies(flags.dependsOn);
  const backend = await ctx.backend();
  let request: SubmitJobInput;
  let definition: { name: string; revision: number; reused: boolean };
  if (flags.definition !== undefined) {
    const { overrides, extra } = overridesOnly(flags, exec);
    const found = await findDefinition(backend, ctx, flags.definition);
    definition = { name: found.jobDefinitionName, revision: found.revision, reused: true };
    request = {
      jobName: flags.name ?? defaultName(found.jobDefinitionName, ctx.now()),
      jobQueue,
      jobDefinition: `${found.jobDefinitionName}:${found.revision}`,
      ...extra,
    };
    if (Object.keys(overrides).length) request.containerOverrides = overrides;
  } else {
    const job = await jobFromFlags(flags, exec);
    const roles = await rolesFor(ctx, flags, job, backend);
    const input = renderOrExplain(() => renderJobDefinition(job, roles));
    definition = await ensureDefinition(backend, ctx, input);
    request = {
      jobName: flags.name ?? defaultName(imageSlug(job.image), ctx.now()),
      jobQueue,
      jobDefinition: `${definition.name}:${definition.revision}`,
      containerOverrides: jobOverrides(job),
    };
    if (job.retry) request.retryStrategy = { attempts: job.retry.attempts };
    if (job.timeout !== undefined) request.timeout = { attemptDurationSeconds: job.timeout };
  }
  if (flags.arraySize !== undefined) request.arrayProperties = { size: flags.arraySize };
  if (depends) request.dependsOn = depends;
  if (flags.tag) {
    request.tags = flags.tag;
    request.propagateTags = true;
  }
  warnSecretLikeEnv(ctx, request.jobName, (request.containerOverrides?.environment ?? []).map((e) => e.name));
  const submitted = await backend.submitJob(request, { signal: ctx.signal });
  return { ...submitted, jobQueue, jobDefinition: request.jobDefinition, definitionReused: definition.reused };
}

/** Adds `submit` to the `jobs` group. */
export function registerJobSubmitCommand(group: AnyCommand, ctx: CliContext): void {
  const submit = addJobFlags(
    group.command("submit").argument("[command...]", "exec-form command, after --")
      .description("run a container: an image and command, or an existing job definition")
      .addOption(completing(new Option("-q, --queue <queue>", "the queue (default: the config's queue)"), QUEUE_NAMES))
      .option("--name <name>", "the job's name (default: <image or definition>-<UTC time>)")
      .option("--definition <def>", "run this definition (name, name:revision or ARN) instead of --image")
      .option("--array-size <n>", "run an array job of this many children (2 to 10000)", intBetween(2, 10_000))
      .option("--depends-on <jobId>", "wait for this job (repeatable; id:N_TO_N pairs array children)", parseDependency)
      .option("--tag <key=value>", "tag the job (repeatable)", parseKeyValue)
      .option("-w, --watch", "wait until the job ends and exit with its exit code"),
  ).action(async (exec, given) => {
    const flags = given as typeof given & SubmitFlags;
    const result = await submitFromFlags(ctx, flags, exec);
    ctx.note(`Submitted job '${result.jobName}' to '${result.jobQueue}' (${result.jobDefinition}).`);
    if (!flags.watch) {
      ctx.print(result, () => result.jobId);
      return;
    }
    if (!ctx.json) ctx.out(result.jobId);
    const last = await watchUntilDone(ctx, [result.jobId]);
    const job = last.jobs[0]!;
    if (ctx.json) ctx.outJson({ ...result, job });
    // Not a note: the outcome is what a CI log needs, terminal or not (stdout keeps only the job id).
    else ctx.stderr.write(`${renderFinished([job], ctx)}\n`);
    ctx.exitCode = watchedExitCode(ctx, job);
  });
  examples(
    submit,
    "ezbatch jobs submit -q my-queue --image public.ecr.aws/docker/library/alpine:3.20 -- echo hello",
    "ezbatch jobs submit -q my-queue --image python:3.12 --vcpus 2 --memory 4096 --command 'python -c \"print(1)\"' --watch",
    "ezbatch jobs submit -q my-queue --definition my-def:3 --env STAGE=test --array-size 10",
  );
}
