/**
 * The part of the in-memory Backend (`memory_backend.ts`) that is not about jobs: call counting with injectable
 * latency, throttling and faults, and the compute environments and job queues, answered in AWS's shapes
 * (DescribeComputeEnvironments, DescribeJobQueues; tests/support/aws_shapes.ts names the API pages).
 */
import type { CallOptions, PageOptions } from "../../core/backend.ts";
import type {
  ComputeEnvironment,
  ComputeEnvironmentInput,
  ComputeEnvironmentUpdate,
  JobQueue,
  JobQueueInput,
  JobQueueUpdate,
} from "../../core/backend_types.ts";
import { AwsCallError, NotFoundError } from "../../core/errors.ts";
import { batchArn, describedComputeEnvironment, describedJobQueue, nameOfArn } from "./aws_shapes.ts";

/** Options of the fake. */
export interface MemoryBackendOptions {
  /** Added to every call, in ms (default 0). */
  latencyMs?: number;
  /** Calls per second above which calls throw TooManyRequestsException (default: unlimited). */
  ratePerSecond?: number;
  /** Returns an error to throw for a call, or undefined to let it through. */
  fault?: (operation: string, callNumber: number) => Error | undefined;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /**
   * Refuse a SubmitJob whose definition has no ACTIVE revision, as AWS does (default false, so that tests of jobs
   * can submit without registering one; tests of the submission engine turn it on).
   */
  checkDefinitions?: boolean;
}

/** Calls, compute environments and queues; the jobs' half is MemoryBackend. */
export abstract class MemoryInfrastructure {
  /** Calls per operation name (e.g. `submitJob`). */
  readonly calls: Record<string, number> = {};
  /** Every UpdateJobQueue request, in order (AWS keeps no history; tests check what was sent). */
  readonly updateJobQueueCalls: { name: string; update: JobQueueUpdate }[] = [];
  /** Queues by name. */
  readonly queues = new Map<string, JobQueue>();
  /** Compute environments by name. */
  readonly computeEnvironments = new Map<string, ComputeEnvironment>();
  protected readonly options: MemoryBackendOptions;
  #window: number[] = [];

  constructor(options: MemoryBackendOptions) {
    this.options = options;
  }

  /** The fake's clock. */
  protected now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Counts a call, then waits, throttles or fails it as the options say. */
  protected async call(operation: string, signal?: AbortSignal): Promise<void> {
    const n = (this.calls[operation] = (this.calls[operation] ?? 0) + 1);
    signal?.throwIfAborted();
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const rate = this.options.ratePerSecond;
    if (rate) {
      const now = this.now();
      this.#window = this.#window.filter((t) => now - t < 1000);
      if (this.#window.length >= rate) {
        this.calls[`${operation}:throttled`] = (this.calls[`${operation}:throttled`] ?? 0) + 1;
        throw new AwsCallError({ service: "Batch", operation, code: "TooManyRequestsException" }, "Too Many Requests");
      }
      this.#window.push(now);
    }
    const fault = this.options.fault?.(operation, n);
    if (fault) throw fault;
  }

  /** Fails the unfinished jobs of a queue that is being deleted. */
  protected abstract terminateJobsOfQueue(queueName: string): void;

  async describeComputeEnvironments(names?: string[], options?: PageOptions) {
    await this.call("describeComputeEnvironments", options?.signal);
    const all = [...this.computeEnvironments.values()].filter((c) =>
      !names?.length || names.includes(c.computeEnvironmentName) || names.includes(c.computeEnvironmentArn)
    );
    return paginate(
      all.map(describedComputeEnvironment),
      options,
      (computeEnvironments, nextToken) => ({ computeEnvironments, ...nextToken }),
    );
  }

  async createComputeEnvironment(input: ComputeEnvironmentInput, options?: CallOptions) {
    await this.call("createComputeEnvironment", options?.signal);
    const arn = batchArn("compute-environment", input.computeEnvironmentName);
    this.computeEnvironments.set(input.computeEnvironmentName, {
      ...structuredClone(input),
      computeEnvironmentArn: arn,
      state: input.state ?? "ENABLED",
      status: "VALID",
    });
    return { arn };
  }

  async updateComputeEnvironment(name: string, update: ComputeEnvironmentUpdate, options?: CallOptions) {
    await this.call("updateComputeEnvironment", options?.signal);
    const ce = this.computeEnvironments.get(name);
    if (!ce) throw new NotFoundError(`Compute environment '${name}' does not exist`);
    if (update.state) ce.state = update.state;
    if (update.maxvCpus !== undefined && ce.computeResources) ce.computeResources.maxvCpus = update.maxvCpus;
  }

  async deleteComputeEnvironment(name: string, options?: CallOptions) {
    await this.call("deleteComputeEnvironment", options?.signal);
    const ce = this.computeEnvironments.get(nameOfArn(name));
    if (!ce) throw new NotFoundError(`Compute environment '${name}' does not exist`);
    // AWS refuses (ClientException) to delete an environment that is ENABLED or that a queue still uses.
    const users = [...this.queues.values()].filter((q) =>
      q.computeEnvironmentOrder.some((o) => nameOfArn(o.computeEnvironment) === ce.computeEnvironmentName)
    );
    if (ce.state !== "DISABLED" || users.length) {
      throw new AwsCallError(
        { service: "Batch", operation: "DeleteComputeEnvironment", code: "ClientException" },
        `Cannot delete, found existing JobQueue relationship or the environment is not DISABLED`,
      );
    }
    this.computeEnvironments.delete(ce.computeEnvironmentName);
  }

  async describeJobQueues(names?: string[], options?: PageOptions) {
    await this.call("describeJobQueues", options?.signal);
    const all = [...this.queues.values()].filter((q) =>
      !names?.length || names.includes(q.jobQueueName) || names.includes(q.jobQueueArn)
    );
    return paginate(all.map(describedJobQueue), options, (jobQueues, nextToken) => ({ jobQueues, ...nextToken }));
  }

  async createJobQueue(input: JobQueueInput, options?: CallOptions) {
    await this.call("createJobQueue", options?.signal);
    const arn = batchArn("job-queue", input.jobQueueName);
    this.queues.set(input.jobQueueName, { ...structuredClone(input), jobQueueArn: arn, status: "VALID" });
    return { arn };
  }

  async updateJobQueue(name: string, update: JobQueueUpdate, options?: CallOptions) {
    await this.call("updateJobQueue", options?.signal);
    const q = this.queues.get(nameOfArn(name));
    if (!q) throw new NotFoundError(`Job queue '${name}' does not exist`);
    Object.assign(q, structuredClone(update));
    this.updateJobQueueCalls.push({ name, update: structuredClone(update) });
  }

  async deleteJobQueue(name: string, options?: CallOptions) {
    await this.call("deleteJobQueue", options?.signal);
    const queue = this.queues.get(nameOfArn(name));
    if (!queue) throw new NotFoundError(`Job queue '${name}' does not exist`);
    // On AWS, deleting a queue terminates the jobs still in it.
    this.terminateJobsOfQueue(queue.jobQueueName);
    this.queues.delete(queue.jobQueueName);
  }
}

/** One page of `all`, with the next page's token as a string offset. */
export function paginate<T, R>(
  all: T[],
  options: PageOptions | undefined,
  make: (items: T[], nextToken: { nextToken?: string }) => R,
): R {
  const start = options?.nextToken ? Number(options.nextToken) : 0;
  const size = options?.maxResults ?? 100;
  const end = start + size;
  return make(all.slice(start, end), end < all.length ? { nextToken: String(end) } : {});
}
