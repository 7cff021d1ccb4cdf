/**
 * SubmitJob for the local backend: validates the input as AWS Batch does and adds the job records (an array job
 * becomes a parent plus `<id>:<index>` children whose dependencies are resolved here: plain ones wait for the
 * whole job, N_TO_N pairs child i with child i, SEQUENTIAL chains the children in index order).
 * @module
 */
import type {
  ContainerOverrides,
  ContainerProperties,
  JobDefinition,
  KeyValue,
  ResourceRequirement,
  SubmitJobInput,
} from "../backend_types.ts";
import { NotFoundError } from "../errors.ts";
import { isValidJobName } from "../names.ts";
import type { JobRecord, JobSpec, LocalState } from "./_types.ts";
import { clientError, findDefinition, resolveQueue } from "./registry.ts";
import { definitionContainer, localFeatures, submissionOverrides } from "./features.ts";
import { nodeSegments as segmentsOf } from "./nodes.ts";

/** How a submission is made. */
export interface SubmitContext {
  /** Epoch ms. */
  now: number;
  /** Create unknown queues as local queues. */
  autoCreateQueues: boolean;
  /** Serve s3:// from this directory in the job (the aws shim). */
  s3Dir?: string;
}

const fail = (message: string) => clientError("SubmitJob", message);

/** Validates `input` and adds its records to `state`; returns the (parent) record. */
export function submitToState(state: LocalState, input: SubmitJobInput, context: SubmitContext): JobRecord {
  if (!isValidJobName(input.jobName)) {
    throw fail(
      `Job name '${input.jobName}' is invalid: use 1-128 letters, digits, '-' or '_', starting with a letter or digit`,
    );
  }
  const definition = findDefinition(state, input.jobDefinition);
  // As AWS: a missing or INACTIVE definition is "not found" (the engine then registers it).
  if (definition?.status !== "ACTIVE") {
    const why = definition ? "is INACTIVE" : "does not exist";
    throw new NotFoundError(`Job definition '${input.jobDefinition}' ${why}`, { resource: "job-definition" });
  }
  const queue = resolveQueue(state, input.jobQueue, context.autoCreateQueues);
  if (queue.state === "DISABLED") throw fail(`Job queue '${queue.jobQueueName}' is DISABLED: enable it to submit`);
  // A multi-node job's nodes run as children, as an array's do (features.ts gives them the node variables).
  const size = input.arrayProperties?.size ?? input.nodeOverrides?.numNodes ?? definition.nodeProperties?.numNodes;
  if (size !== undefined && (!Number.isInteger(size) || size < 2 || size > 10_000)) {
    throw fail(`Array size ${size} is invalid: use a whole number from 2 to 10000`);
  }
  const retryStrategy = input.retryStrategy ?? definition.retryStrategy;
  checkRetry(retryStrategy);
  const timeout = input.timeout ?? definition.timeout;
  if (timeout && !(timeout.attemptDurationSeconds > 0)) {
    throw fail(`Timeout ${timeout.attemptDurationSeconds} s is invalid: give a positive number of seconds`);
  }
  const dependsOn = input.dependsOn ?? [];
  if (dependsOn.length > 20) throw fail(`A job can depend on at most 20 jobs, got ${dependsOn.length}`);
  for (const dep of dependsOn) checkDependency(state, dep, size);

  const jobId = crypto.randomUUID();
  const base = {
    jobName: input.jobName,
    jobQueue: queue.jobQueueName,
    jobDefinition: definition.jobDefinitionArn,
    status: "SUBMITTED" as const,
    createdAt: context.now,
    spec: buildSpec(definition, input),
    attempts: [],
    history: [{ status: "SUBMITTED" as const, at: context.now }],
    ...(input.tags
      ? { tags: { ...definition.tags, ...input.tags } }
      : definition.tags
      ? { tags: definition.tags }
      : {}),
    ...(retryStrategy ? { retryStrategy } : {}),
    ...(timeout ? { timeout } : {}),
    ...(context.s3Dir ? { s3Dir: context.s3Dir } : {}),
    platformCapabilities: definition.platformCapabilities,
  };
  const whole = dependsOn.filter((d) => !d.type && d.jobId).map((d) => d.jobId!);
  const parent: JobRecord = {
    ...base,
    jobId,
    waitFor: size === undefined ? [...whole, ...dependsOn.filter((d) => d.type === "N_TO_N").map((d) => d.jobId!)] : [],
    ...(input.dependsOn ? { dependsOn: input.dependsOn } : {}),
    ...(size !== undefined ? { arraySize: size } : {}),
  };
  state.jobs[jobId] = parent;
  const { spec: _spec, ...childBase } = base;
  for (let index = 0; index < (size ?? 0); index++) {
    const waitFor = [...whole];
    for (const dep of dependsOn) {
      if (dep.type === "N_TO_N") waitFor.push(`${dep.jobId}:${index}`);
      if (dep.type === "SEQUENTIAL" && index > 0) waitFor.push(`${jobId}:${index - 1}`);
    }
    state.jobs[`${jobId}:${index}`] = {
      ...structuredClone(childBase),
      jobId: `${jobId}:${index}`,
      parentId: jobId,
      arrayIndex: index,
      waitFor,
    };
  }
  return parent;
}

function checkRetry(strategy: SubmitJobInput["retryStrategy"]): void {
  const attempts = strategy?.attempts ?? 1;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
    throw fail(`Retry attempts ${attempts} is invalid: use a whole number from 1 to 10`);
  }
  if ((strategy?.evaluateOnExit?.length ?? 0) > 5) throw fail("A retry strategy takes at most 5 evaluateOnExit rules");
}

function checkDependency(state: LocalState, dep: NonNullable<SubmitJobInput["dependsOn"]>[number], size?: number) {
  if (dep.type === "SEQUENTIAL") {
    if (size === undefined) throw fail("A SEQUENTIAL dependency needs an array job (arrayProperties.size)");
    return;
  }
  if (!dep.jobId) throw fail("A dependency needs a jobId (only SEQUENTIAL has none)");
  const target = state.jobs[dep.jobId];
  if (!target) throw fail(`Dependency job '${dep.jobId}' does not exist`);
  if (dep.type === "N_TO_N") {
    if (size === undefined || target.arraySize === undefined) {
      throw fail(`An N_TO_N dependency pairs two array jobs; '${dep.jobId}' or this job is not an array job`);
    }
    if (target.arraySize !== size) {
      throw fail(`An N_TO_N dependency needs arrays of the same size: ${target.arraySize} and ${size}`);
    }
  }
}

function mergeEnv(base: KeyValue[] = [], overrides: KeyValue[] = []): KeyValue[] {
  const map = new Map(base.map((kv) => [kv.name, kv.value]));
  for (const kv of overrides) map.set(kv.name, kv.value);
  for (const name of map.keys()) {
    if (name.startsWith("AWS_BATCH_")) throw fail(`Environment variable '${name}' uses the reserved prefix AWS_BATCH_`);
  }
  return [...map].map(([name, value]) => ({ name, value }));
}

function resource(list: ResourceRequirement[], type: ResourceRequirement["type"]): number | undefined {
  const entry = list.find((r) => r.type === type);
  return entry ? Number(entry.value) : undefined;
}

function buildSpec(definition: JobDefinition, input: SubmitJobInput): JobSpec {
  const props = definitionContainer(definition);
  const features = localFeatures(definition, input);
  const parameters = { ...definition.parameters, ...input.parameters };
  const container = (c: ContainerProperties, overrides: ContainerOverrides) => {
    const resources = [...(overrides.resourceRequirements ?? []), ...(c.resourceRequirements ?? [])];
    const command = (overrides.command ?? c.command)?.map((arg) =>
      arg.replace(/Ref::([A-Za-z0-9_]+)/g, (whole, name: string) => parameters[name] ?? whole)
    );
    return {
      image: c.image,
      ...(command ? { command } : {}),
      environment: mergeEnv(c.environment, overrides.environment),
      vcpus: resource(resources, "VCPU") ?? 1,
      memory: resource(resources, "MEMORY") ?? 2048,
      gpus: resource(resources, "GPU") ?? 0,
    };
  };
  // Each node range keeps its own secrets and features (volumes, shared memory, ulimits, user, ...), as AWS Batch reads them
  // from the range's container (never undefined here: a multi-node job's features carry its node count, so a range
  // without volumes does not inherit the first range's through nodeSpec's merge).
  const nodeSegments = segmentsOf(definition, input, (c, overrides) => ({
    ...container(c, overrides),
    secrets: c.secrets ?? [],
    features: localFeatures(definition, input, c),
  }));
  const logConfiguration = props.logConfiguration;
  return {
    ...container(props, submissionOverrides(input)),
    secrets: props.secrets ?? [],
    logGroup: logConfiguration?.options?.["awslogs-group"] ?? "/aws/batch/job",
    ...(logConfiguration ? { logConfiguration } : {}),
    ...(features ? { features } : {}),
    ...(nodeSegments ? { nodeSegments } : {}),
  };
}
