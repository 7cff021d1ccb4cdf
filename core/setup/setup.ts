/**
 * `ezbatch setup`: from an empty AWS account to what a first Fargate job needs, idempotently. First a plan (what
 * exists, what will be created, every IAM policy by name), made from read-only calls; then, when confirmed, the
 * missing pieces in order, each tagged `ezbatch:setup = true` so `destroy` removes exactly them. The compute
 * environments and queues are made by the same actions as `compute-environment create` and `job-queue create`.
 * @module
 */
import type { Backend } from "../backend.ts";
import { createComputeEnvironment } from "../actions/compute_environment.ts";
import { createJobQueue } from "../actions/job_queue.ts";
import type { Settings } from "../config_keys.ts";
import { EzBatchError } from "../errors.ts";
import { type InlinePolicy, policyNames, s3BucketsPolicy, SETUP_POLICIES } from "./policies.ts";

export {
  bucketNames,
  type InlinePolicy,
  policyNames,
  S3_BUCKETS_POLICY,
  s3BucketsPolicy,
  SETUP_POLICIES,
} from "./policies.ts";
import {
  createInstanceProfile,
  createRole,
  createSecurityGroup,
  defaultNetwork,
  findSecurityGroups,
  getInstanceProfile,
  getRole,
  SETUP_TAG,
  type SetupClients,
} from "./_cloud.ts";

/** Names of what setup creates. */
export const SETUP_NAMES = {
  executionRole: "ezbatch-execution-role",
  jobRole: "ezbatch-job-role",
  instanceRole: "ezbatch-instance-role",
  instanceProfile: "ezbatch-instance-profile",
  securityGroup: "ezbatch-egress-only",
  fargate: "ezbatch-fargate",
  fargateSpot: "ezbatch-fargate-spot",
  queue: "ezbatch-queue",
  ec2: "ezbatch-ec2",
  ec2Queue: "ezbatch-ec2-queue",
  gpu: "ezbatch-gpu",
  gpuQueue: "ezbatch-gpu-queue",
} as const;

/** Options of setup. */
export interface SetupOptions {
  /** Add an EC2 environment and queue (with its instance role and profile). */
  ec2?: boolean;
  /** Add a GPU (EC2) environment and queue. */
  gpu?: boolean;
  /** Subnets to use instead of the default VPC's. */
  subnets?: string[];
  /** Security groups to use instead of creating one. */
  securityGroups?: string[];
  /** Max vCPUs of each environment; default 16. */
  maxVcpus?: number;
  /** Limit the job role's S3 access to these buckets (an inline policy) instead of AmazonS3FullAccess. */
  buckets?: string[];
}

/** One thing setup needs. */
export interface SetupStep {
  /** What kind of thing. */
  kind: "IAM role" | "instance profile" | "security group" | "compute environment" | "job queue" | "subnets";
  /** Its name (or the ids, for subnets). */
  name: string;
  /** `exists`: found and used as it is; `create`: setup will create it. */
  action: "exists" | "create";
  /** Managed policies attached to a role setup creates (ARNs). */
  policies?: string[];
  /** Inline policies put on a role setup creates. */
  inlinePolicies?: InlinePolicy[];
  /** A short note (what it is for). */
  note?: string;
}

/** What setup would do, and the settings it writes. */
export interface SetupPlan {
  /** In creation order. */
  steps: SetupStep[];
  /** Settings setup writes to the config when done. */
  settings: Partial<Settings>;
  /** The default VPC, when the network comes from it. */
  vpcId?: string;
}

/** Makes the plan from read-only calls (IAM Get*, EC2 Describe*, Batch Describe*). */
export async function planSetup(backend: Backend, clients: SetupClients, options: SetupOptions): Promise<SetupPlan> {
  const steps: SetupStep[] = [];
  const settings: Partial<Settings> = {};
  const role = async (key: keyof typeof SETUP_POLICIES, note: string) => {
    const name = SETUP_NAMES[key];
    const found = await getRole(clients, name);
    const scoped = key === "jobRole" && options.buckets?.length;
    steps.push({
      kind: "IAM role",
      name,
      action: found ? "exists" : "create",
      ...(scoped
        ? { policies: [], inlinePolicies: [s3BucketsPolicy(options.buckets!)] }
        : { policies: [...SETUP_POLICIES[key]] }),
      note,
    });
    return found?.arn;
  };
  const executionArn = await role("executionRole", "pulls images and writes logs for Fargate jobs");
  const jobArn = await role(
    "jobRole",
    options.buckets?.length
      ? `the role jobs run as by default: S3 read/write on ${options.buckets.join(", ")} only`
      : "the role jobs run as by default: S3 access for the preloader, every bucket (--buckets limits it)",
  );
  if (options.ec2 || options.gpu) {
    await role("instanceRole", "the role of EC2 instances that run jobs");
    const profile = await getInstanceProfile(clients, SETUP_NAMES.instanceProfile);
    steps.push({ kind: "instance profile", name: SETUP_NAMES.instanceProfile, action: profile ? "exists" : "create" });
    settings.instanceRole = SETUP_NAMES.instanceProfile;
  }
  let vpcId: string | undefined;
  if (options.subnets?.length) settings.subnets = options.subnets;
  else {
    const network = await defaultNetwork(clients);
    if (!network || network.subnets.length === 0) {
      throw new EzBatchError(
        "This account and region have no default VPC with default subnets: pass --subnets subnet-a,subnet-b and " +
          "--security-groups sg-a (or create a default VPC with 'aws ec2 create-default-vpc')",
      );
    }
    vpcId = network.vpcId;
    settings.subnets = network.subnets;
    // Default subnets are public without a NAT gateway: Fargate tasks need a public IP to pull images.
    settings.assignPublicIp = true;
    steps.push({ kind: "subnets", name: network.subnets.join(","), action: "exists", note: `default VPC ${vpcId}` });
  }
  if (options.securityGroups?.length) settings.securityGroupIds = options.securityGroups;
  else {
    if (!vpcId) throw new EzBatchError("With --subnets, also pass --security-groups (setup cannot tell their VPC)");
    const [group] = await findSecurityGroups(clients, { vpcId, name: SETUP_NAMES.securityGroup });
    steps.push({
      kind: "security group",
      name: group ? `${SETUP_NAMES.securityGroup} (${group.id})` : SETUP_NAMES.securityGroup,
      action: group ? "exists" : "create",
      note: "outbound only",
    });
    if (group) settings.securityGroupIds = [group.id];
  }
  const ces: string[] = [SETUP_NAMES.fargate, SETUP_NAMES.fargateSpot];
  if (options.ec2) ces.push(SETUP_NAMES.ec2);
  if (options.gpu) ces.push(SETUP_NAMES.gpu);
  const existingCes = new Set(
    (await backend.describeComputeEnvironments(ces)).computeEnvironments
      .filter((c) => c.status !== "DELETED").map((c) => c.computeEnvironmentName),
  );
  for (const name of ces) {
    steps.push({ kind: "compute environment", name, action: existingCes.has(name) ? "exists" : "create" });
  }
  const queues: string[] = [SETUP_NAMES.queue];
  if (options.ec2) queues.push(SETUP_NAMES.ec2Queue);
  if (options.gpu) queues.push(SETUP_NAMES.gpuQueue);
  const existingQueues = new Set(
    (await backend.describeJobQueues(queues)).jobQueues.filter((q) => q.status !== "DELETED").map((q) =>
      q.jobQueueName
    ),
  );
  for (const name of queues) {
    steps.push({ kind: "job queue", name, action: existingQueues.has(name) ? "exists" : "create" });
  }
  settings.queue = SETUP_NAMES.queue;
  if (executionArn) settings.executionRoleArn = executionArn;
  if (jobArn) settings.taskRoleArn = jobArn;
  return { steps, settings, ...(vpcId ? { vpcId } : {}) };
}

/** How apply reports and waits. */
export interface ApplyOptions {
  /** Called once per step done. */
  progress?: (message: string) => void;
  /** Waits until a compute environment is VALID (the command polls; tests answer at once). */
  settle: (name: string) => Promise<void>;
  /** Retries a call that failed because IAM has not propagated a new role yet (default: 6 tries, 5 s apart). */
  sleep?: (ms: number) => Promise<void>;
}

/** Creates what the plan marks `create`, in order; returns the settings to write (with the new ids and ARNs). */
export async function applySetup(
  backend: Backend,
  clients: SetupClients,
  plan: SetupPlan,
  options: SetupOptions & ApplyOptions,
): Promise<Partial<Settings>> {
  const settings = { ...plan.settings };
  const say = options.progress ?? (() => {});
  const todo = (kind: SetupStep["kind"], name: string) =>
    plan.steps.some((s) => s.kind === kind && s.name === name && s.action === "create");
  const tags = { [SETUP_TAG.key]: SETUP_TAG.value };
  for (const key of ["executionRole", "jobRole", "instanceRole"] as const) {
    const name = SETUP_NAMES[key];
    const step = plan.steps.find((s) => s.kind === "IAM role" && s.name === name && s.action === "create");
    if (!step) continue;
    const service = key === "instanceRole" ? "ec2.amazonaws.com" : "ecs-tasks.amazonaws.com";
    const arn = await createRole(clients, name, service, step.policies ?? [], step.inlinePolicies ?? []);
    if (key === "executionRole") settings.executionRoleArn = arn;
    if (key === "jobRole") settings.taskRoleArn = arn;
    say(`Created IAM role '${name}' (${policyNames(step).join(", ")}).`);
  }
  if (todo("instance profile", SETUP_NAMES.instanceProfile)) {
    await createInstanceProfile(clients, SETUP_NAMES.instanceProfile, SETUP_NAMES.instanceRole);
    say(`Created instance profile '${SETUP_NAMES.instanceProfile}'.`);
  }
  if (todo("security group", SETUP_NAMES.securityGroup)) {
    const id = await createSecurityGroup(clients, plan.vpcId!, SETUP_NAMES.securityGroup);
    settings.securityGroupIds = [id];
    say(`Created security group '${SETUP_NAMES.securityGroup}' (${id}), outbound only.`);
  }
  const ceType = (name: string) =>
    name === SETUP_NAMES.fargate ? "FARGATE" : name === SETUP_NAMES.fargateSpot ? "FARGATE_SPOT" : "EC2";
  for (const step of plan.steps.filter((s) => s.kind === "compute environment" && s.action === "create")) {
    const type = ceType(step.name);
    const request = {
      name: step.name,
      type,
      maxVcpus: options.maxVcpus ?? 16,
      tags,
      ...(type === "EC2"
        ? { instanceTypes: step.name === SETUP_NAMES.gpu ? ["g4dn", "g5"] : ["optimal"], instanceTags: tags }
        : {}),
    } as const;
    await retryWhileIamPropagates(() => createComputeEnvironment(backend, request, { settings }), options.sleep);
    say(`Created compute environment '${step.name}' (${type}).`);
  }
  const queueEnvs: Record<string, string[]> = {
    [SETUP_NAMES.queue]: [SETUP_NAMES.fargateSpot, SETUP_NAMES.fargate], // Spot first: cheaper when there is room
    [SETUP_NAMES.ec2Queue]: [SETUP_NAMES.ec2],
    [SETUP_NAMES.gpuQueue]: [SETUP_NAMES.gpu],
  };
  for (const step of plan.steps.filter((s) => s.kind === "job queue" && s.action === "create")) {
    await createJobQueue(backend, { name: step.name, computeEnvironments: queueEnvs[step.name]!, tags }, {
      settle: options.settle,
    });
    say(`Created job queue '${step.name}' over ${queueEnvs[step.name]!.join(", ")}.`);
  }
  return settings;
}

/** A new role or instance profile takes seconds to reach every AWS service: retry what fails for that reason. */
async function retryWhileIamPropagates<T>(
  run: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await run();
    } catch (error) {
      const text = String((error as Error).message);
      if (attempt >= 6 || !/instance ?profile|instanceRole|role.*(not|cannot) be assumed|not authorized/i.test(text)) {
        throw error;
      }
      await sleep(5000);
    }
  }
}
