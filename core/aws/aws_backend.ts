/**
 * `AwsBackend`: the `Backend` over AWS Batch and CloudWatch Logs (SDK v3, loaded lazily).
 * @module
 */
import { loadBatchSdk, loadLogsSdk } from "../deps.ts";
import type { Backend, CallOptions, PageOptions } from "../backend.ts";
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
} from "../backend_types.ts";
import { type AwsClientOptions, AwsClients, type InjectedClients } from "./clients.ts";
import { callAws, errorCodeOf, toAwsError } from "./errors.ts";
import { chunk, clampPageSize, describeDefinitionsBatched } from "./_batching.ts";
import type { BatchCall, In } from "./_batch_call.ts";
import * as infra from "./_infra.ts";
import { clean, toJobDefinition, toJobDetail, toJobSummary } from "./_map.ts";
import { pool } from "../_jobs.ts";

/**
 * DescribeJobs calls of one `describeJobs()` in flight at once: a poll of 10,000 jobs is 100 calls of 100 ids. Two
 * halve its time; more would press on DescribeJobs' own throttling, which is undocumented and known to be tight.
 */
export const DESCRIBE_JOBS_IN_FLIGHT = 2;

/** Options of `new AwsBackend()`. */
export interface AwsBackendOptions extends AwsClientOptions {
  /**
   * A client set to use (shared with other code); default one made from the other options.
   * @ignore
   */
  clients?: AwsClients;
  /**
   * Ready-made SDK clients (tests, embedding); used instead of creating them.
   * @ignore
   */
  inject?: InjectedClients;
}

/**
 * The backend that speaks AWS Batch and CloudWatch Logs through the AWS SDK v3. Nothing is loaded or contacted
 * until a method is called; clients use the SDK's credential chain, `AWS_ENDPOINT_URL`, and adaptive retry.
 * Failed calls throw `AwsCallError` (service, operation, request id, code, the SDK error as `cause`); operations
 * on a named job, queue, compute environment or definition that does not exist throw `NotFoundError`.
 * @example
 * ```ts
 * import { AwsBackend, loadConfig } from "./mod.ts";
 * const { settings } = await loadConfig();
 * const backend = new AwsBackend({ region: settings.region, profile: settings.profile });
 * // Nothing has been loaded yet; this call loads the SDK and asks AWS:
 * // const { jobQueues } = await backend.describeJobQueues();
 * console.log(backend.kind); // aws
 * ```
 */
export class AwsBackend implements Backend {
  /** Always `aws`. */
  readonly kind = "aws" as const;
  #clients: AwsClients;

  /** Creates the backend; `options.inject` or `options.clients` replace the clients it would create. */
  constructor(options: AwsBackendOptions = {}) {
    this.#clients = options.clients ?? new AwsClients(options, options.inject);
  }

  /**
   * The client set this backend uses (e.g. for the account id or S3).
   * @ignore
   */
  get clients(): AwsClients {
    return this.#clients;
  }

  /** Runs one Batch call: client and SDK loaded lazily, signal passed on, failures mapped. */
  #call: BatchCall = async (operation, run, options = {}) => {
    options.signal?.throwIfAborted();
    const [client, sdk] = await Promise.all([this.#clients.batch(), loadBatchSdk()]);
    const send = options.signal ? { abortSignal: options.signal } : {};
    return await callAws("Batch", operation, () => run(client, sdk, send), options);
  };

  /**
   * ACTIVE revisions of the named definitions. Plain names are looked up one per call (`jobDefinitionName`,
   * `status=ACTIVE`, every page), because the `jobDefinitions` list only accepts `name:revision` or ARNs; those
   * are sent 100 per call.
   */
  describeJobDefinitions(names: string[], options: CallOptions = {}): Promise<JobDefinition[]> {
    return describeDefinitionsBatched(names, {
      byName: async (name, nextToken) => {
        const out = await this.#call("DescribeJobDefinitions", (c, s, h) =>
          c.send(
            new s.DescribeJobDefinitionsCommand(clean({ jobDefinitionName: name, status: "ACTIVE", nextToken })),
            h,
          ), options);
        return { items: (out.jobDefinitions ?? []).map(toJobDefinition), nextToken: out.nextToken };
      },
      byList: async (list) => {
        const out = await this.#call(
          "DescribeJobDefinitions",
          (c, s, h) => c.send(new s.DescribeJobDefinitionsCommand({ jobDefinitions: list }), h),
          options,
        );
        return (out.jobDefinitions ?? []).map(toJobDefinition).filter((d) => d.status === "ACTIVE");
      },
    });
  }

  /** One page of definitions by status and/or name. */
  async listJobDefinitions(
    query: { status?: "ACTIVE" | "INACTIVE"; name?: string },
    options: PageOptions = {},
  ): Promise<{ definitions: JobDefinition[]; nextToken?: string }> {
    const input = clean({
      status: query.status,
      jobDefinitionName: query.name,
      nextToken: options.nextToken,
      maxResults: clampPageSize(options.maxResults, 100),
    });
    const out = await this.#call(
      "DescribeJobDefinitions",
      (c, s, h) => c.send(new s.DescribeJobDefinitionsCommand(input), h),
      options,
    );
    return clean({ definitions: (out.jobDefinitions ?? []).map(toJobDefinition), nextToken: out.nextToken });
  }

  /** Registers a new revision of a definition. */
  async registerJobDefinition(
    input: JobDefinitionInput,
    options: CallOptions = {},
  ): Promise<{ jobDefinitionName: string; revision: number; jobDefinitionArn: string }> {
    const out = await this.#call(
      "RegisterJobDefinition",
      (c, s, h) => c.send(new s.RegisterJobDefinitionCommand(input as In<"RegisterJobDefinitionCommand">), h),
      options,
    );
    return {
      jobDefinitionName: out.jobDefinitionName ?? input.jobDefinitionName,
      revision: out.revision ?? 0,
      jobDefinitionArn: out.jobDefinitionArn ?? "",
    };
  }

  /** Deregisters `name:revision` or an ARN. */
  async deregisterJobDefinition(definition: string, options: CallOptions = {}): Promise<void> {
    await this.#call(
      "DeregisterJobDefinition",
      (c, s, h) => c.send(new s.DeregisterJobDefinitionCommand({ jobDefinition: definition }), h),
      {
        ...options,
        notFound: `Job definition '${definition}'`,
        resource: "job-definition",
      },
    );
  }

  /** Submits one job. */
  async submitJob(input: SubmitJobInput, options: CallOptions = {}): Promise<SubmittedJob> {
    options.signal?.throwIfAborted();
    // Sent once: see AwsClients.batchSingleAttempt for why SubmitJob is never resent by the SDK.
    const [client, sdk] = await Promise.all([this.#clients.batchSingleAttempt(), loadBatchSdk()]);
    const send = options.signal ? { abortSignal: options.signal } : {};
    const out = await callAws("Batch", "SubmitJob", () => client.send(new sdk.SubmitJobCommand(input), send), {
      ...options,
      // The engine submits by definition name first and registers only on this answer.
      notFound: `Job definition '${input.jobDefinition}'`,
      resource: "job-definition",
      about: /JobDefinition|job definition/i,
    });
    return clean({ jobId: out.jobId ?? "", jobName: out.jobName ?? input.jobName, jobArn: out.jobArn });
  }

  /** One page of ListJobs; the page size is clamped to 1,000 (100 with a filter). */
  async listJobs(query: ListJobsQuery, options: PageOptions = {}): Promise<JobPage> {
    const input = clean({
      jobQueue: query.jobQueue,
      arrayJobId: query.arrayJobId,
      jobStatus: query.filter ? undefined : query.jobStatus,
      filters: query.filter ? [{ name: query.filter.name, values: query.filter.values }] : undefined,
      nextToken: options.nextToken,
      maxResults: clampPageSize(options.maxResults, query.filter ? 100 : 1000),
    });
    const out = await this.#call("ListJobs", (c, s, h) => c.send(new s.ListJobsCommand(input), h), options);
    return clean({ jobs: (out.jobSummaryList ?? []).map(toJobSummary), nextToken: out.nextToken });
  }

  /** Describes jobs, 100 ids per call, in the order asked; unknown ids are left out. */
  async describeJobs(jobIds: string[], options: CallOptions = {}): Promise<JobDetail[]> {
    const unique = [...new Set(jobIds)];
    const found = new Map<string, JobDetail>();
    await pool(chunk(unique, 100), DESCRIBE_JOBS_IN_FLIGHT, async (ids) => {
      const out = await this.#call(
        "DescribeJobs",
        (c, s, h) => c.send(new s.DescribeJobsCommand({ jobs: ids }), h),
        options,
      );
      for (const job of out.jobs ?? []) {
        const detail = toJobDetail(job);
        found.set(detail.jobId, detail);
      }
    });
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  /** Cancels a job that has not started. */
  async cancelJob(jobId: string, reason: string, options: CallOptions = {}): Promise<void> {
    await this.#call("CancelJob", (c, s, h) => c.send(new s.CancelJobCommand({ jobId, reason }), h), {
      ...options,
      notFound: `Job '${jobId}'`,
      resource: "job",
    });
  }

  /** Terminates a job in any state. */
  async terminateJob(jobId: string, reason: string, options: CallOptions = {}): Promise<void> {
    await this.#call("TerminateJob", (c, s, h) => c.send(new s.TerminateJobCommand({ jobId, reason }), h), {
      ...options,
      notFound: `Job '${jobId}'`,
      resource: "job",
    });
  }

  /** Reads log events; a missing group or stream gives `{ events: [], exists: false }`. */
  async getLogEvents(
    location: LogLocation,
    options: CallOptions & { nextToken?: string; startFromHead?: boolean; limit?: number } = {},
  ): Promise<LogPage> {
    options.signal?.throwIfAborted();
    const [client, sdk] = await Promise.all([this.#clients.logs(), loadLogsSdk()]);
    const input = clean({
      logGroupName: location.group,
      logStreamName: location.stream,
      nextToken: options.nextToken,
      startFromHead: options.startFromHead,
      limit: clampPageSize(options.limit, 10_000),
    });
    try {
      const out = await client.send(
        new sdk.GetLogEventsCommand(input),
        options.signal ? { abortSignal: options.signal } : {},
      );
      const events = (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? "" }));
      return clean({ events, nextForwardToken: out.nextForwardToken, exists: true });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (errorCodeOf(error) === "ResourceNotFoundException") return { events: [], exists: false };
      throw toAwsError("CloudWatchLogs", "GetLogEvents", error);
    }
  }

  /** One page of compute environments; named ones are asked 100 per call and come back in one page. */
  describeComputeEnvironments(
    names?: string[],
    options: PageOptions = {},
  ): Promise<{ computeEnvironments: ComputeEnvironment[]; nextToken?: string }> {
    return infra.describeComputeEnvironments(this.#call, names, options);
  }

  /** Creates a compute environment. */
  createComputeEnvironment(input: ComputeEnvironmentInput, options: CallOptions = {}): Promise<{ arn: string }> {
    return infra.createComputeEnvironment(this.#call, input, options);
  }

  /** Updates a compute environment's state or maximum vCPUs. */
  updateComputeEnvironment(name: string, update: ComputeEnvironmentUpdate, options: CallOptions = {}): Promise<void> {
    return infra.updateComputeEnvironment(this.#call, name, update, options);
  }

  /** Deletes a compute environment. */
  deleteComputeEnvironment(name: string, options: CallOptions = {}): Promise<void> {
    return infra.deleteComputeEnvironment(this.#call, name, options);
  }

  /** One page of job queues; named ones are asked 100 per call and come back in one page. */
  describeJobQueues(
    names?: string[],
    options: PageOptions = {},
  ): Promise<{ jobQueues: JobQueue[]; nextToken?: string }> {
    return infra.describeJobQueues(this.#call, names, options);
  }

  /** Creates a job queue. */
  createJobQueue(input: JobQueueInput, options: CallOptions = {}): Promise<{ arn: string }> {
    return infra.createJobQueue(this.#call, input, options);
  }

  /** Updates a job queue's state, priority or compute environments. */
  updateJobQueue(name: string, update: JobQueueUpdate, options: CallOptions = {}): Promise<void> {
    return infra.updateJobQueue(this.#call, name, update, options);
  }

  /** Deletes a job queue. */
  deleteJobQueue(name: string, options: CallOptions = {}): Promise<void> {
    return infra.deleteJobQueue(this.#call, name, options);
  }
}
