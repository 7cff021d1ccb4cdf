/**
 * An in-memory Backend for tests and benchmarks: deterministic ids, call counts per operation, injectable latency,
 * request-rate throttling (TooManyRequestsException, as AWS) and failures. Test code moves jobs through states with
 * `setJobStatus` and writes log lines with `appendLog`.
 *
 * It answers in AWS's shapes (tests/support/aws_shapes.ts), not by echoing requests: described definitions carry
 * AWS's default-filled members, jobs and queues name queues, definitions and environments by ARN, array jobs have
 * children (`<id>:<index>`) that queue listings include, and array parents have no `startedAt`.
 */
import type { Backend, CallOptions, PageOptions } from "../../core/backend.ts";
import type {
  JobDefinition,
  JobDefinitionInput,
  JobDetail,
  JobPage,
  JobStatus,
  ListJobsQuery,
  LogEvent,
  LogLocation,
  LogPage,
  SubmitJobInput,
  SubmittedJob,
} from "../../core/backend_types.ts";
import { NotFoundError } from "../../core/errors.ts";
import { pool } from "../../core/_jobs.ts";
import {
  batchArn,
  childJobId,
  describedArrayParent,
  describedJobDefinition,
  listedJob,
  nameOfArn,
} from "./aws_shapes.ts";
import { type MemoryBackendOptions, MemoryInfrastructure, paginate } from "./memory_infrastructure.ts";

export type { MemoryBackendOptions };

const FINISHED: JobStatus[] = ["SUCCEEDED", "FAILED"];

/** The fake itself. Every Backend method counts its calls in `calls`. */
export class MemoryBackend extends MemoryInfrastructure implements Backend {
  readonly kind = "local" as const;
  /** Registered definitions, in order. */
  readonly definitions: JobDefinition[] = [];
  /** Jobs by id (array children are in `children`, by their parent's id). */
  readonly jobs = new Map<string, JobDetail & { input?: SubmitJobInput }>();
  /** The children of each array job, by the parent's id, in index order. */
  readonly children = new Map<string, JobDetail[]>();
  /** Log events by `group/stream`. */
  readonly logs = new Map<string, LogEvent[]>();
  #nextId = 1;

  /** See {@link MemoryBackendOptions.checkDefinitions}; a test may turn it on after seeding jobs. */
  checkDefinitions: boolean;

  constructor(options: MemoryBackendOptions = {}) {
    super(options);
    this.checkDefinitions = options.checkDefinitions ?? false;
  }

  /**
   * Moves a job to a state (and sets exit code, reason, log stream as AWS would). An array child is addressed as
   * `<id>:<index>`. Moving an array parent moves its unfinished children; the parent itself only ever shows
   * SUBMITTED, PENDING, SUCCEEDED or FAILED, as on AWS.
   */
  setJobStatus(jobId: string, status: JobStatus, extra: { exitCode?: number; reason?: string } = {}): void {
    const job = this.#job(jobId);
    const children = this.children.get(jobId);
    if (children) {
      for (const child of children) {
        if (!FINISHED.includes(child.status)) this.#move(child, status, extra);
      }
      const parentStatus = FINISHED.includes(status) || status === "SUBMITTED" ? status : "PENDING";
      const { exitCode: _childrenOnly, ...parentExtra } = extra;
      this.#move(job, parentStatus, parentExtra, false);
      return;
    }
    this.#move(job, status, extra);
  }

  #move(job: JobDetail, status: JobStatus, extra: { exitCode?: number; reason?: string }, runs = true): void {
    job.status = status;
    if (extra.reason !== undefined) job.statusReason = extra.reason;
    const now = this.now();
    if (status === "RUNNING" && runs) {
      job.startedAt = now;
      job.container = { ...job.container, logStreamName: `ezbatch/default/${job.jobId.replace(":", "/")}` };
    }
    if (FINISHED.includes(status)) {
      job.stoppedAt = now;
      if (!runs) return;
      job.container = { ...job.container, ...(extra.exitCode !== undefined ? { exitCode: extra.exitCode } : {}) };
      // Only a job that ran has an attempt (a job failed through a dependency or cancelled has none, as on AWS).
      if (job.startedAt !== undefined) {
        const { exitCode, reason, logStreamName } = job.container;
        const container = {
          ...(exitCode !== undefined ? { exitCode } : {}),
          ...(reason ? { reason } : {}),
          logStreamName,
        };
        job.attempts = [...(job.attempts ?? []), { container, startedAt: job.startedAt, stoppedAt: now }];
      }
    }
  }

  /** Appends log lines to a stream of the default group. */
  appendLog(stream: string, lines: string[], group = "/aws/batch/job"): void {
    const key = `${group}/${stream}`;
    const events = this.logs.get(key) ?? [];
    for (const message of lines) events.push({ timestamp: this.now(), message });
    this.logs.set(key, events);
  }

  async describeJobDefinitions(names: string[], options?: CallOptions): Promise<JobDefinition[]> {
    await this.call("describeJobDefinitions", options?.signal);
    return this.definitions.filter((d) => names.includes(d.jobDefinitionName) && d.status === "ACTIVE").map(described);
  }

  async listJobDefinitions(
    query: { status?: "ACTIVE" | "INACTIVE"; name?: string },
    options?: PageOptions,
  ): Promise<{ definitions: JobDefinition[]; nextToken?: string }> {
    await this.call("listJobDefinitions", options?.signal);
    const all = this.definitions.filter((d) =>
      (!query.status || d.status === query.status) && (!query.name || d.jobDefinitionName === query.name)
    );
    return paginate(all.map(described), options, (definitions, nextToken) => ({ definitions, ...nextToken }));
  }

  async registerJobDefinition(input: JobDefinitionInput, options?: CallOptions) {
    await this.call("registerJobDefinition", options?.signal);
    const revision = this.definitions.filter((d) => d.jobDefinitionName === input.jobDefinitionName).length + 1;
    const jobDefinitionArn = batchArn("job-definition", `${input.jobDefinitionName}:${revision}`);
    this.definitions.push({ ...structuredClone(input), jobDefinitionArn, revision, status: "ACTIVE" });
    return { jobDefinitionName: input.jobDefinitionName, revision, jobDefinitionArn };
  }

  async deregisterJobDefinition(definition: string, options?: CallOptions): Promise<void> {
    await this.call("deregisterJobDefinition", options?.signal);
    const def = this.definitions.find((d) =>
      d.jobDefinitionArn === definition || `${d.jobDefinitionName}:${d.revision}` === definition
    );
    if (!def) throw new NotFoundError(`Job definition '${definition}' does not exist`);
    def.status = "INACTIVE";
  }

  async submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
    await this.call("submitJob", options?.signal);
    if (this.checkDefinitions && !this.#findActiveDefinition(input.jobDefinition)) {
      throw new NotFoundError(`Job definition '${input.jobDefinition}' was not found or is not ACTIVE`, {
        resource: "job-definition",
      });
    }
    const jobId = `job-${String(this.#nextId++).padStart(6, "0")}`;
    const detail: JobDetail & { input?: SubmitJobInput } = {
      jobId,
      jobName: input.jobName,
      jobArn: batchArn("job", jobId),
      // DescribeJobs names the queue and the definition by ARN, whatever SubmitJob was given.
      jobQueue: this.queues.get(nameOfArn(input.jobQueue))?.jobQueueArn ??
        batchArn("job-queue", nameOfArn(input.jobQueue)),
      jobDefinition: this.#definitionArn(input.jobDefinition),
      status: "SUBMITTED",
      createdAt: this.now(),
      input: structuredClone(input),
      ...(input.dependsOn ? { dependsOn: input.dependsOn } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.arrayProperties ? { arrayProperties: { size: input.arrayProperties.size } } : {}),
      ...this.#container(input),
    };
    this.jobs.set(jobId, detail);
    if (input.arrayProperties) {
      const { input: _input, arrayProperties: _size, dependsOn: _deps, ...common } = detail;
      this.children.set(
        jobId,
        Array.from({ length: input.arrayProperties.size }, (_, index) => ({
          ...structuredClone(common),
          jobId: childJobId(jobId, index),
          jobArn: batchArn("job", childJobId(jobId, index)),
          arrayProperties: { index },
        })),
      );
    }
    return { jobId, jobName: input.jobName, jobArn: detail.jobArn! };
  }

  async listJobs(query: ListJobsQuery, options?: PageOptions): Promise<JobPage> {
    await this.call("listJobs", options?.signal);
    // A queue listing includes array children next to their parents, as on AWS; arrayJobId lists only children.
    const candidates = query.arrayJobId
      ? this.children.get(query.arrayJobId) ?? []
      : [...this.jobs.values()].flatMap((j) => [this.#described(j), ...(this.children.get(j.jobId) ?? [])]);
    const all = candidates.filter((j) => matchesQuery(j, query)).map(listedJob);
    return paginate(all, options, (jobs, nextToken) => ({ jobs, ...nextToken }));
  }

  async describeJobs(jobIds: string[], options?: CallOptions): Promise<JobDetail[]> {
    // One call per 100 ids, two at a time, as AwsBackend sends them.
    const batches = Array.from({ length: Math.ceil(jobIds.length / 100) }, (_, i) => i);
    await pool(batches, 2, () => this.call("describeJobs", options?.signal));
    return jobIds.flatMap((id) => {
      const job = this.#find(id);
      return job ? [structuredClone(this.#described(job))] : [];
    });
  }

  async cancelJob(jobId: string, reason: string, options?: CallOptions): Promise<void> {
    await this.call("cancelJob", options?.signal);
    const job = this.#job(jobId);
    if (["SUBMITTED", "PENDING", "RUNNABLE"].includes(job.status)) {
      this.setJobStatus(jobId, "FAILED", { reason });
      for (const j of [job, ...this.children.get(jobId) ?? []]) j.isCancelled = true;
    }
  }

  async terminateJob(jobId: string, reason: string, options?: CallOptions): Promise<void> {
    await this.call("terminateJob", options?.signal);
    const job = this.#job(jobId);
    if (!FINISHED.includes(job.status)) {
      this.setJobStatus(jobId, "FAILED", { reason });
      for (const j of [job, ...this.children.get(jobId) ?? []]) j.isTerminated = true;
    }
  }

  async getLogEvents(
    location: LogLocation,
    options?: CallOptions & { nextToken?: string; startFromHead?: boolean; limit?: number },
  ): Promise<LogPage> {
    await this.call("getLogEvents", options?.signal);
    const events = this.logs.get(`${location.group}/${location.stream}`);
    if (!events) return { events: [], exists: false };
    const from = options?.nextToken ? Number(options.nextToken.slice(2)) : 0;
    const to = Math.min(events.length, from + (options?.limit ?? 10_000));
    return { events: events.slice(from, to), nextForwardToken: `f/${to}`, exists: true };
  }

  protected terminateJobsOfQueue(queueName: string): void {
    for (const job of this.jobs.values()) {
      if (nameOfArn(job.jobQueue) === queueName && !FINISHED.includes(job.status)) {
        this.setJobStatus(job.jobId, "FAILED", { reason: "Job queue deleted" });
        job.isTerminated = true;
      }
    }
  }

  /** The definition SubmitJob would use: by `name` (the latest ACTIVE revision), `name:revision` or ARN. */
  #findActiveDefinition(ref: string): JobDefinition | undefined {
    return this.definitions.filter((d) =>
      d.status === "ACTIVE" &&
      (d.jobDefinitionName === ref || `${d.jobDefinitionName}:${d.revision}` === ref || d.jobDefinitionArn === ref)
    ).sort((a, b) => b.revision - a.revision)[0];
  }

  /** A job or an array child (`<id>:<index>`), as stored. */
  #find(jobId: string): JobDetail | undefined {
    const job = this.jobs.get(jobId);
    if (job) return job;
    const colon = jobId.lastIndexOf(":");
    return colon > 0 ? this.children.get(jobId.slice(0, colon))?.[Number(jobId.slice(colon + 1))] : undefined;
  }

  #job(jobId: string): JobDetail {
    const job = this.#find(jobId);
    if (!job) throw new NotFoundError(`Job '${jobId}' does not exist`);
    return job;
  }

  /** A stored job as DescribeJobs shows it (array parents with their children's counts, no `startedAt`). */
  #described(job: JobDetail & { input?: SubmitJobInput }): JobDetail {
    const { input: _input, ...detail } = job;
    const children = this.children.get(job.jobId);
    return children ? describedArrayParent(detail, children) : detail;
  }

  /** `container` as DescribeJobs shows it: the image of the definition, the command that runs (override first). */
  #container(input: SubmitJobInput): Pick<JobDetail, "container"> {
    const def = this.#findActiveDefinition(input.jobDefinition);
    const command = input.containerOverrides?.command ?? def?.containerProperties.command;
    const image = def?.containerProperties.image;
    const resources = input.containerOverrides?.resourceRequirements;
    if (!command && !image && !resources) return {};
    return {
      container: {
        ...(image ? { image } : {}),
        ...(command ? { command: [...command] } : {}),
        // As AWS: the resources asked for (run reports read them).
        ...(resources ? { resourceRequirements: structuredClone(resources) } : {}),
      },
    };
  }

  /** The ARN DescribeJobs shows for a definition reference (`name`, `name:revision` or ARN). */
  #definitionArn(ref: string): string {
    if (ref.startsWith("arn:")) return ref;
    return this.#findActiveDefinition(ref)?.jobDefinitionArn ??
      batchArn("job-definition", ref.includes(":") ? ref : `${ref}:1`);
  }
}

/** A stored definition as DescribeJobDefinitions returns it. */
function described(d: JobDefinition): JobDefinition {
  return describedJobDefinition(d, d.revision, d.status === "INACTIVE" ? "INACTIVE" : "ACTIVE");
}

function matchesQuery(job: JobDetail, query: ListJobsQuery): boolean {
  if (query.jobQueue && nameOfArn(job.jobQueue) !== nameOfArn(query.jobQueue)) return false;
  const filter = query.filter;
  if (!filter) return job.status === (query.jobStatus ?? "RUNNING");
  const value = filter.values[0] ?? "";
  switch (filter.name) {
    case "JOB_NAME":
      return value.endsWith("*")
        ? job.jobName.toLowerCase().startsWith(value.slice(0, -1).toLowerCase())
        : job.jobName.toLowerCase() === value.toLowerCase();
    case "JOB_DEFINITION":
      return job.jobDefinition.includes(value);
    case "BEFORE_CREATED_AT":
      return (job.createdAt ?? 0) < Number(value);
    case "AFTER_CREATED_AT":
      return (job.createdAt ?? 0) > Number(value);
  }
}
