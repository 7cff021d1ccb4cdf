/**
 * Creating a job queue, decided once for every face: 1 to 3 distinct compute environments in order of preference,
 * all existing, not mixing Fargate with EC2/Spot, each VALID before the queue is created.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { ComputeEnvironment, JobQueueInput } from "../backend_types.ts";
import { EzBatchError, NotFoundError, UsageError } from "../errors.ts";
import { isValidResourceName } from "../names.ts";
import { isFargateType } from "./compute_environment.ts";

/** What a person asked for. */
export interface JobQueueRequest {
  /** The new queue's name. */
  name: string;
  /** 1 to 3 compute environment names or ARNs, the preferred first. */
  computeEnvironments: string[];
  /** Higher runs first when queues share environments; default 1. */
  priority?: number;
  /** Cancel jobs stuck in RUNNABLE this long (a duration such as `2h`; 10m to 24h). */
  stuckAfter?: string;
  /** The status reason given to such jobs. */
  stuckReason?: string;
  /** Tags of the queue. */
  tags?: Record<string, string>;
  /** Create it DISABLED. */
  disabled?: boolean;
  /** ARN of a fair-share scheduling policy. */
  schedulingPolicyArn?: string;
}

/**
 * The CreateJobQueue input of a request (checked before any call).
 * @throws {UsageError} For a request AWS Batch would refuse.
 */
export function jobQueueInput(request: JobQueueRequest): JobQueueInput {
  const { name } = request;
  if (!isValidResourceName(name)) {
    throw new UsageError(`Job queue name '${name}' is not valid: use 1 to 128 letters, digits, '-' and '_'`);
  }
  const envs = request.computeEnvironments;
  if (envs.length < 1 || envs.length > 3) {
    throw new UsageError(`A job queue takes 1 to 3 compute environments, in order; got ${envs.length}`);
  }
  if (new Set(envs).size !== envs.length) throw new UsageError("--compute-environments names one environment twice");
  const input: JobQueueInput = {
    jobQueueName: name,
    state: request.disabled ? "DISABLED" : "ENABLED",
    priority: request.priority ?? 1,
    computeEnvironmentOrder: envs.map((computeEnvironment, i) => ({ order: i + 1, computeEnvironment })),
  };
  if (request.stuckAfter !== undefined) {
    const seconds = durationSeconds(request.stuckAfter);
    if (seconds < 600 || seconds > 86_400) {
      throw new UsageError(`--stuck-after must be from 10m to 24h (600 to 86400 seconds); got ${seconds} s`);
    }
    input.jobStateTimeLimitActions = [{
      reason: request.stuckReason ?? `Stuck in RUNNABLE for more than ${request.stuckAfter}`,
      state: "RUNNABLE",
      maxTimeSeconds: seconds,
      action: "CANCEL",
    }];
  }
  if (request.tags) input.tags = request.tags;
  if (request.schedulingPolicyArn) input.schedulingPolicyArn = request.schedulingPolicyArn;
  return input;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function durationSeconds(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== t) {
    throw new UsageError(`--stuck-after '${text}' is not a duration: use e.g. 90, 90s, 15m, 2h or 1h30m`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/** Why these environments cannot serve one queue, or undefined when they can. */
export function queueEnvironmentsProblem(
  envs: Pick<ComputeEnvironment, "computeEnvironmentName" | "computeResources">[],
): string | undefined {
  if (envs.length < 1 || envs.length > 3) return `A job queue takes 1 to 3 compute environments, not ${envs.length}`;
  const kinds = new Set(envs.map((e) => isFargateType(e.computeResources?.type) ? "Fargate" : "EC2"));
  return kinds.size > 1
    ? "A job queue cannot mix Fargate and EC2/SPOT compute environments: " +
      envs.map((e) => e.computeEnvironmentName).join(", ")
    : undefined;
}

/** Options of `createJobQueue()`. */
export interface CreateQueueOptions {
  /** Waits until a compute environment that is not VALID yet settles (the face shows the wait). */
  settle: (name: string) => Promise<void>;
  /** Aborts the calls. */
  signal?: AbortSignal;
}

/**
 * Creates a job queue after checking its compute environments exist, do not mix kinds, and are VALID.
 * @throws {UsageError} For a bad request; {NotFoundError} for a missing environment; {EzBatchError} for mixed kinds.
 */
export async function createJobQueue(
  backend: Backend,
  request: JobQueueRequest,
  options: CreateQueueOptions,
): Promise<{ input: JobQueueInput; arn: string; message: string }> {
  const input = jobQueueInput(request);
  const found: ComputeEnvironment[] = [];
  for (const name of request.computeEnvironments) {
    const page = await backend.describeComputeEnvironments([name], { signal: options.signal });
    const ce = page.computeEnvironments.find((c) =>
      c.computeEnvironmentName === name || c.computeEnvironmentArn === name
    );
    if (!ce || ce.status === "DELETED") {
      throw new NotFoundError(
        `Compute environment '${name}' does not exist; 'ezbatch compute-environment list' shows the ones there are`,
      );
    }
    found.push(ce);
  }
  const problem = queueEnvironmentsProblem(found);
  if (problem) throw new EzBatchError(problem);
  for (const ce of found) if (ce.status !== "VALID") await options.settle(ce.computeEnvironmentName);
  const { arn } = await backend.createJobQueue(input, { signal: options.signal });
  return { input, arn, message: `Created job queue '${request.name}'.` };
}
