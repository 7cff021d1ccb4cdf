/**
 * Shared steps of the compute-environment and job-queue commands: finding resources by name, listing every page,
 * and waiting for them to settle.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { ComputeEnvironment, JobQueue } from "../core/backend_types.ts";
import { NotFoundError, UsageError } from "../core/errors.ts";
import { isValidResourceName } from "../core/names.ts";
import type { CliContext } from "./context.ts";
import { DEFAULT_WAIT_SECONDS, readAllPages, waitUntil } from "./wait.ts";

/** Options of every command that waits. */
export interface WaitFlags {
  /** False with `--no-wait`. */
  wait?: boolean;
  /** Time limit in seconds (parsed from e.g. `10m`). */
  timeout?: number;
}

/** Help texts of `--no-wait` and `--timeout`. */
export const WAIT_HELP = {
  noWait: "return at once instead of waiting for AWS to finish",
  timeout: `give up waiting after this long (default ${DEFAULT_WAIT_SECONDS / 60}m)`,
};

/** The time limit of a wait in seconds. */
export function timeoutSeconds(flags: WaitFlags): number {
  return flags.timeout ?? DEFAULT_WAIT_SECONDS;
}

/** Checks a resource name before any call. */
export function checkName(kind: string, name: string): void {
  if (!isValidResourceName(name)) {
    throw new UsageError(`${kind} name '${name}' is not valid: use 1 to 128 letters, digits, '-' and '_'`);
  }
}

/** The name at the end of an ARN (`...:job-queue/name` -> `name`), or the text itself. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
}

/** Every compute environment, all pages. */
export function listAllComputeEnvironments(backend: Backend, ctx: CliContext): Promise<ComputeEnvironment[]> {
  return readAllPages(async (nextToken) => {
    const page = await backend.describeComputeEnvironments(undefined, { nextToken, signal: ctx.signal });
    return { items: page.computeEnvironments, nextToken: page.nextToken };
  });
}

/** Every job queue, all pages. */
export function listAllQueues(backend: Backend, ctx: CliContext): Promise<JobQueue[]> {
  return readAllPages(async (nextToken) => {
    const page = await backend.describeJobQueues(undefined, { nextToken, signal: ctx.signal });
    return { items: page.jobQueues, nextToken: page.nextToken };
  });
}

/** The compute environment named `name`, or undefined. */
export async function getComputeEnvironment(
  backend: Backend,
  ctx: CliContext,
  name: string,
): Promise<ComputeEnvironment | undefined> {
  const page = await backend.describeComputeEnvironments([name], { signal: ctx.signal });
  return page.computeEnvironments.find((c) => c.computeEnvironmentName === name || c.computeEnvironmentArn === name);
}

/** The compute environment named `name`; throws NotFoundError with a hint when there is none. */
export async function findComputeEnvironment(
  backend: Backend,
  ctx: CliContext,
  name: string,
): Promise<ComputeEnvironment> {
  const ce = await getComputeEnvironment(backend, ctx, name);
  if (!ce || ce.status === "DELETED") {
    throw new NotFoundError(
      `Compute environment '${name}' does not exist; 'ezbatch compute-environment list' shows the ones there are`,
    );
  }
  return ce;
}

/** The job queue named `name`, or undefined. */
export async function getQueue(backend: Backend, ctx: CliContext, name: string): Promise<JobQueue | undefined> {
  const page = await backend.describeJobQueues([name], { signal: ctx.signal });
  return page.jobQueues.find((q) => q.jobQueueName === name || q.jobQueueArn === name);
}

/** The job queue named `name`; throws NotFoundError with a hint when there is none. */
export async function findQueue(backend: Backend, ctx: CliContext, name: string): Promise<JobQueue> {
  const queue = await getQueue(backend, ctx, name);
  if (!queue || queue.status === "DELETED") {
    throw new NotFoundError(`Job queue '${name}' does not exist; 'ezbatch job-queue list' shows the ones there are`);
  }
  return queue;
}

/** What a wait expects of a resource. */
export type Goal = { state?: "ENABLED" | "DISABLED" } | "gone";

function describeGoal(goal: Goal): string {
  if (goal === "gone") return "be deleted";
  return goal.state ? `be ${goal.state} and VALID` : "become VALID";
}

function check(
  resource: { state?: string; status?: string; statusReason?: string } | undefined,
  goal: Goal,
): { done: boolean; status: string; failure?: string } {
  if (goal === "gone") {
    if (!resource || resource.status === "DELETED") return { done: true, status: "DELETED" };
    return { done: false, status: resource.status ?? "?" };
  }
  if (!resource) return { done: false, status: "missing", failure: "it does not exist (any more)" };
  const status = `${resource.state ?? "?"}/${resource.status ?? "?"}`;
  if (resource.status === "INVALID") {
    return { done: false, status, failure: `it is INVALID: ${resource.statusReason ?? "no reason given"}` };
  }
  const done = resource.status === "VALID" && (!goal.state || resource.state === goal.state);
  return { done, status };
}

/** Waits until a compute environment reaches `goal`. */
export function waitForComputeEnvironment(
  backend: Backend,
  ctx: CliContext,
  name: string,
  goal: Goal,
  seconds: number,
): Promise<void> {
  return waitUntil(ctx, {
    what: `compute environment '${name}' to ${describeGoal(goal)}`,
    poll: async () => check(await getComputeEnvironment(backend, ctx, name), goal),
  }, seconds);
}

/** Waits until a job queue reaches `goal`. */
export function waitForQueue(
  backend: Backend,
  ctx: CliContext,
  name: string,
  goal: Goal,
  seconds: number,
): Promise<void> {
  return waitUntil(ctx, {
    what: `job queue '${name}' to ${describeGoal(goal)}`,
    poll: async () => check(await getQueue(backend, ctx, name), goal),
  }, seconds);
}

/** The queues whose compute environment order names `ce` (by name or ARN). */
export function queuesUsing(queues: JobQueue[], ce: ComputeEnvironment): JobQueue[] {
  return queues.filter((q) =>
    q.status !== "DELETED" &&
    q.computeEnvironmentOrder.some((o) =>
      o.computeEnvironment === ce.computeEnvironmentArn || nameOf(o.computeEnvironment) === ce.computeEnvironmentName
    )
  );
}
