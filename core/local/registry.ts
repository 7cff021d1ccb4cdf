/**
 * Job definitions, job queues and compute environments of the local backend: pure functions over the state.
 *
 * Queues: a fresh state has the compute environment `ezbatch-local` and the queue `ezbatch-local` (default).
 * Submitting to a queue name that does not exist creates it as a local queue on `ezbatch-local`, so a workflow
 * written for any AWS queue runs locally unchanged (`autoCreateQueues: false` turns this off). A DISABLED queue
 * refuses submissions as on AWS; jobs of a queue whose compute environments are all DISABLED wait in RUNNABLE.
 * @module
 */
import type {
  ComputeEnvironment,
  ComputeEnvironmentInput,
  ComputeEnvironmentUpdate,
  JobDefinition,
  JobDefinitionInput,
  JobQueue,
  JobQueueInput,
  JobQueueUpdate,
} from "../backend_types.ts";
import { AwsCallError, NotFoundError } from "../errors.ts";
import { isValidResourceName } from "../names.ts";
import type { LocalState } from "./_types.ts";

/** Name of the default queue and compute environment. */
export const DEFAULT_LOCAL_QUEUE = "ezbatch-local";
const ARN_PREFIX = "arn:aws:batch:local:000000000000";

/** The fake ARN of a local resource. */
export function localArn(kind: "job" | "job-queue" | "job-definition" | "compute-environment", id: string): string {
  return `${ARN_PREFIX}:${kind}/${id}`;
}

/** A client error as AWS Batch would report it (`ClientException`). */
export function clientError(operation: string, message: string): AwsCallError {
  return new AwsCallError({ service: "Batch (local)", operation, code: "ClientException" }, message);
}

/** The default compute environment and queue of a fresh state. */
export function defaultInfrastructure(): Pick<LocalState, "queues" | "computeEnvironments"> {
  return {
    computeEnvironments: [{
      computeEnvironmentName: DEFAULT_LOCAL_QUEUE,
      computeEnvironmentArn: localArn("compute-environment", DEFAULT_LOCAL_QUEUE),
      type: "UNMANAGED",
      state: "ENABLED",
      status: "VALID",
      statusReason: "Runs jobs as processes on this machine",
    }],
    queues: [newQueue(DEFAULT_LOCAL_QUEUE)],
  };
}

function newQueue(name: string): JobQueue {
  return {
    jobQueueName: name,
    jobQueueArn: localArn("job-queue", name),
    state: "ENABLED",
    status: "VALID",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: localArn("compute-environment", DEFAULT_LOCAL_QUEUE) }],
  };
}

/** The last path segment of an ARN, or the value itself. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
}

/** Finds a queue by name or ARN; with `autoCreate` an unknown name becomes a new local queue. */
export function resolveQueue(state: LocalState, nameOrArn: string, autoCreate: boolean): JobQueue {
  const name = nameOf(nameOrArn);
  const found = state.queues.find((q) => q.jobQueueName === name);
  if (found) return found;
  if (!autoCreate || !isValidResourceName(name)) {
    throw clientError(
      "SubmitJob",
      `Job queue '${nameOrArn}' does not exist: create it or use '${DEFAULT_LOCAL_QUEUE}'`,
    );
  }
  const queue = newQueue(name);
  state.queues.push(queue);
  return queue;
}

/** The first ENABLED compute environment of a queue, if any. */
export function enabledEnvironment(state: LocalState, queue: JobQueue): ComputeEnvironment | undefined {
  const order = [...queue.computeEnvironmentOrder].sort((a, b) => a.order - b.order);
  for (const entry of order) {
    const ce = state.computeEnvironments.find((c) => c.computeEnvironmentName === nameOf(entry.computeEnvironment));
    if (ce && ce.state !== "DISABLED") return ce;
  }
  return undefined;
}

/** Registers a new revision of a definition. */
export function registerDefinition(state: LocalState, input: JobDefinitionInput): JobDefinition {
  if (!isValidResourceName(input.jobDefinitionName)) {
    throw clientError(
      "RegisterJobDefinition",
      `Job definition name '${input.jobDefinitionName}' is invalid: use 1-128 letters, digits, '-' or '_'`,
    );
  }
  const revisions = state.definitions.filter((d) => d.jobDefinitionName === input.jobDefinitionName);
  const revision = Math.max(0, ...revisions.map((d) => d.revision)) + 1;
  const definition: JobDefinition = {
    ...structuredClone(input),
    revision,
    status: "ACTIVE",
    jobDefinitionArn: localArn("job-definition", `${input.jobDefinitionName}:${revision}`),
  };
  state.definitions.push(definition);
  return definition;
}

/** Finds a definition by `name` (latest ACTIVE revision), `name:revision` or ARN. */
export function findDefinition(state: LocalState, ref: string): JobDefinition | undefined {
  const [name, rev] = nameOf(ref).split(":");
  if (rev === undefined) {
    return state.definitions.filter((d) => d.jobDefinitionName === name && d.status === "ACTIVE")
      .sort((a, b) => b.revision - a.revision)[0];
  }
  return state.definitions.find((d) => d.jobDefinitionName === name && String(d.revision) === rev);
}

/** Marks a definition `name:revision` (or ARN) INACTIVE. */
export function deregisterDefinition(state: LocalState, ref: string): void {
  if (!nameOf(ref).includes(":")) {
    throw clientError("DeregisterJobDefinition", `Give the definition as 'name:revision' or an ARN, not '${ref}'`);
  }
  const found = findDefinition(state, ref);
  if (!found) throw new NotFoundError(`Job definition '${ref}' does not exist`);
  found.status = "INACTIVE";
}

/** Creates a compute environment. */
export function createEnvironment(state: LocalState, input: ComputeEnvironmentInput): ComputeEnvironment {
  const name = input.computeEnvironmentName;
  if (!isValidResourceName(name)) {
    throw clientError(
      "CreateComputeEnvironment",
      `Compute environment name '${name}' is invalid: use 1-128 letters, digits, '-' or '_'`,
    );
  }
  if (state.computeEnvironments.some((c) => c.computeEnvironmentName === name)) {
    throw clientError("CreateComputeEnvironment", `Compute environment '${name}' already exists`);
  }
  const ce: ComputeEnvironment = {
    ...structuredClone(input),
    computeEnvironmentArn: localArn("compute-environment", name),
    state: input.state ?? "ENABLED",
    status: "VALID",
  };
  state.computeEnvironments.push(ce);
  return ce;
}

/** Finds a compute environment by name or ARN or throws NotFoundError. */
export function getEnvironment(state: LocalState, nameOrArn: string): ComputeEnvironment {
  const ce = state.computeEnvironments.find((c) => c.computeEnvironmentName === nameOf(nameOrArn));
  if (!ce) throw new NotFoundError(`Compute environment '${nameOrArn}' does not exist`);
  return ce;
}

/** Updates the state or size of a compute environment. */
export function updateEnvironment(state: LocalState, name: string, update: ComputeEnvironmentUpdate): void {
  const ce = getEnvironment(state, name);
  if (update.state) ce.state = update.state;
  if (update.maxvCpus !== undefined && ce.computeResources) ce.computeResources.maxvCpus = update.maxvCpus;
}

/** Deletes a DISABLED compute environment that no queue uses. */
/**
 * Refuses to delete the built-in environment: every local queue (and every queue created on submit) runs on it, so
 * without it every later local job would wait in RUNNABLE forever.
 */
export function refuseBuiltInDelete(name: string): void {
  if (nameOf(name) !== DEFAULT_LOCAL_QUEUE) return;
  throw clientError(
    "DeleteComputeEnvironment",
    `'${DEFAULT_LOCAL_QUEUE}' is the local backend's own compute environment and cannot be deleted: every local ` +
      `queue runs on it. Disable it to pause local jobs ('ezbatch --local ce disable ${DEFAULT_LOCAL_QUEUE}')`,
  );
}

export function deleteEnvironment(state: LocalState, name: string): void {
  refuseBuiltInDelete(name);
  const ce = getEnvironment(state, name);
  if (ce.state !== "DISABLED") {
    throw clientError("DeleteComputeEnvironment", `Compute environment '${name}' must be DISABLED before deletion`);
  }
  const users = state.queues.filter((q) =>
    q.computeEnvironmentOrder.some((o) => nameOf(o.computeEnvironment) === ce.computeEnvironmentName)
  );
  if (users.length > 0) {
    throw clientError(
      "DeleteComputeEnvironment",
      `Compute environment '${name}' is used by queue '${users[0]!.jobQueueName}': detach it first`,
    );
  }
  state.computeEnvironments = state.computeEnvironments.filter((c) => c !== ce);
}

/** Creates a job queue; its compute environments must exist. */
export function createQueue(state: LocalState, input: JobQueueInput): JobQueue {
  if (!isValidResourceName(input.jobQueueName)) {
    throw clientError(
      "CreateJobQueue",
      `Job queue name '${input.jobQueueName}' is invalid: use 1-128 letters, digits, '-' or '_'`,
    );
  }
  if (state.queues.some((q) => q.jobQueueName === input.jobQueueName)) {
    throw clientError("CreateJobQueue", `Job queue '${input.jobQueueName}' already exists`);
  }
  checkOrder(state, input.computeEnvironmentOrder, "CreateJobQueue");
  const queue: JobQueue = {
    ...structuredClone(input),
    computeEnvironmentOrder: input.computeEnvironmentOrder.map((o) => ({
      order: o.order,
      computeEnvironment: getEnvironment(state, o.computeEnvironment).computeEnvironmentArn,
    })),
    jobQueueArn: localArn("job-queue", input.jobQueueName),
    state: input.state ?? "ENABLED",
    status: "VALID",
  };
  state.queues.push(queue);
  return queue;
}

function checkOrder(state: LocalState, order: JobQueueInput["computeEnvironmentOrder"], operation: string): void {
  if (order.length < 1 || order.length > 3) {
    throw clientError(operation, `A job queue needs 1 to 3 compute environments, got ${order.length}`);
  }
  for (const o of order) getEnvironment(state, o.computeEnvironment);
}

/** Finds a queue by name or ARN or throws NotFoundError. */
export function getQueue(state: LocalState, nameOrArn: string): JobQueue {
  const queue = state.queues.find((q) => q.jobQueueName === nameOf(nameOrArn));
  if (!queue) throw new NotFoundError(`Job queue '${nameOrArn}' does not exist`);
  return queue;
}

/** Updates a queue's state, priority or environments. */
export function updateQueue(state: LocalState, name: string, update: JobQueueUpdate): void {
  const queue = getQueue(state, name);
  if (update.state) queue.state = update.state;
  if (update.priority !== undefined) queue.priority = update.priority;
  if (update.computeEnvironmentOrder) {
    checkOrder(state, update.computeEnvironmentOrder, "UpdateJobQueue");
    queue.computeEnvironmentOrder = update.computeEnvironmentOrder.map((o) => ({
      order: o.order,
      computeEnvironment: getEnvironment(state, o.computeEnvironment).computeEnvironmentArn,
    }));
  }
}

/** Deletes a DISABLED queue. */
export function deleteQueue(state: LocalState, name: string): void {
  const queue = getQueue(state, name);
  if (queue.state !== "DISABLED") {
    throw clientError("DeleteJobQueue", `Job queue '${name}' must be DISABLED before deletion`);
  }
  state.queues = state.queues.filter((q) => q !== queue);
}
