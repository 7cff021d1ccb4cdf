/**
 * `ezbatch setup --destroy`: removes exactly what setup created, found by its tag `ezbatch:setup = true` (Batch
 * queues and compute environments, the security group) and, for IAM, by setup's path `/ezbatch/` and the same tag.
 * Anything else, even of the same name, is left alone. Order: queues, compute environments, security group,
 * instance profile, roles (each only once nothing uses it).
 * @module
 */
import type { Backend } from "../backend.ts";
import { AwsCallError } from "../errors.ts";
import {
  deleteInstanceProfile,
  deleteRole,
  deleteSecurityGroup,
  findSecurityGroups,
  getInstanceProfile,
  getRole,
  listSetupIam,
  permissionError,
  SETUP_TAG,
  type SetupClients,
} from "./_cloud.ts";

/** What destroy found and removes. */
export interface DestroyPlan {
  /** Job queues tagged by setup. */
  queues: string[];
  /** Compute environments tagged by setup. */
  computeEnvironments: string[];
  /** Security groups tagged by setup (ids). */
  securityGroups: string[];
  /** Instance profiles under /ezbatch/ tagged by setup, with their roles. */
  instanceProfiles: { name: string; roles: string[] }[];
  /** Roles under /ezbatch/ tagged by setup. */
  roles: string[];
}

const tagged = (tags: Record<string, string> | { Key?: string; Value?: string }[] | undefined) =>
  Array.isArray(tags)
    ? tags.some((t) => t.Key === SETUP_TAG.key && t.Value === SETUP_TAG.value)
    : tags?.[SETUP_TAG.key] === SETUP_TAG.value;

/** Finds what setup created (read-only calls). */
export async function planDestroy(backend: Backend, clients: SetupClients): Promise<DestroyPlan> {
  const queues = (await backend.describeJobQueues()).jobQueues
    .filter((q) => q.status !== "DELETED" && tagged(q.tags)).map((q) => q.jobQueueName);
  const computeEnvironments = (await backend.describeComputeEnvironments()).computeEnvironments
    .filter((c) => c.status !== "DELETED" && tagged(c.tags)).map((c) => c.computeEnvironmentName);
  const securityGroups = (await findSecurityGroups(clients, "tagged")).filter((g) => g.tagged).map((g) => g.id);
  const iam = await listSetupIam(clients);
  const instanceProfiles = [];
  for (const name of iam.profiles) {
    const p = await getInstanceProfile(clients, name);
    if (p && tagged(p.tags)) instanceProfiles.push({ name, roles: p.roles });
  }
  const roles = [];
  for (const name of iam.roles) {
    const r = await getRole(clients, name);
    if (r && tagged(r.tags)) roles.push(name);
  }
  return { queues, computeEnvironments, securityGroups, instanceProfiles, roles };
}

/** How destroy waits. */
export interface DestroyOptions {
  /** Waits until a queue reaches the goal (DISABLED and settled, or gone). */
  waitQueue: (name: string, goal: "DISABLED" | "gone") => Promise<void>;
  /** Waits until a compute environment reaches the goal. */
  waitComputeEnvironment: (name: string, goal: "DISABLED" | "gone") => Promise<void>;
  /** Called per removal. */
  progress?: (message: string) => void;
  /** Pause between retries of a security group still in use by network interfaces being released. */
  sleep?: (ms: number) => Promise<void>;
}

/** Removes what `plan` lists. */
export async function applyDestroy(
  backend: Backend,
  clients: SetupClients,
  plan: DestroyPlan,
  options: DestroyOptions,
): Promise<void> {
  const say = options.progress ?? (() => {});
  for (const name of plan.queues) {
    await backend.updateJobQueue(name, { state: "DISABLED" });
    await options.waitQueue(name, "DISABLED");
    await backend.deleteJobQueue(name);
    await options.waitQueue(name, "gone");
    say(`Deleted job queue '${name}'.`);
  }
  for (const name of plan.computeEnvironments) {
    await backend.updateComputeEnvironment(name, { state: "DISABLED" });
    await options.waitComputeEnvironment(name, "DISABLED");
    await backend.deleteComputeEnvironment(name);
    await options.waitComputeEnvironment(name, "gone");
    say(`Deleted compute environment '${name}'.`);
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  for (const id of plan.securityGroups) {
    // The compute environments' network interfaces are released a little after they are gone.
    for (let attempt = 1;; attempt++) {
      try {
        await deleteSecurityGroup(clients, id);
        break;
      } catch (error) {
        const inUse = error instanceof AwsCallError && error.code === "DependencyViolation";
        if (!inUse || attempt >= 12) throw error;
        await sleep(10_000);
      }
    }
    say(`Deleted security group ${id}.`);
  }
  for (const p of plan.instanceProfiles) {
    await deleteInstanceProfile(clients, p.name, p.roles);
    say(`Deleted instance profile '${p.name}'.`);
  }
  for (const name of plan.roles) {
    await deleteRole(clients, name);
    say(`Deleted IAM role '${name}'.`);
  }
}

/** An access denial of any service worded as the permission it lacks; other errors as they are. */
export function explainDenied(error: unknown): unknown {
  if (!(error instanceof AwsCallError)) return error;
  const service = error.service.toLowerCase().replace(/^aws /, "");
  return permissionError(error, service === "batch" ? "batch" : service, error.operation) ?? error;
}

/** Whether a destroy plan is empty. */
export function nothingToDestroy(plan: DestroyPlan): boolean {
  return !plan.queues.length && !plan.computeEnvironments.length && !plan.securityGroups.length &&
    !plan.instanceProfiles.length && !plan.roles.length;
}
