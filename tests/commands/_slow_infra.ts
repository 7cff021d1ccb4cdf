/** A MemoryBackend whose compute environments and queues take a few polls to settle, as on AWS. */
import { MemoryBackend, type MemoryBackendOptions } from "../support/memory_backend.ts";
import type { CallOptions, PageOptions } from "../../core/backend.ts";
import type {
  ComputeEnvironmentInput,
  ComputeEnvironmentUpdate,
  JobQueueInput,
  JobQueueUpdate,
} from "../../core/backend_types.ts";

/** Settles each change after `polls` describe calls; `stuck` names resources that never settle. */
export class SlowInfraBackend extends MemoryBackend {
  readonly polls: number;
  readonly stuck = new Set<string>();
  readonly invalid = new Map<string, string>();
  readonly order: string[] = [];
  #pending = new Map<string, number>();

  constructor(polls = 2, options: MemoryBackendOptions = {}) {
    super(options);
    this.polls = polls;
  }

  #unsettle(name: string, status: string, set: (s: string) => void) {
    set(status);
    this.#pending.set(name, this.polls);
  }

  #tick(name: string, current: { status?: string; statusReason?: string }) {
    const left = this.#pending.get(name);
    if (left === undefined || this.stuck.has(name)) return;
    if (left <= 0) {
      const reason = this.invalid.get(name);
      current.status = reason ? "INVALID" : "VALID";
      if (reason) current.statusReason = reason;
      this.#pending.delete(name);
    } else this.#pending.set(name, left - 1);
  }

  override async createComputeEnvironment(input: ComputeEnvironmentInput, options?: CallOptions) {
    this.order.push(`createComputeEnvironment ${input.computeEnvironmentName}`);
    const r = await super.createComputeEnvironment(input, options);
    const ce = this.computeEnvironments.get(input.computeEnvironmentName)!;
    this.#unsettle(input.computeEnvironmentName, "CREATING", (s) => (ce.status = s));
    return r;
  }

  override async updateComputeEnvironment(name: string, update: ComputeEnvironmentUpdate, options?: CallOptions) {
    this.order.push(`updateComputeEnvironment ${name} ${JSON.stringify(update)}`);
    await super.updateComputeEnvironment(name, update, options);
    const ce = this.computeEnvironments.get(name)!;
    this.#unsettle(name, "UPDATING", (s) => (ce.status = s));
  }

  override async deleteComputeEnvironment(name: string, options?: CallOptions) {
    this.order.push(`deleteComputeEnvironment ${name}`);
    const ce = this.computeEnvironments.get(name);
    if (ce && (ce.state !== "DISABLED" || ce.status !== "VALID")) {
      throw new Error(`Test backend: '${name}' deleted while ${ce.state}/${ce.status}`);
    }
    await super.deleteComputeEnvironment(name, options);
  }

  override describeComputeEnvironments(names?: string[], options?: PageOptions) {
    for (const [name, ce] of this.computeEnvironments) this.#tick(name, ce);
    return super.describeComputeEnvironments(names, options);
  }

  override async createJobQueue(input: JobQueueInput, options?: CallOptions) {
    this.order.push(`createJobQueue ${input.jobQueueName}`);
    const r = await super.createJobQueue(input, options);
    const q = this.queues.get(input.jobQueueName)!;
    this.#unsettle(input.jobQueueName, "CREATING", (s) => (q.status = s));
    return r;
  }

  override async updateJobQueue(name: string, update: JobQueueUpdate, options?: CallOptions) {
    this.order.push(`updateJobQueue ${name} ${JSON.stringify(update)}`);
    await super.updateJobQueue(name, update, options);
    const q = this.queues.get(name)!;
    this.#unsettle(name, "UPDATING", (s) => (q.status = s));
  }

  override async deleteJobQueue(name: string, options?: CallOptions) {
    this.order.push(`deleteJobQueue ${name}`);
    const q = this.queues.get(name);
    if (q && (q.state !== "DISABLED" || q.status !== "VALID")) {
      throw new Error(`Test backend: queue '${name}' deleted while ${q.state}/${q.status}`);
    }
    await super.deleteJobQueue(name, options);
  }

  override describeJobQueues(names?: string[], options?: PageOptions) {
    for (const [name, q] of this.queues) this.#tick(name, q);
    return super.describeJobQueues(names, options);
  }
}
