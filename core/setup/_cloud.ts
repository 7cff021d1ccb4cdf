/**
 * The IAM and EC2 calls of `ezbatch setup`, through the SDK's clients (loaded lazily). Private to core/setup/.
 * Every failure becomes an `AwsCallError` naming service and operation; an access denial names the IAM action.
 * @module
 */
import type { EC2Client, IAMClient } from "../deps.ts";
import { loadEc2Sdk, loadIamSdk } from "../deps.ts";
import { callAws, errorCodeOf } from "../aws/errors.ts";
import { AwsCallError, EzBatchError } from "../errors.ts";

/** The tag every resource setup creates carries: destroy removes only what has it. */
export const SETUP_TAG = { key: "ezbatch:setup", value: "true" } as const;
/** IAM path of setup's roles and instance profile (so destroy can list them). */
export const SETUP_PATH = "/ezbatch/";

/** The clients setup talks to. */
export interface SetupClients {
  /** IAM. */
  iam(): Promise<IAMClient>;
  /** EC2. */
  ec2(): Promise<EC2Client>;
}

const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess)$/;

/** An access denial, worded as the permission it lacks (e.g. `iam:CreateRole`). */
export function permissionError(error: unknown, service: string, operation: string): Error | undefined {
  const code = error instanceof AwsCallError ? error.code : errorCodeOf(error);
  if (!code || !DENIED.test(code)) return undefined;
  return new EzBatchError(
    `ezbatch setup lacks the permission ${service}:${operation}. Ask an administrator to grant it (or run setup ` +
      `with credentials that have it); nothing after this step was created, and running setup again resumes`,
    { cause: error },
  );
}

async function call<T>(service: "iam" | "ec2", operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await callAws(service === "iam" ? "IAM" : "EC2", operation, run);
  } catch (error) {
    throw permissionError(error, service, operation) ?? error;
  }
}

/** Whether an IAM error says the entity does not exist (the SDK names it NoSuchEntityException; the wire, NoSuchEntity). */
function missing(error: unknown): boolean {
  const code = error instanceof AwsCallError ? error.code : errorCodeOf(error);
  return code === "NoSuchEntity" || code === "NoSuchEntityException";
}

/** An IAM role's ARN and tags, or undefined when there is none of that name. */
export async function getRole(c: SetupClients, name: string) {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  try {
    const out = await call("iam", "GetRole", () => iam.send(new sdk.GetRoleCommand({ RoleName: name })));
    return { arn: out.Role?.Arn ?? "", tags: out.Role?.Tags ?? [] };
  } catch (error) {
    if (missing(error) || missing((error as Error).cause)) return undefined;
    throw error;
  }
}

/**
 * Creates a role trusted by `service`, tagged and under setup's path, attaches `policies` (ARNs) and puts `inline`
 * policies (PutRolePolicy).
 */
export async function createRole(
  c: SetupClients,
  name: string,
  service: string,
  policies: string[],
  inline: { name: string; document: unknown }[] = [],
) {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
  const out = await call("iam", "CreateRole", () =>
    iam.send(
      new sdk.CreateRoleCommand({
        RoleName: name,
        Path: SETUP_PATH,
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: "Created by ezbatch setup",
        Tags: [{ Key: SETUP_TAG.key, Value: SETUP_TAG.value }],
      }),
    ));
  for (const PolicyArn of policies) {
    await call(
      "iam",
      "AttachRolePolicy",
      () => iam.send(new sdk.AttachRolePolicyCommand({ RoleName: name, PolicyArn })),
    );
  }
  for (const p of inline) {
    const PolicyDocument = JSON.stringify(p.document);
    await call(
      "iam",
      "PutRolePolicy",
      () => iam.send(new sdk.PutRolePolicyCommand({ RoleName: name, PolicyName: p.name, PolicyDocument })),
    );
  }
  return out.Role?.Arn ?? "";
}

/** An instance profile's ARN, tags and roles, or undefined. */
export async function getInstanceProfile(c: SetupClients, name: string) {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  try {
    const out = await call(
      "iam",
      "GetInstanceProfile",
      () => iam.send(new sdk.GetInstanceProfileCommand({ InstanceProfileName: name })),
    );
    const p = out.InstanceProfile;
    return { arn: p?.Arn ?? "", tags: p?.Tags ?? [], roles: (p?.Roles ?? []).map((r) => r.RoleName ?? "") };
  } catch (error) {
    if (missing(error) || missing((error as Error).cause)) return undefined;
    throw error;
  }
}

/** Creates a tagged instance profile holding `role`. */
export async function createInstanceProfile(c: SetupClients, name: string, role: string): Promise<string> {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  const out = await call("iam", "CreateInstanceProfile", () =>
    iam.send(
      new sdk.CreateInstanceProfileCommand({
        InstanceProfileName: name,
        Path: SETUP_PATH,
        Tags: [{ Key: SETUP_TAG.key, Value: SETUP_TAG.value }],
      }),
    ));
  await call(
    "iam",
    "AddRoleToInstanceProfile",
    () => iam.send(new sdk.AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: role })),
  );
  return out.InstanceProfile?.Arn ?? "";
}

/** The roles and instance profiles under setup's path. */
export async function listSetupIam(c: SetupClients) {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  const roles: string[] = [];
  const profiles: string[] = [];
  let marker: string | undefined;
  do {
    const out = await call(
      "iam",
      "ListRoles",
      () => iam.send(new sdk.ListRolesCommand({ PathPrefix: SETUP_PATH, ...(marker ? { Marker: marker } : {}) })),
    );
    roles.push(...(out.Roles ?? []).map((r) => r.RoleName ?? ""));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  do {
    const out = await call(
      "iam",
      "ListInstanceProfiles",
      () =>
        iam.send(
          new sdk.ListInstanceProfilesCommand({ PathPrefix: SETUP_PATH, ...(marker ? { Marker: marker } : {}) }),
        ),
    );
    profiles.push(...(out.InstanceProfiles ?? []).map((p) => p.InstanceProfileName ?? ""));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return { roles: roles.filter(Boolean), profiles: profiles.filter(Boolean) };
}

/** Deletes an instance profile after taking its roles out. */
export async function deleteInstanceProfile(c: SetupClients, name: string, roles: string[]): Promise<void> {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  for (const RoleName of roles) {
    await call(
      "iam",
      "RemoveRoleFromInstanceProfile",
      () => iam.send(new sdk.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName })),
    );
  }
  await call(
    "iam",
    "DeleteInstanceProfile",
    () => iam.send(new sdk.DeleteInstanceProfileCommand({ InstanceProfileName: name })),
  );
}

/** Deletes a role after detaching its managed policies and deleting its inline ones (IAM refuses otherwise). */
export async function deleteRole(c: SetupClients, name: string): Promise<void> {
  const [iam, sdk] = await Promise.all([c.iam(), loadIamSdk()]);
  const inline = await call(
    "iam",
    "ListRolePolicies",
    () => iam.send(new sdk.ListRolePoliciesCommand({ RoleName: name })),
  );
  for (const PolicyName of inline.PolicyNames ?? []) {
    await call(
      "iam",
      "DeleteRolePolicy",
      () => iam.send(new sdk.DeleteRolePolicyCommand({ RoleName: name, PolicyName })),
    );
  }
  const attached = await call(
    "iam",
    "ListAttachedRolePolicies",
    () => iam.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: name })),
  );
  for (const p of attached.AttachedPolicies ?? []) {
    await call(
      "iam",
      "DetachRolePolicy",
      () => iam.send(new sdk.DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn })),
    );
  }
  await call("iam", "DeleteRole", () => iam.send(new sdk.DeleteRoleCommand({ RoleName: name })));
}

/** The default VPC and its default subnets, or undefined when the account has no default VPC. */
export async function defaultNetwork(c: SetupClients): Promise<{ vpcId: string; subnets: string[] } | undefined> {
  const [ec2, sdk] = await Promise.all([c.ec2(), loadEc2Sdk()]);
  const vpcs = await call(
    "ec2",
    "DescribeVpcs",
    () => ec2.send(new sdk.DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] })),
  );
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId) return undefined;
  const subnets = await call("ec2", "DescribeSubnets", () =>
    ec2.send(
      new sdk.DescribeSubnetsCommand({
        Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "default-for-az", Values: ["true"] }],
      }),
    ));
  return { vpcId, subnets: (subnets.Subnets ?? []).map((s) => s.SubnetId ?? "").filter(Boolean).sort() };
}

/** Setup's security groups: by name in `vpcId`, or (no VPC given) every one with setup's tag. */
export async function findSecurityGroups(c: SetupClients, query: { vpcId: string; name: string } | "tagged") {
  const [ec2, sdk] = await Promise.all([c.ec2(), loadEc2Sdk()]);
  const Filters = query === "tagged"
    ? [{ Name: `tag:${SETUP_TAG.key}`, Values: [SETUP_TAG.value] }]
    : [{ Name: "vpc-id", Values: [query.vpcId] }, { Name: "group-name", Values: [query.name] }];
  const out = await call(
    "ec2",
    "DescribeSecurityGroups",
    () => ec2.send(new sdk.DescribeSecurityGroupsCommand({ Filters })),
  );
  return (out.SecurityGroups ?? []).map((g) => ({
    id: g.GroupId ?? "",
    name: g.GroupName ?? "",
    tagged: (g.Tags ?? []).some((t) => t.Key === SETUP_TAG.key && t.Value === SETUP_TAG.value),
  }));
}

/**
 * Creates a tagged security group in `vpcId`. A new group has no inbound rule and one outbound rule that allows
 * everything (EC2 CreateSecurityGroup): egress only, which is what Batch jobs need to pull images and reach AWS.
 */
export async function createSecurityGroup(c: SetupClients, vpcId: string, name: string): Promise<string> {
  const [ec2, sdk] = await Promise.all([c.ec2(), loadEc2Sdk()]);
  const out = await call("ec2", "CreateSecurityGroup", () =>
    ec2.send(
      new sdk.CreateSecurityGroupCommand({
        GroupName: name,
        Description: "ezbatch jobs: outbound only (created by ezbatch setup)",
        VpcId: vpcId,
        TagSpecifications: [{
          ResourceType: "security-group",
          Tags: [{ Key: SETUP_TAG.key, Value: SETUP_TAG.value }, { Key: "Name", Value: name }],
        }],
      }),
    ));
  return out.GroupId ?? "";
}

/** Deletes a security group. */
export async function deleteSecurityGroup(c: SetupClients, id: string): Promise<void> {
  const [ec2, sdk] = await Promise.all([c.ec2(), loadEc2Sdk()]);
  await call("ec2", "DeleteSecurityGroup", () => ec2.send(new sdk.DeleteSecurityGroupCommand({ GroupId: id })));
}
