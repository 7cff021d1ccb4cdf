/**
 * `ezbatch jobs submit`: run an image and command directly (creating or reusing a content-addressed definition), or
 * an existing definition with overrides.
 * @module
 */
import type { ContainerOverrides, JobDependencyRef, SubmitJobInput } from "../core/backend_types.ts";
import { imageSlug, resourceRequirements, shellCommand, toKeyValues } from "../core/definitions.ts";
import { UsageError } from "../core/errors.ts";
import { addSubmitExtras, checkJobName, defaultJobName, queueOf, submitJob } from "../core/actions/submit_job.ts";
import { checkFeatures } from "../core/job_features_check.ts";
import { submitFeatures } from "../core/job_features_render.ts";
import { hasFeatureFlags } from "./_feature_flags.ts";
import { addJobFlags, type JobFlags, jobFromFlags, jobRequestFromFlags, retryStrategyFromFlags } from "./_job_flags.ts";
import type { CliContext } from "./context.ts";
import { Option } from "./deps.ts";
import { findDefinition } from "./job_definition.ts";
import { renderFinished, watchedExitCode, watchUntilDone } from "./jobs_control.ts";
import { completing, intBetween, parseDurationSeconds, parseKeyValue, QUEUE_NAMES } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { warnLocalFeatures, warnSecretLikeEnv } from "./_warnings.ts";

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
  return specs.map((spec) => {
    const m = /^(.+?)(?::(N_TO_N|n_to_n))?$/.exec(spec)!;
    return m[2] ? { jobId: m[1]!, type: "N_TO_N" as const } : { jobId: m[1]! };
  });
}

type Extra = Pick<SubmitJobInput, "retryStrategy" | "timeout" | "schedulingPriorityOverride" | "shareIdentifier">;

function overridesOnly(flags: SubmitFlags, exec: string[]): { overrides: ContainerOverrides; extra: Extra } {
  const { priority, share, ...definitionFeatures } = flags;
  if (
    flags.image || flags.from || flags.platform || flags.secret || flags.storage || flags.executionRole ||
    flags.jobRole || flags.assignPublicIp !== undefined || hasFeatureFlags(definitionFeatures)
  ) {
    throw new UsageError(
      "With --definition only --command (or a command after --), --env, --vcpus, --memory, --gpus, --retry, " +
        "--retry-on-exit-code, " +
        "--timeout, --priority and --share apply: the image, platform, secrets, storage, roles, public IP, " +
        "volumes, limits, user and nodes come from the definition",
    );
  }
  const problems: string[] = [];
  // The workflow file's rules for the two SubmitJob-only features; the rest of the job is the definition's.
  checkFeatures("job", { platform: "EC2", memory: Infinity, priority, share }, (field, message) => {
    problems.push(`--${field}: ${message}`);
  });
  if (problems.length) throw new UsageError(problems.join("; "));
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
  const extra: Extra = submitFeatures({ priority, share });
  const retry = retryStrategyFromFlags(flags);
  if (retry) extra.retryStrategy = retry;
  if (flags.timeout !== undefined) {
    const seconds = parseDurationSeconds(flags.timeout);
    if (seconds < 60) throw new UsageError(`--timeout must be at least 60 seconds; got ${seconds}`);
    extra.timeout = { attemptDurationSeconds: seconds };
  }
  return { overrides, extra };
}

/** Submits one job as the flags say; returns what was submitted. The image path is the core's `submitJob`. */
export async function submitFromFlags(ctx: CliContext, flags: SubmitFlags, exec: string[]) {
  const settings = await ctx.settings();
  const jobQueue = queueOf(flags.queue, settings, ctx.wantsLocal || settings.backend === "local");
  if (flags.name !== undefined) checkJobName(flags.name);
  const extras = {
    ...(flags.arraySize !== undefined ? { arraySize: flags.arraySize } : {}),
    ...(dependencies(flags.dependsOn) ? { dependsOn: dependencies(flags.dependsOn)! } : {}),
    ...(flags.tag ? { tags: flags.tag } : {}),
  };
  if (flags.definition === undefined) {
    const job = await jobFromFlags(flags, exec);
    const shownName = flags.name ?? defaultJobName(imageSlug(job.image), ctx.now());
    warnSecretLikeEnv(ctx, shownName, Object.keys(job.environment));
    const backend = await ctx.backend();
    warnLocalFeatures(ctx, backend.kind, { [shownName]: job });
    const submitted = await submitJob(backend, {
      ...jobRequestFromFlags(flags, job),
      queue: jobQueue,
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...extras,
    }, {
      settings,
      now: ctx.now,
      signal: ctx.signal,
    });
    const { message: _m, request: _r, ...result } = submitted;
    return result;
  }
  const backend = await ctx.backend();
  const { overrides, extra } = overridesOnly(flags, exec);
  const found = await findDefinition(backend, ctx, flags.definition);
  const request: SubmitJobInput = {
    jobName: flags.name ?? defaultJobName(found.jobDefinitionName, ctx.now()),
    jobQueue,
    jobDefinition: `${found.jobDefinitionName}:${found.revision}`,
    ...extra,
  };
  if (Object.keys(overrides).length) request.containerOverrides = overrides;
  addSubmitExtras(request, extras);
  warnSecretLikeEnv(ctx, request.jobName, (request.containerOverrides?.environment ?? []).map((e) => e.name));
  const submitted = await backend.submitJob(request, { signal: ctx.signal });
  return { ...submitted, jobQueue, jobDefinition: request.jobDefinition, definitionReused: true };
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
