/**
 * Why a job may be stuck in RUNNABLE: the states and reasons of its queue and of the queue's compute environments,
 * the most common answer to "my job never starts".
 * @module
 */
import type { Backend, CallOptions } from "./backend.ts";
import type { ComputeEnvironment, JobDetail, JobQueue } from "./backend_types.ts";
import { nameOfArn } from "./names.ts";

/** State and reason of one queue or compute environment. */
export interface ResourceHealth {
  /** Name. */
  name: string;
  /** ARN. */
  arn: string;
  /** ENABLED or DISABLED. */
  state?: string;
  /** VALID, INVALID, CREATING, ... */
  status?: string;
  /** Why, as AWS says it. */
  statusReason?: string;
}

/** What `runnableReasons()` found. */
export interface RunnableDiagnosis {
  /** The job's queue; absent when it no longer exists. */
  queue?: ResourceHealth & { priority: number };
  /** The queue's compute environments, in the queue's order (those that still exist). */
  computeEnvironments: (ResourceHealth & { type?: string; maxvCpus?: number })[];
  /** Plain sentences about what looks wrong (empty when nothing obvious is). */
  problems: string[];
}

function health(r: JobQueue | ComputeEnvironment, name: string, arn: string): ResourceHealth {
  return {
    name,
    arn,
    ...(r.state !== undefined ? { state: r.state } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.statusReason !== undefined ? { statusReason: r.statusReason } : {}),
  };
}

function problemsOf(kind: string, h: ResourceHealth): string[] {
  const out: string[] = [];
  if (h.state === "DISABLED") out.push(`${kind} '${h.name}' is DISABLED: it takes no new work until enabled`);
  if (h.status && h.status !== "VALID") {
    out.push(`${kind} '${h.name}' is ${h.status}${h.statusReason ? `: ${h.statusReason}` : ""}`);
  }
  return out;
}

/**
 * Looks up the queue of a job and the queue's compute environments, and says what looks wrong with them: disabled,
 * not VALID (with AWS's reason), missing, or without capacity (`maxvCpus` 0). Meant for jobs stuck in RUNNABLE.
 * @param backend The backend to use.
 * @param detail The job, as `describeJobs()` returned it.
 * @param options `signal`.
 * @returns The queue, its compute environments and a list of problems.
 * @example
 * ```ts ignore
 * import { AwsBackend, runnableReasons } from "./mod.ts";
 * const backend = new AwsBackend();
 * const [job] = await backend.describeJobs(["6b2e0c1e-0000-4000-8000-000000000000"]);
 * if (job?.status === "RUNNABLE") console.log((await runnableReasons(backend, job)).problems.join("\n"));
 * ```
 */
export async function runnableReasons(
  backend: Backend,
  detail: JobDetail,
  options: CallOptions = {},
): Promise<RunnableDiagnosis> {
  const call = options.signal ? { signal: options.signal } : {};
  const { jobQueues } = await backend.describeJobQueues([detail.jobQueue], call);
  const q = jobQueues[0];
  if (!q) {
    return { computeEnvironments: [], problems: [`Job queue '${nameOfArn(detail.jobQueue)}' does not exist any more`] };
  }
  const queue = { ...health(q, q.jobQueueName, q.jobQueueArn), priority: q.priority };
  const problems = problemsOf("Job queue", queue);
  const order = [...q.computeEnvironmentOrder].sort((a, b) => a.order - b.order).map((o) => o.computeEnvironment);
  if (order.length === 0) problems.push(`Job queue '${q.jobQueueName}' has no compute environment`);
  const { computeEnvironments: found } = order.length
    ? await backend.describeComputeEnvironments(order, call)
    : { computeEnvironments: [] };
  const computeEnvironments = [];
  for (const ref of order) {
    const ce = found.find((c) => c.computeEnvironmentArn === ref || c.computeEnvironmentName === ref);
    if (!ce) {
      problems.push(`Compute environment '${nameOfArn(ref)}' of queue '${q.jobQueueName}' does not exist`);
      continue;
    }
    const h = health(ce, ce.computeEnvironmentName, ce.computeEnvironmentArn);
    const max = ce.computeResources?.maxvCpus;
    computeEnvironments.push({
      ...h,
      ...(ce.computeResources?.type ? { type: ce.computeResources.type } : {}),
      ...(max !== undefined ? { maxvCpus: max } : {}),
    });
    problems.push(...problemsOf("Compute environment", h));
    if (max === 0) problems.push(`Compute environment '${h.name}' has maxvCpus 0: it can run nothing`);
  }
  return { queue, computeEnvironments, problems };
}
