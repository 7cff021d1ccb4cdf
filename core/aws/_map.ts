/**
 * Maps AWS SDK response shapes to ezbatch's plain backend types: only the fields ezbatch reads, no `undefined`
 * members, times as epoch milliseconds.
 * @module
 */
import type { SdkComputeEnvironment, SdkJobDefinition, SdkJobDetail, SdkJobQueue, SdkJobSummary } from "../deps.ts";
import type {
  AttemptDetail,
  ComputeEnvironment,
  JobDefinition,
  JobDetail,
  JobQueue,
  JobStatus,
  JobSummary,
} from "../backend_types.ts";

/** Drops the members whose value is `undefined` (so JSON output and deep equality stay tidy). */
export function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Epoch milliseconds of a time the SDK gives as a number or a Date; 0 (AWS's "never", e.g. an array parent's start) is absent. */
export function toMs(value: number | Date | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  return ms > 0 ? ms : undefined;
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  const cleaned = clean(value);
  return Object.keys(cleaned).length > 0 ? cleaned : undefined;
}

type LogConfig = { logDriver?: string; options?: Record<string, string> } | undefined;

function logConfig(value: LogConfig): { logDriver: string; options?: Record<string, string> } | undefined {
  if (!value?.logDriver) return undefined;
  return clean({ logDriver: value.logDriver, options: value.options });
}

function attempt(a: NonNullable<SdkJobDetail["attempts"]>[number]): AttemptDetail {
  return clean({
    container: nonEmpty({
      exitCode: a.container?.exitCode,
      reason: a.container?.reason,
      logStreamName: a.container?.logStreamName,
      taskArn: a.container?.taskArn,
    }),
    startedAt: toMs(a.startedAt),
    stoppedAt: toMs(a.stoppedAt),
    statusReason: a.statusReason,
  });
}

/** A DescribeJobs entry as a `JobDetail`. */
export function toJobDetail(j: SdkJobDetail): JobDetail {
  const c = j.container;
  return clean({
    jobId: j.jobId ?? "",
    jobName: j.jobName ?? "",
    jobArn: j.jobArn,
    jobQueue: j.jobQueue ?? "",
    status: (j.status ?? "SUBMITTED") as JobStatus,
    statusReason: j.statusReason,
    jobDefinition: j.jobDefinition ?? "",
    createdAt: toMs(j.createdAt),
    startedAt: toMs(j.startedAt),
    stoppedAt: toMs(j.stoppedAt),
    dependsOn: j.dependsOn?.map((d) => clean({ jobId: d.jobId, type: d.type as "N_TO_N" | "SEQUENTIAL" | undefined })),
    tags: j.tags,
    attempts: j.attempts?.map(attempt),
    arrayProperties: nonEmpty({
      size: j.arrayProperties?.size,
      index: j.arrayProperties?.index,
      statusSummary: j.arrayProperties?.statusSummary as Partial<Record<JobStatus, number>> | undefined,
    }),
    container: c
      ? clean({
        image: c.image,
        command: c.command,
        exitCode: c.exitCode,
        reason: c.reason,
        logStreamName: c.logStreamName,
        environment: c.environment?.map((e) => ({ name: e.name ?? "", value: e.value ?? "" })),
        logConfiguration: logConfig(c.logConfiguration),
        resourceRequirements: c.resourceRequirements?.length
          ? c.resourceRequirements.map((r) => ({ type: r.type as "VCPU" | "MEMORY" | "GPU", value: r.value ?? "" }))
          : undefined,
      })
      : undefined,
    ecsProperties: j.ecsProperties
      ? {
        taskProperties: j.ecsProperties.taskProperties?.map((t) => ({
          containers: t.containers?.map((k) =>
            clean({
              name: k.name,
              exitCode: k.exitCode,
              reason: k.reason,
              logStreamName: k.logStreamName,
              logConfiguration: logConfig(k.logConfiguration),
            })
          ),
        })),
      }
      : undefined,
    isCancelled: j.isCancelled,
    isTerminated: j.isTerminated,
    retryStrategy: j.retryStrategy as JobDetail["retryStrategy"],
    timeout: j.timeout ? clean({ attemptDurationSeconds: j.timeout.attemptDurationSeconds }) : undefined,
    platformCapabilities: j.platformCapabilities,
  });
}

/** A ListJobs entry as a `JobSummary`. */
export function toJobSummary(j: SdkJobSummary): JobSummary {
  return clean({
    jobId: j.jobId ?? "",
    jobName: j.jobName ?? "",
    status: j.status as JobStatus | undefined,
    statusReason: j.statusReason,
    createdAt: toMs(j.createdAt),
    startedAt: toMs(j.startedAt),
    stoppedAt: toMs(j.stoppedAt),
    arrayProperties: nonEmpty({ size: j.arrayProperties?.size, index: j.arrayProperties?.index }),
    container: nonEmpty({ exitCode: j.container?.exitCode, reason: j.container?.reason }),
    jobDefinition: j.jobDefinition,
  });
}

/** A DescribeJobDefinitions entry as a `JobDefinition`. */
export function toJobDefinition(d: SdkJobDefinition): JobDefinition {
  return clean({
    jobDefinitionName: d.jobDefinitionName ?? "",
    jobDefinitionArn: d.jobDefinitionArn ?? "",
    revision: d.revision ?? 0,
    status: d.status,
    type: (d.type ?? "container") as "container",
    platformCapabilities: (d.platformCapabilities ?? []) as ("FARGATE" | "EC2")[],
    containerProperties: d.containerProperties as JobDefinition["containerProperties"],
    retryStrategy: d.retryStrategy as JobDefinition["retryStrategy"],
    timeout: d.timeout?.attemptDurationSeconds !== undefined
      ? { attemptDurationSeconds: d.timeout.attemptDurationSeconds }
      : undefined,
    tags: d.tags,
    propagateTags: d.propagateTags,
    parameters: d.parameters,
    ecsProperties: d.ecsProperties,
  });
}

/** A DescribeComputeEnvironments entry as a `ComputeEnvironment`. */
export function toComputeEnvironment(c: SdkComputeEnvironment): ComputeEnvironment {
  const r = c.computeResources;
  return clean({
    computeEnvironmentName: c.computeEnvironmentName ?? "",
    computeEnvironmentArn: c.computeEnvironmentArn ?? "",
    type: c.type,
    state: c.state,
    status: c.status,
    statusReason: c.statusReason,
    computeResources: r
      ? clean({
        type: r.type as "EC2" | "SPOT" | "FARGATE" | "FARGATE_SPOT",
        maxvCpus: r.maxvCpus ?? 0,
        minvCpus: r.minvCpus,
        desiredvCpus: r.desiredvCpus,
        subnets: r.subnets ?? [],
        securityGroupIds: r.securityGroupIds,
        instanceTypes: r.instanceTypes,
        instanceRole: r.instanceRole,
        allocationStrategy: r.allocationStrategy,
        bidPercentage: r.bidPercentage,
        tags: r.tags,
      })
      : undefined,
    serviceRole: c.serviceRole,
    tags: c.tags,
  });
}

/** A DescribeJobQueues entry as a `JobQueue`. */
export function toJobQueue(q: SdkJobQueue): JobQueue {
  return clean({
    jobQueueName: q.jobQueueName ?? "",
    jobQueueArn: q.jobQueueArn ?? "",
    state: q.state,
    status: q.status,
    statusReason: q.statusReason,
    priority: q.priority ?? 0,
    computeEnvironmentOrder: (q.computeEnvironmentOrder ?? []).map((o) => ({
      order: o.order ?? 0,
      computeEnvironment: o.computeEnvironment ?? "",
    })),
    jobStateTimeLimitActions: q.jobStateTimeLimitActions as JobQueue["jobStateTimeLimitActions"],
    tags: q.tags,
  });
}
