/**
 * Builds the public shapes (DescribeJobs' JobDetail, ListJobs' JobSummary) from local job records, and runs the
 * ListJobs query rules: exactly one of queue or array job; one status (RUNNING by default) or one filter (which
 * returns all statuses); newest first; pages with `nextToken`.
 * @module
 */
import type {
  JobDetail,
  JobPage,
  JobStatus,
  JobSummary,
  ListJobsQuery,
  ResourceRequirement,
} from "../backend_types.ts";
import type { JobRecord, LocalState } from "./_types.ts";
import { globMatch } from "./retry.ts";
import { childrenOf, specOf } from "./scheduler.ts";
import { clientError, localArn, nameOf } from "./registry.ts";

function lastAttempt(job: JobRecord) {
  return job.attempts[job.attempts.length - 1];
}

function arrayProperties(state: LocalState, job: JobRecord): JobDetail["arrayProperties"] | undefined {
  if (job.arrayIndex !== undefined) return { index: job.arrayIndex };
  if (job.arraySize === undefined) return undefined;
  const statusSummary: Partial<Record<JobStatus, number>> = {};
  for (const child of childrenOf(state, job)) statusSummary[child.status] = (statusSummary[child.status] ?? 0) + 1;
  return { size: job.arraySize, statusSummary };
}

/** DescribeJobs' view of a job. */
export function toDetail(state: LocalState, job: JobRecord): JobDetail {
  const last = lastAttempt(job);
  const finished = job.attempts.filter((a) => a.stoppedAt !== undefined);
  const array = arrayProperties(state, job);
  const spec = specOf(state, job);
  const detail: JobDetail = {
    jobId: job.jobId,
    jobName: job.jobName,
    jobArn: localArn("job", job.jobId),
    jobQueue: localArn("job-queue", job.jobQueue),
    status: job.status,
    jobDefinition: job.jobDefinition,
    createdAt: job.createdAt,
    attempts: finished.map((a) => ({
      container: {
        ...(a.exitCode !== undefined ? { exitCode: a.exitCode } : {}),
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
        logStreamName: a.logStreamName,
        taskArn: `arn:aws:ecs:local:000000000000:task/ezbatch-local/${a.logStreamName.split("/").pop()}`,
      },
      ...(a.startedAt !== undefined ? { startedAt: a.startedAt } : {}),
      stoppedAt: a.stoppedAt,
      ...(a.statusReason !== undefined ? { statusReason: a.statusReason } : {}),
    })),
    platformCapabilities: job.platformCapabilities ?? [],
    dependsOn: job.dependsOn ?? [],
    tags: job.tags ?? {},
  };
  if (job.statusReason !== undefined) detail.statusReason = job.statusReason;
  if (job.startedAt !== undefined) detail.startedAt = job.startedAt;
  if (job.stoppedAt !== undefined) detail.stoppedAt = job.stoppedAt;
  if (array) detail.arrayProperties = array;
  if (job.isCancelled) detail.isCancelled = true;
  if (job.isTerminated) detail.isTerminated = true;
  if (job.retryStrategy) detail.retryStrategy = job.retryStrategy;
  if (job.timeout) detail.timeout = job.timeout;
  // As AWS, the resources asked for (the report and its cost read them); a parent shows its children's.
  const resourceRequirements: ResourceRequirement[] = [
    { type: "VCPU", value: String(spec.vcpus) },
    { type: "MEMORY", value: String(spec.memory) },
    ...(spec.gpus ? [{ type: "GPU" as const, value: String(spec.gpus) }] : []),
  ];
  if (job.arraySize === undefined) {
    const running = last && (job.status === "RUNNING" || last.stoppedAt !== undefined);
    detail.container = {
      image: spec.image,
      ...(spec.command ? { command: spec.command } : {}),
      environment: spec.environment,
      logConfiguration: spec.logConfiguration ??
        { logDriver: "awslogs", options: { "awslogs-group": spec.logGroup } },
      ...(running ? { logStreamName: last.logStreamName } : {}),
      ...(last?.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
      ...(last?.reason !== undefined ? { reason: last.reason } : {}),
      resourceRequirements,
    };
  } else {
    detail.container = { image: spec.image, ...(spec.command ? { command: spec.command } : {}), resourceRequirements };
  }
  return detail;
}

/** ListJobs' view of a job. */
export function toSummary(state: LocalState, job: JobRecord): JobSummary {
  const last = lastAttempt(job);
  const summary: JobSummary = {
    jobId: job.jobId,
    jobName: job.jobName,
    status: job.status,
    createdAt: job.createdAt,
    jobDefinition: job.jobDefinition,
  };
  if (job.statusReason !== undefined) summary.statusReason = job.statusReason;
  if (job.startedAt !== undefined) summary.startedAt = job.startedAt;
  if (job.stoppedAt !== undefined) summary.stoppedAt = job.stoppedAt;
  const array = arrayProperties(state, job);
  if (array) {
    summary.arrayProperties = {
      ...(array.size !== undefined ? { size: array.size } : {}),
      ...(array.index !== undefined ? { index: array.index } : {}),
    };
  }
  if (last?.exitCode !== undefined || last?.reason !== undefined) {
    summary.container = {
      ...(last.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
      ...(last.reason !== undefined ? { reason: last.reason } : {}),
    };
  }
  return summary;
}

function matchesFilter(job: JobRecord, filter: NonNullable<ListJobsQuery["filter"]>): boolean {
  const value = filter.values[0] ?? "";
  switch (filter.name) {
    case "JOB_NAME":
      return globMatch(value.toLowerCase(), job.jobName.toLowerCase());
    case "JOB_DEFINITION": {
      const name = nameOf(job.jobDefinition);
      return [job.jobDefinition, name, name.split(":")[0]!].some((candidate) => globMatch(value, candidate));
    }
    case "BEFORE_CREATED_AT":
      return job.createdAt < Number(value);
    case "AFTER_CREATED_AT":
      return job.createdAt > Number(value);
  }
}

/** Runs a ListJobs query over the state. */
export function listInState(
  state: LocalState,
  query: ListJobsQuery,
  page: { nextToken?: string; maxResults?: number },
): JobPage {
  if (Boolean(query.jobQueue) === Boolean(query.arrayJobId)) {
    throw clientError("ListJobs", "Give exactly one of jobQueue and arrayJobId");
  }
  let jobs: JobRecord[];
  if (query.arrayJobId) {
    const parent = state.jobs[query.arrayJobId];
    jobs = parent?.arraySize !== undefined ? childrenOf(state, parent) : [];
  } else {
    const queue = nameOf(query.jobQueue!);
    jobs = Object.values(state.jobs).filter((j) => j.jobQueue === queue && j.parentId === undefined).reverse();
  }
  if (query.filter) jobs = jobs.filter((j) => matchesFilter(j, query.filter!));
  else jobs = jobs.filter((j) => j.status === (query.jobStatus ?? "RUNNING"));
  const max = Math.max(1, Math.min(page.maxResults ?? (query.filter ? 100 : 1000), query.filter ? 100 : 1000));
  const start = Number(page.nextToken ?? 0) || 0;
  const slice = jobs.slice(start, start + max);
  const result: JobPage = { jobs: slice.map((j) => toSummary(state, j)) };
  if (start + max < jobs.length) result.nextToken = String(start + max);
  return result;
}
