/**
 * Creating a compute environment, decided once for every face by the AWS Batch rules: the settings' defaults
 * (subnets, security groups, max vCPUs, service role, instance profile), an instance profile (not a role ARN),
 * nothing EC2-only on Fargate, at least one subnet and one security group.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { ComputeEnvironment, ComputeEnvironmentInput } from "../backend_types.ts";
import { UsageError } from "../errors.ts";
import { isValidResourceName } from "../names.ts";
import type { ActionSettings } from "./roles.ts";

/** Compute environment types. */
export const CE_TYPES = ["FARGATE", "FARGATE_SPOT", "EC2", "SPOT"] as const;
/** A compute environment type. */
export type CeType = (typeof CE_TYPES)[number];
/** EC2 and SPOT allocation strategies. */
export const STRATEGIES = [
  "BEST_FIT",
  "BEST_FIT_PROGRESSIVE",
  "SPOT_CAPACITY_OPTIMIZED",
  "SPOT_PRICE_CAPACITY_OPTIMIZED",
] as const;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\//;

/** True for FARGATE and FARGATE_SPOT. */
export function isFargateType(type: string | undefined): boolean {
  return type === "FARGATE" || type === "FARGATE_SPOT";
}

/** What a person asked for; absent values come from the settings or AWS Batch's defaults. */
export interface ComputeEnvironmentRequest {
  /** The new environment's name. */
  name: string;
  /** FARGATE (default), FARGATE_SPOT, EC2 or SPOT. */
  type?: CeType;
  /** Default: the settings' maxvCpus, else 16. */
  maxVcpus?: number;
  /** EC2 and SPOT; default 0. */
  minVcpus?: number;
  /** Default: the settings' subnets. */
  subnets?: string[];
  /** Default: the settings' securityGroupIds. */
  securityGroups?: string[];
  /** EC2 and SPOT; default `optimal`. */
  instanceTypes?: string[];
  /** EC2 and SPOT: an instance profile; default the settings' instanceRole. */
  instanceRole?: string;
  /** Default: the settings' serviceRole, else the service-linked role. */
  serviceRole?: string;
  /** EC2 and SPOT. */
  allocationStrategy?: (typeof STRATEGIES)[number];
  /** SPOT only. */
  bidPercentage?: number;
  /** Tags of the environment. */
  tags?: Record<string, string>;
  /** Tags of the instances it launches (EC2 and SPOT). */
  instanceTags?: Record<string, string>;
  /** Create it DISABLED. */
  disabled?: boolean;
}

/** Names of the request fields as the CLI spells them, for messages that every face shows. */
const FLAG: Record<string, string> = {
  instanceTypes: "--instance-types",
  instanceRole: "--instance-role",
  allocationStrategy: "--allocation-strategy",
  bidPercentage: "--bid-percentage",
  instanceTags: "--instance-tag",
  minVcpus: "--min-vcpus",
};

/**
 * The CreateComputeEnvironment input of a request under `settings`.
 * @throws {UsageError} For anything AWS Batch would refuse, saying what would be valid.
 */
export function computeEnvironmentInput(
  request: ComputeEnvironmentRequest,
  settings: ActionSettings,
): ComputeEnvironmentInput {
  const { name } = request;
  if (!isValidResourceName(name)) {
    throw new UsageError(`Compute environment name '${name}' is not valid: use 1 to 128 letters, digits, '-' and '_'`);
  }
  const type = request.type ?? "FARGATE";
  const fargate = isFargateType(type);
  if (fargate) {
    const given = Object.keys(FLAG).filter((k) => request[k as keyof ComputeEnvironmentRequest] !== undefined);
    if (given.length) {
      throw new UsageError(
        `${given.map((k) => FLAG[k]).join(", ")} apply to EC2 and SPOT environments only, not to ${type}`,
      );
    }
  }
  if (request.bidPercentage !== undefined && type !== "SPOT") {
    throw new UsageError(`--bid-percentage applies to SPOT environments only, not to ${type}`);
  }
  const subnets = request.subnets ?? settings.subnets ?? [];
  if (subnets.length === 0) {
    throw new UsageError("No subnets given: pass --subnets subnet-a,subnet-b or set 'subnets' in the config");
  }
  const securityGroupIds = request.securityGroups ?? settings.securityGroupIds ?? [];
  if (securityGroupIds.length === 0) {
    throw new UsageError(
      "No security groups given: AWS Batch needs at least one; pass --security-groups sg-a or set " +
        "'securityGroupIds' in the config",
    );
  }
  const maxvCpus = request.maxVcpus ?? settings.maxvCpus ?? 16;
  const resources: NonNullable<ComputeEnvironment["computeResources"]> = { type, maxvCpus, subnets, securityGroupIds };
  if (!fargate) ec2Resources(resources, request, settings);
  const input: ComputeEnvironmentInput = {
    computeEnvironmentName: name,
    type: "MANAGED",
    state: request.disabled ? "DISABLED" : "ENABLED",
    computeResources: resources,
  };
  const serviceRole = request.serviceRole ?? settings.serviceRole;
  if (serviceRole) input.serviceRole = serviceRole;
  if (request.tags) input.tags = request.tags;
  return input;
}

function ec2Resources(
  resources: NonNullable<ComputeEnvironment["computeResources"]>,
  request: ComputeEnvironmentRequest,
  settings: ActionSettings,
): void {
  const instanceRole = request.instanceRole ?? settings.instanceRole;
  if (!instanceRole) {
    throw new UsageError(
      `${resources.type} environments need an instance profile: pass --instance-role ecsInstanceRole or set ` +
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
  resources.instanceTypes = request.instanceTypes ?? ["optimal"];
  resources.minvCpus = request.minVcpus ?? 0;
  if (resources.minvCpus > resources.maxvCpus) {
    throw new UsageError(`--min-vcpus ${resources.minvCpus} is more than --max-vcpus ${resources.maxvCpus}`);
  }
  if (request.allocationStrategy) resources.allocationStrategy = request.allocationStrategy;
  if (request.bidPercentage !== undefined) resources.bidPercentage = request.bidPercentage;
  if (request.instanceTags) resources.tags = request.instanceTags;
}

/**
 * Creates a compute environment as `request` and the settings say (the caller waits for it to become VALID).
 * @returns The input sent, its ARN, and a message for people.
 * @throws {UsageError} Before any call, for a request AWS Batch would refuse.
 */
export async function createComputeEnvironment(
  backend: Backend,
  request: ComputeEnvironmentRequest,
  options: { settings: ActionSettings; signal?: AbortSignal },
): Promise<{ input: ComputeEnvironmentInput; arn: string; message: string }> {
  const input = computeEnvironmentInput(request, options.settings);
  const { arn } = await backend.createComputeEnvironment(input, { signal: options.signal });
  return { input, arn, message: `Created compute environment '${request.name}'.` };
}
