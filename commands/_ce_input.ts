/**
 * The request of `compute-environment create`, built from flags and settings by the AWS Batch rules: an instance
 * profile (not a role ARN), nothing EC2-only on Fargate, subnets and security groups required.
 * @module
 */
import type { ComputeEnvironment, ComputeEnvironmentInput } from "../core/backend_types.ts";
import { UsageError } from "../core/errors.ts";
import { checkName, type WaitFlags } from "./_infra.ts";
import type { CliContext } from "./context.ts";

/** Compute environment types. */
export const TYPES = ["FARGATE", "FARGATE_SPOT", "EC2", "SPOT"] as const;
/** EC2 and SPOT allocation strategies. */
export const STRATEGIES = [
  "BEST_FIT",
  "BEST_FIT_PROGRESSIVE",
  "SPOT_CAPACITY_OPTIMIZED",
  "SPOT_PRICE_CAPACITY_OPTIMIZED",
] as const;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\//;

/** Flags of `compute-environment create`. */
export interface CreateFlags extends WaitFlags {
  type: (typeof TYPES)[number];
  maxVcpus?: number;
  minVcpus?: number;
  subnets?: string[];
  securityGroups?: string[];
  instanceTypes?: string[];
  instanceRole?: string;
  serviceRole?: string;
  allocationStrategy?: (typeof STRATEGIES)[number];
  bidPercentage?: number;
  tag?: Record<string, string>;
  instanceTag?: Record<string, string>;
  disabled?: boolean;
}

/** Builds the CreateComputeEnvironment input from flags and settings, enforcing the AWS Batch rules. */
export async function computeEnvironmentInput(
  ctx: CliContext,
  name: string,
  flags: CreateFlags,
): Promise<ComputeEnvironmentInput> {
  checkName("Compute environment", name);
  const settings = await ctx.settings();
  const fargate = flags.type === "FARGATE" || flags.type === "FARGATE_SPOT";
  if (fargate) {
    const ec2Only: [unknown, string][] = [
      [flags.instanceTypes, "--instance-types"],
      [flags.instanceRole, "--instance-role"],
      [flags.allocationStrategy, "--allocation-strategy"],
      [flags.bidPercentage, "--bid-percentage"],
      [flags.instanceTag, "--instance-tag"],
      [flags.minVcpus, "--min-vcpus"],
    ];
    const given = ec2Only.filter(([v]) => v !== undefined).map(([, f]) => f);
    if (given.length) {
      throw new UsageError(`${given.join(", ")} apply to EC2 and SPOT environments only, not to ${flags.type}`);
    }
  }
  if (flags.bidPercentage !== undefined && flags.type !== "SPOT") {
    throw new UsageError(`--bid-percentage applies to SPOT environments only, not to ${flags.type}`);
  }
  const subnets = flags.subnets ?? settings.subnets ?? [];
  if (subnets.length === 0) {
    throw new UsageError("No subnets given: pass --subnets subnet-a,subnet-b or set 'subnets' in the config");
  }
  const securityGroupIds = flags.securityGroups ?? settings.securityGroupIds ?? [];
  if (securityGroupIds.length === 0) {
    throw new UsageError(
      "No security groups given: pass --security-groups sg-a or set 'securityGroupIds' in the config",
    );
  }
  const maxvCpus = flags.maxVcpus ?? settings.maxvCpus ?? 16;
  const resources: NonNullable<ComputeEnvironment["computeResources"]> = {
    type: flags.type,
    maxvCpus,
    subnets,
    securityGroupIds,
  };
  if (!fargate) {
    const instanceRole = flags.instanceRole ?? settings.instanceRole;
    if (!instanceRole) {
      throw new UsageError(
        `${flags.type} environments need an instance profile: pass --instance-role ecsInstanceRole or set ` +
          `'instanceRole' in the config`,
      );
    }
    if (ROLE_ARN.test(instanceRole)) {
      throw new UsageError(
        `Instance role '${instanceRole}' is a role ARN: give the instance profile instead (its name, or ` +
          `arn:aws:iam::<account>:instance-profile/<name>)`,
      );
    }
    resources.instanceRole = instanceRole;
    resources.instanceTypes = flags.instanceTypes ?? ["optimal"];
    resources.minvCpus = flags.minVcpus ?? 0;
    if (resources.minvCpus > maxvCpus) {
      throw new UsageError(`--min-vcpus ${resources.minvCpus} is more than --max-vcpus ${maxvCpus}`);
    }
    if (flags.allocationStrategy) resources.allocationStrategy = flags.allocationStrategy;
    if (flags.bidPercentage !== undefined) resources.bidPercentage = flags.bidPercentage;
    if (flags.instanceTag) resources.tags = flags.instanceTag;
  }
  const input: ComputeEnvironmentInput = {
    computeEnvironmentName: name,
    type: "MANAGED",
    state: flags.disabled ? "DISABLED" : "ENABLED",
    computeResources: resources,
  };
  const serviceRole = flags.serviceRole ?? settings.serviceRole;
  if (serviceRole) input.serviceRole = serviceRole;
  if (flags.tag) input.tags = flags.tag;
  return input;
}
