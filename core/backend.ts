/**
 * The narrow interface through which core talks to a batch system. `AwsBackend` speaks AWS Batch, S3 and
 * CloudWatch Logs; `LocalBackend` runs the same jobs as processes on this machine. The submission engine, watch,
 * logs, CLI and TUI are written against this interface only.
 * @module
 */
import type {
  ComputeEnvironment,
  ComputeEnvironmentInput,
  ComputeEnvironmentUpdate,
  JobDefinition,
  JobDefinitionInput,
  JobDetail,
  JobPage,
  JobQueue,
  JobQueueInput,
  JobQueueUpdate,
  ListJobsQuery,
  LogLocation,
  LogPage,
  SubmitJobInput,
  SubmittedJob,
} from "./backend_types.ts";

/** Options every backend call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retries). */
  signal?: AbortSignal;
}

/** A page request for paginated listings. */
export interface PageOptions extends CallOptions {
  /** Token from the previous page. */
  nextToken?: string;
  /** Page size (the backend clamps it to what the service allows). */
  maxResults?: number;
}

/** A batch system ezbatch can drive. Every method may throw `AwsCallError` or `NotFoundError`. */
export interface Backend {
  /** `aws` or `local`. */
  readonly kind: "aws" | "local";

  /** ACTIVE definitions with any of these names (all revisions); batches the names as the service allows. */
  describeJobDefinitions(names: string[], options?: CallOptions): Promise<JobDefinition[]>;
  /** One page of definitions, optionally only ACTIVE/INACTIVE ones. */
  listJobDefinitions(
    query: { status?: "ACTIVE" | "INACTIVE"; name?: string },
    options?: PageOptions,
  ): Promise<{ definitions: JobDefinition[]; nextToken?: string }>;
  /** Registers a new revision; returns its name, revision and ARN. */
  registerJobDefinition(
    input: JobDefinitionInput,
    options?: CallOptions,
  ): Promise<{ jobDefinitionName: string; revision: number; jobDefinitionArn: string }>;
  /** Deregisters a definition by `name:revision` or ARN. */
  deregisterJobDefinition(definition: string, options?: CallOptions): Promise<void>;

  /** Submits one job (an array job when `arrayProperties` is set). */
  submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob>;
  /** One page of ListJobs. */
  listJobs(query: ListJobsQuery, options?: PageOptions): Promise<JobPage>;
  /** Describes jobs; the backend batches ids by 100. Unknown ids are left out of the result. */
  describeJobs(jobIds: string[], options?: CallOptions): Promise<JobDetail[]>;
  /** Cancels a job that has not started (SUBMITTED, PENDING, RUNNABLE). */
  cancelJob(jobId: string, reason: string, options?: CallOptions): Promise<void>;
  /** Terminates a job in any state (needed for STARTING and RUNNING). */
  terminateJob(jobId: string, reason: string, options?: CallOptions): Promise<void>;

  /** Reads log events; `exists: false` when the stream is not there (yet). */
  getLogEvents(
    location: LogLocation,
    options?: CallOptions & { nextToken?: string; startFromHead?: boolean; limit?: number },
  ): Promise<LogPage>;

  /** One page of compute environments (all, or the named ones). */
  describeComputeEnvironments(
    names?: string[],
    options?: PageOptions,
  ): Promise<{ computeEnvironments: ComputeEnvironment[]; nextToken?: string }>;
  /** Creates a compute environment. */
  createComputeEnvironment(input: ComputeEnvironmentInput, options?: CallOptions): Promise<{ arn: string }>;
  /** Updates state or size. */
  updateComputeEnvironment(name: string, update: ComputeEnvironmentUpdate, options?: CallOptions): Promise<void>;
  /** Deletes a DISABLED compute environment no queue uses. */
  deleteComputeEnvironment(name: string, options?: CallOptions): Promise<void>;

  /** One page of job queues (all, or the named ones). */
  describeJobQueues(names?: string[], options?: PageOptions): Promise<{ jobQueues: JobQueue[]; nextToken?: string }>;
  /** Creates a job queue. */
  createJobQueue(input: JobQueueInput, options?: CallOptions): Promise<{ arn: string }>;
  /** Updates state, priority or environments. */
  updateJobQueue(name: string, update: JobQueueUpdate, options?: CallOptions): Promise<void>;
  /** Deletes a DISABLED job queue. */
  deleteJobQueue(name: string, options?: CallOptions): Promise<void>;
}
