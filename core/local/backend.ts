/**
 * `LocalBackend`: the Backend interface over jobs that run as processes on this machine, with AWS Batch semantics.
 * @module
 */
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
import { resolve } from "node:path";
import type { LocalState } from "./_types.ts";
import { toDetail } from "./describe.ts";
import { listInState } from "./describe.ts";
import { DEFAULT_STALE_AFTER_MS, hasOrphans, reapOrphans, supervisorDeath } from "./liveness.ts";
import { readLogEvents } from "./logs.ts";
import { ensureDaemon } from "./daemon.ts";
import * as registry from "./registry.ts";
import { cancelInState, isDone, terminateInState } from "./scheduler.ts";
import { submitToState } from "./submit.ts";
import { LocalSupervisor, SupervisorBusyError } from "./supervisor.ts";
import { defaultStateDir, StateStore } from "./store.ts";
import type { LocalBackendOptions } from "./options.ts";

export type { LocalBackendOptions } from "./options.ts";

/**
 * Runs AWS Batch jobs as processes on this machine: states, dependencies, array jobs, retries, timeouts, cancel
 * and terminate, a vCPU/memory budget, the AWS_BATCH_* environment and per-attempt logs, with state on disk so
 * other processes see the same jobs.
 *
 * @example Run a job locally, in this process
 * ```ts
 * import { LocalBackend } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await using backend = new LocalBackend({ stateDir: dir, mode: "in-process" });
 * await backend.registerJobDefinition({
 *   jobDefinitionName: "hello",
 *   type: "container",
 *   platformCapabilities: ["EC2"],
 *   containerProperties: { image: "alpine", command: ["/bin/sh", "-c", "echo hello"] },
 * });
 * const { jobId } = await backend.submitJob({ jobName: "hello", jobQueue: "any-queue", jobDefinition: "hello" });
 * console.log(jobId);
 * ```
 */
export class LocalBackend implements Backend {
  /** Always `local`. */
  readonly kind = "local" as const;
  /**
   * What `submitWorkflow` plans with when not told otherwise: locally no execution role is needed (no ECS task
   * runs) and the queue `ezbatch-local` always exists, as with `ezbatch --local`.
   */
  readonly planDefaults: { executionRoleArn: string; queue: string } = {
    executionRoleArn: "arn:aws:iam::000000000000:role/ezbatch-local",
    queue: "ezbatch-local",
  };
  /** The state directory in use. */
  readonly stateDir: string;
  #store: StateStore;
  #options: LocalBackendOptions;
  #supervisor: LocalSupervisor | undefined;
  #supervisorRun: Promise<void> | undefined;
  #starting: Promise<void> | undefined;

  /** Opens the local backend over a state directory (created when missing). */
  constructor(options: LocalBackendOptions = {}) {
    this.#options = options;
    this.stateDir = resolve(options.stateDir ?? defaultStateDir());
    this.#store = new StateStore(this.stateDir);
  }

  /** Stops the in-process supervisor, terminating the jobs it still runs. Daemons are left running. */
  async close(): Promise<void> {
    this.#supervisor?.stop();
    await this.#supervisorRun;
    this.#supervisor = undefined;
    this.#supervisorRun = undefined;
    this.#starting = undefined;
  }

  async #startInProcess(): Promise<void> {
    const supervisor = new LocalSupervisor(this.#supervisorOptions("in-process"));
    if (!(await supervisor.claim())) {
      const info = await this.#store.readSupervisor();
      throw new SupervisorBusyError(
        `State directory '${this.stateDir}' is run by another local supervisor (pid ${info?.pid}): ` +
          `use another stateDir for an in-process backend, or the default daemon mode`,
      );
    }
    this.#supervisor = supervisor;
    this.#supervisorRun = supervisor.run();
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #ensureSupervisor(): Promise<void> {
    if (this.#options.mode === "in-process") {
      // One start shared by concurrent first calls (a workflow submits many jobs at once).
      this.#starting ??= this.#startInProcess().catch((error) => {
        this.#starting = undefined;
        throw error;
      });
      return await this.#starting;
    }
    await ensureDaemon(this.#store, { ...this.#options, stateDir: this.stateDir, staleAfterMs: this.#staleAfter });
  }

  #supervisorOptions(mode: "daemon" | "in-process") {
    const o = this.#options;
    return {
      stateDir: this.stateDir,
      mode,
      staleAfterMs: this.#staleAfter,
      ...(o.vcpus !== undefined ? { vcpus: o.vcpus } : {}),
      ...(o.memory !== undefined ? { memory: o.memory } : {}),
      ...(o.runtime ? { runtime: o.runtime } : {}),
      ...(o.isolation ? { isolation: o.isolation } : {}),
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.killGraceMs !== undefined ? { killGraceMs: o.killGraceMs } : {}),
    };
  }

  get #staleAfter(): number {
    return this.#options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  /**
   * Reads the state for a query. Jobs left STARTING/RUNNING by a dead supervisor are failed first (with a reason);
   * in daemon mode a supervisor is started again when queued jobs are waiting for one.
   */
  async #readChecked(): Promise<LocalState> {
    const state = await this.#store.read();
    const info = await this.#store.readSupervisor();
    const death = supervisorDeath(info, Date.now(), this.#staleAfter);
    const liveId = death ? undefined : info?.id;
    if (hasOrphans(state, liveId)) {
      return await this.#store.update(async (fresh) => {
        const current = await this.#store.readSupervisor();
        const why = supervisorDeath(current, Date.now(), this.#staleAfter);
        reapOrphans(fresh, why ? undefined : current?.id, Date.now(), why ?? "its supervisor stopped");
        return fresh;
      });
    }
    if (death && this.#options.mode !== "in-process" && Object.values(state.jobs).some((j) => !isDone(j.status))) {
      await this.#ensureSupervisor();
    }
    return state;
  }

  // ---- job definitions ----

  /** ACTIVE revisions of the named definitions (`name`, `name:revision` or ARN). */
  async describeJobDefinitions(names: string[], _options?: CallOptions): Promise<JobDefinition[]> {
    const state = await this.#store.read();
    const wanted = names.map((n) => registry.nameOf(n));
    return state.definitions.filter((d) =>
      d.status === "ACTIVE" &&
      wanted.some((w) => w === d.jobDefinitionName || w === `${d.jobDefinitionName}:${d.revision}`)
    );
  }

  /** One page of definitions. */
  async listJobDefinitions(
    query: { status?: "ACTIVE" | "INACTIVE"; name?: string },
    options: PageOptions = {},
  ): Promise<{ definitions: JobDefinition[]; nextToken?: string }> {
    const state = await this.#store.read();
    const all = state.definitions.filter((d) =>
      (!query.status || d.status === query.status) && (!query.name || d.jobDefinitionName === query.name)
    );
    return page(all, options, (definitions, nextToken) => ({ definitions, ...(nextToken ? { nextToken } : {}) }));
  }

  /** Registers a new revision. */
  async registerJobDefinition(
    input: JobDefinitionInput,
    _options?: CallOptions,
  ): Promise<{ jobDefinitionName: string; revision: number; jobDefinitionArn: string }> {
    const d = await this.#store.update((state) => registry.registerDefinition(state, input));
    return { jobDefinitionName: d.jobDefinitionName, revision: d.revision, jobDefinitionArn: d.jobDefinitionArn };
  }

  /** Marks `name:revision` (or an ARN) INACTIVE. */
  async deregisterJobDefinition(definition: string, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => registry.deregisterDefinition(state, definition));
  }

  // ---- jobs ----

  /** Submits a job (an array job with `arrayProperties`); it runs even after this process exits (daemon mode). */
  async submitJob(input: SubmitJobInput, _options?: CallOptions): Promise<SubmittedJob> {
    const s3Dir = this.#options.s3Dir ? resolve(this.#options.s3Dir) : undefined;
    const context = {
      now: Date.now(),
      autoCreateQueues: this.#options.autoCreateQueues ?? true,
      ...(s3Dir ? { s3Dir } : {}),
    };
    if (this.#options.mode === "in-process") await this.#ensureSupervisor();
    const job = await this.#store.update((state) => submitToState(state, input, context));
    if (this.#options.mode !== "in-process") await this.#ensureSupervisor();
    return { jobId: job.jobId, jobName: job.jobName, jobArn: registry.localArn("job", job.jobId) };
  }

  /** One page of ListJobs. */
  async listJobs(query: ListJobsQuery, options: PageOptions = {}): Promise<JobPage> {
    const state = await this.#readChecked();
    return listInState(state, query, {
      ...(options.nextToken ? { nextToken: options.nextToken } : {}),
      ...(options.maxResults ? { maxResults: options.maxResults } : {}),
    });
  }

  /** Describes jobs (array parents, children `<id>:<index>` and plain jobs); unknown ids are left out. */
  async describeJobs(jobIds: string[], _options?: CallOptions): Promise<JobDetail[]> {
    const state = await this.#readChecked();
    return jobIds.flatMap((id) => state.jobs[id] ? [toDetail(state, state.jobs[id]!)] : []);
  }

  /** Cancels jobs that have not started; a started job is left alone (as on AWS). */
  async cancelJob(jobId: string, reason: string, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => cancelInState(state, jobId, reason, Date.now()));
  }

  /** Terminates a job in any state; a running one is killed with everything it started. */
  async terminateJob(jobId: string, reason: string, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => terminateInState(state, jobId, reason, Date.now()));
  }

  /** Reads a log stream of an attempt. */
  async getLogEvents(
    location: LogLocation,
    options: CallOptions & { nextToken?: string; startFromHead?: boolean; limit?: number } = {},
  ): Promise<LogPage> {
    return await readLogEvents(this.stateDir, location, {
      ...(options.nextToken ? { nextToken: options.nextToken } : {}),
      ...(options.startFromHead !== undefined ? { startFromHead: options.startFromHead } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
  }

  // ---- compute environments and queues ----

  /** One page of compute environments. */
  async describeComputeEnvironments(
    names?: string[],
    options: PageOptions = {},
  ): Promise<{ computeEnvironments: ComputeEnvironment[]; nextToken?: string }> {
    const state = await this.#store.read();
    const wanted = names?.map(registry.nameOf);
    const all = state.computeEnvironments.filter((c) => !wanted || wanted.includes(c.computeEnvironmentName));
    return page(
      all,
      options,
      (computeEnvironments, nextToken) => ({ computeEnvironments, ...(nextToken ? { nextToken } : {}) }),
    );
  }

  /** Creates a compute environment (a name for local scheduling: all run on this machine). */
  async createComputeEnvironment(input: ComputeEnvironmentInput, _options?: CallOptions): Promise<{ arn: string }> {
    const ce = await this.#store.update((state) => registry.createEnvironment(state, input));
    return { arn: ce.computeEnvironmentArn };
  }

  /** Updates state or size. */
  async updateComputeEnvironment(
    name: string,
    update: ComputeEnvironmentUpdate,
    _options?: CallOptions,
  ): Promise<void> {
    await this.#store.update((state) => registry.updateEnvironment(state, name, update));
  }

  /** Deletes a DISABLED compute environment no queue uses. */
  async deleteComputeEnvironment(name: string, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => registry.deleteEnvironment(state, name));
  }

  /** One page of job queues. */
  async describeJobQueues(
    names?: string[],
    options: PageOptions = {},
  ): Promise<{ jobQueues: JobQueue[]; nextToken?: string }> {
    const state = await this.#store.read();
    const wanted = names?.map(registry.nameOf);
    const all = state.queues.filter((q) => !wanted || wanted.includes(q.jobQueueName));
    return page(all, options, (jobQueues, nextToken) => ({ jobQueues, ...(nextToken ? { nextToken } : {}) }));
  }

  /** Creates a job queue. */
  async createJobQueue(input: JobQueueInput, _options?: CallOptions): Promise<{ arn: string }> {
    const queue = await this.#store.update((state) => registry.createQueue(state, input));
    return { arn: queue.jobQueueArn };
  }

  /** Updates state, priority or environments. */
  async updateJobQueue(name: string, update: JobQueueUpdate, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => registry.updateQueue(state, name, update));
  }

  /** Deletes a DISABLED job queue. */
  async deleteJobQueue(name: string, _options?: CallOptions): Promise<void> {
    await this.#store.update((state) => registry.deleteQueue(state, name));
  }
}

function page<T, R>(all: T[], options: PageOptions, build: (items: T[], nextToken?: string) => R): R {
  const max = Math.max(1, Math.min(options.maxResults ?? 100, 100));
  const start = Number(options.nextToken ?? 0) || 0;
  const next = start + max < all.length ? String(start + max) : undefined;
  return build(all.slice(start, start + max), next);
}
