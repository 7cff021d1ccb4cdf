/**
 * Default IAM names that depend on the AWS account. The account id is asked for (through STS, by the caller's
 * `accountId` function) only when a default is actually needed, never at import or load time.
 * @module
 */
import type { Settings } from "./config_keys.ts";

/** The default execution role name (the one the AWS console creates). */
export const DEFAULT_EXECUTION_ROLE = "ecsTaskExecutionRole";
/** The default instance profile of EC2 compute environments (the one the AWS console creates). */
export const DEFAULT_INSTANCE_PROFILE = "ecsInstanceRole";

/**
 * The ARN partition of a region.
 * @param region A region name, or `undefined`.
 * @returns `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`.
 * @example
 * ```ts
 * import { partitionOf } from "./mod.ts";
 * console.log(partitionOf("cn-north-1")); // aws-cn
 * ```
 */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Options of `resolveRoleArns()`. */
export interface ResolveRoleOptions {
  /** Returns the current account id (e.g. STS GetCallerIdentity); called at most once, only when needed. */
  accountId: () => Promise<string>;
}

/** The role ARNs a job definition needs. */
export interface RoleArns {
  /** Role ECS uses to pull images and write logs. */
  executionRoleArn: string;
  /** Role the job's code runs as. */
  taskRoleArn: string;
}

/**
 * The execution and task role ARNs of job definitions: the configured ones, or
 * `arn:<partition>:iam::<account>:role/ecsTaskExecutionRole` for whichever is unset (the task role defaults to the
 * execution role, as in the Python ezbatch).
 * @param settings The configured roles and region.
 * @param options `accountId`, called at most once and only when a default is needed.
 * @returns Both ARNs.
 * @throws {TypeError} When `accountId` gives something other than 12 digits; whatever `accountId` throws.
 * @example
 * ```ts
 * import { resolveRoleArns } from "./mod.ts";
 * const roles = await resolveRoleArns({}, { accountId: () => Promise.resolve("123456789012") });
 * console.log(roles.executionRoleArn); // arn:aws:iam::123456789012:role/ecsTaskExecutionRole
 * ```
 */
export async function resolveRoleArns(
  settings: Pick<Settings, "executionRoleArn" | "taskRoleArn" | "region">,
  options: ResolveRoleOptions,
): Promise<RoleArns> {
  let fallback: string | undefined;
  const defaultArn = async () => {
    if (fallback === undefined) {
      const account = await options.accountId();
      if (!/^\d{12}$/.test(account)) {
        throw new TypeError(`Expected a 12-digit account id, got '${account}'`);
      }
      fallback = `arn:${partitionOf(settings.region)}:iam::${account}:role/${DEFAULT_EXECUTION_ROLE}`;
    }
    return fallback;
  };
  const executionRoleArn = settings.executionRoleArn ?? await defaultArn();
  const taskRoleArn = settings.taskRoleArn ?? settings.executionRoleArn ?? await defaultArn();
  return { executionRoleArn, taskRoleArn };
}

/**
 * The instance profile for EC2 compute environments: the configured `instanceRole`, else `ecsInstanceRole`.
 * A role ARN (`...:role/NAME`, as the Python ezbatch wrote by default) is turned into the instance-profile ARN of
 * the same name, because AWS Batch wants an instance profile there.
 * @param settings The configured `instanceRole`.
 * @returns An instance profile name or ARN.
 * @example
 * ```ts
 * import { instanceProfileOf } from "./mod.ts";
 * console.log(instanceProfileOf({ instanceRole: "arn:aws:iam::123456789012:role/ecsInstanceRole" }));
 * // arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
 * ```
 */
export function instanceProfileOf(settings: Pick<Settings, "instanceRole">): string {
  const value = settings.instanceRole ?? DEFAULT_INSTANCE_PROFILE;
  const m = /^(arn:aws[a-z-]*:iam::\d{12}:)role\/(?:.*\/)?([^/]+)$/.exec(value);
  return m ? `${m[1]}instance-profile/${m[2]}` : value;
}
