/**
 * A stateful fake of the IAM and EC2 parts of an AWS account, over aws-sdk-client-mock, answering with the shapes
 * of tests/support/aws_shapes.ts (IAM's NoSuchEntity for a missing role, a default VPC with two default subnets).
 * Batch is a MemoryBackend.
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateSecurityGroupCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachRolePolicyCommand,
  EC2Client,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  mockClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "../../support/deps.ts";
import { ec2SecurityGroup, iamInstanceProfile, iamRole } from "../../support/aws_shapes.ts";
import type { SetupClients } from "../../../core/setup/_cloud.ts";
import type { Backend } from "../../../core/backend.ts";
import { MemoryBackend } from "../../support/memory_backend.ts";

type Tag = { Key: string; Value: string };

/** The account's state, open for assertions. */
export class FakeAccount {
  roles = new Map<
    string,
    { path: string; tags: Tag[]; policies: string[]; service: string; inline?: Map<string, unknown> }
  >();
  profiles = new Map<string, { path: string; tags: Tag[]; roles: string[] }>();
  groups = new Map<string, { name: string; vpcId: string; tags: Tag[] }>();
  /** IAM and EC2 operations refused with AccessDenied / UnauthorizedOperation. */
  denied = new Set<string>();
  calls: string[] = [];
  iam = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  ec2 = new EC2Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  defaultVpc: string | undefined = "vpc-0default";

  constructor() {
    const iam = mockClient(this.iam);
    const ec2 = mockClient(this.ec2);
    const gate = (op: string, service: "iam" | "ec2") => {
      this.calls.push(op);
      if (this.denied.has(op)) {
        const e = new Error(`User is not authorized to perform: ${service}:${op}`);
        e.name = service === "iam" ? "AccessDenied" : "UnauthorizedOperation";
        throw e;
      }
    };
    const noSuch = (what: string) =>
      new NoSuchEntityException({ message: `The role with name ${what} cannot be found.`, $metadata: {} });
    const role = (name: string) => {
      const r = this.roles.get(name)!;
      return iamRole(name, r.path, r.tags);
    };
    iam.on(GetRoleCommand).callsFake((i) => {
      gate("GetRole", "iam");
      if (!this.roles.has(i.RoleName)) throw noSuch(i.RoleName);
      return { Role: role(i.RoleName) };
    });
    iam.on(CreateRoleCommand).callsFake((i) => {
      gate("CreateRole", "iam");
      const service = JSON.parse(i.AssumeRolePolicyDocument).Statement[0].Principal.Service;
      this.roles.set(i.RoleName, { path: i.Path ?? "/", tags: i.Tags ?? [], policies: [], service, inline: new Map() });
      const { Tags: _t, ...created } = role(i.RoleName); // CreateRole's answer carries no tags
      return { Role: created };
    });
    iam.on(AttachRolePolicyCommand).callsFake((i) => {
      gate("AttachRolePolicy", "iam");
      this.roles.get(i.RoleName)!.policies.push(i.PolicyArn);
      return {};
    });
    iam.on(ListAttachedRolePoliciesCommand).callsFake((i) => {
      gate("ListAttachedRolePolicies", "iam");
      const policies = this.roles.get(i.RoleName)?.policies ?? [];
      return {
        AttachedPolicies: policies.map((p) => ({ PolicyArn: p, PolicyName: p.split("/").pop() })),
        IsTruncated: false,
      };
    });
    iam.on(DetachRolePolicyCommand).callsFake((i) => {
      gate("DetachRolePolicy", "iam");
      const r = this.roles.get(i.RoleName)!;
      r.policies = r.policies.filter((p) => p !== i.PolicyArn);
      return {};
    });
    // Inline policies (API_PutRolePolicy.html: PolicyDocument is a JSON string; API_ListRolePolicies.html: names only;
    // API_DeleteRolePolicy.html).
    iam.on(PutRolePolicyCommand).callsFake((i) => {
      gate("PutRolePolicy", "iam");
      if (!this.roles.has(i.RoleName)) throw noSuch(i.RoleName);
      (this.roles.get(i.RoleName)!.inline ??= new Map()).set(i.PolicyName, JSON.parse(i.PolicyDocument));
      return {};
    });
    iam.on(ListRolePoliciesCommand).callsFake((i) => {
      gate("ListRolePolicies", "iam");
      if (!this.roles.has(i.RoleName)) throw noSuch(i.RoleName);
      return { PolicyNames: [...this.roles.get(i.RoleName)!.inline?.keys() ?? []], IsTruncated: false };
    });
    iam.on(DeleteRolePolicyCommand).callsFake((i) => {
      gate("DeleteRolePolicy", "iam");
      if (!this.roles.get(i.RoleName)?.inline?.delete(i.PolicyName)) throw noSuch(i.PolicyName);
      return {};
    });
    iam.on(DeleteRoleCommand).callsFake((i) => {
      gate("DeleteRole", "iam");
      const r = this.roles.get(i.RoleName)!;
      // IAM's DeleteConflict (API_DeleteRole.html): a role must lose its managed and inline policies first.
      if (r.policies.length || r.inline?.size) throw new Error("DeleteConflict: detach and delete policies first");
      this.roles.delete(i.RoleName);
      return {};
    });
    iam.on(ListRolesCommand).callsFake((i) => {
      gate("ListRoles", "iam");
      const names = [...this.roles].filter(([, r]) => r.path.startsWith(i.PathPrefix ?? "/")).map(([n]) => n);
      // ListRoles leaves Tags out (API_ListRoles.html): callers must GetRole for them.
      return { Roles: names.map((n) => ({ ...role(n), Tags: undefined })), IsTruncated: false };
    });
    const profile = (name: string) => {
      const p = this.profiles.get(name)!;
      return iamInstanceProfile(name, p.path, p.roles.map(role), p.tags);
    };
    iam.on(GetInstanceProfileCommand).callsFake((i) => {
      gate("GetInstanceProfile", "iam");
      if (!this.profiles.has(i.InstanceProfileName)) throw noSuch(i.InstanceProfileName);
      return { InstanceProfile: profile(i.InstanceProfileName) };
    });
    iam.on(CreateInstanceProfileCommand).callsFake((i) => {
      gate("CreateInstanceProfile", "iam");
      this.profiles.set(i.InstanceProfileName, { path: i.Path ?? "/", tags: i.Tags ?? [], roles: [] });
      return { InstanceProfile: profile(i.InstanceProfileName) };
    });
    iam.on(AddRoleToInstanceProfileCommand).callsFake((i) => {
      gate("AddRoleToInstanceProfile", "iam");
      this.profiles.get(i.InstanceProfileName)!.roles.push(i.RoleName);
      return {};
    });
    iam.on(RemoveRoleFromInstanceProfileCommand).callsFake((i) => {
      gate("RemoveRoleFromInstanceProfile", "iam");
      const p = this.profiles.get(i.InstanceProfileName)!;
      p.roles = p.roles.filter((r) => r !== i.RoleName);
      return {};
    });
    iam.on(DeleteInstanceProfileCommand).callsFake((i) => {
      gate("DeleteInstanceProfile", "iam");
      this.profiles.delete(i.InstanceProfileName);
      return {};
    });
    iam.on(ListInstanceProfilesCommand).callsFake((i) => {
      gate("ListInstanceProfiles", "iam");
      const names = [...this.profiles].filter(([, p]) => p.path.startsWith(i.PathPrefix ?? "/")).map(([n]) => n);
      return { InstanceProfiles: names.map(profile), IsTruncated: false };
    });
    ec2.on(DescribeVpcsCommand).callsFake(() => {
      gate("DescribeVpcs", "ec2");
      return { Vpcs: this.defaultVpc ? [{ VpcId: this.defaultVpc, IsDefault: true, CidrBlock: "172.31.0.0/16" }] : [] };
    });
    ec2.on(DescribeSubnetsCommand).callsFake(() => {
      gate("DescribeSubnets", "ec2");
      return {
        Subnets: [
          { SubnetId: "subnet-0b", VpcId: this.defaultVpc, DefaultForAz: true, MapPublicIpOnLaunch: true },
          { SubnetId: "subnet-0a", VpcId: this.defaultVpc, DefaultForAz: true, MapPublicIpOnLaunch: true },
        ],
      };
    });
    ec2.on(DescribeSecurityGroupsCommand).callsFake((i) => {
      gate("DescribeSecurityGroups", "ec2");
      const f = Object.fromEntries(
        (i.Filters ?? []).map((x: { Name?: string; Values?: string[] }) => [x.Name, x.Values?.[0]]),
      );
      const hits = [...this.groups].filter(([, g]) =>
        (!f["group-name"] || g.name === f["group-name"]) && (!f["vpc-id"] || g.vpcId === f["vpc-id"]) &&
        (!f["tag:ezbatch:setup"] || g.tags.some((t) => t.Key === "ezbatch:setup" && t.Value === f["tag:ezbatch:setup"]))
      );
      return { SecurityGroups: hits.map(([id, g]) => ec2SecurityGroup(id, g.name, g.vpcId, g.tags)) };
    });
    ec2.on(CreateSecurityGroupCommand).callsFake((i) => {
      gate("CreateSecurityGroup", "ec2");
      const id = `sg-0${this.groups.size + 1}`;
      this.groups.set(id, { name: i.GroupName, vpcId: i.VpcId, tags: i.TagSpecifications?.[0]?.Tags ?? [] });
      return { GroupId: id };
    });
    ec2.on(DeleteSecurityGroupCommand).callsFake((i) => {
      gate("DeleteSecurityGroup", "ec2");
      this.groups.delete(i.GroupId);
      return {};
    });
  }

  /** The clients setup uses. */
  clients(): SetupClients {
    return { iam: () => Promise.resolve(this.iam), ec2: () => Promise.resolve(this.ec2) };
  }
}

/** A MemoryBackend seen as an AWS backend whose clients are `account`'s IAM and EC2 (for the CLI and interactive faces). */
export function awsAccount(account: FakeAccount, batch: MemoryBackend = new MemoryBackend()): Backend {
  const clients = account.clients();
  return new Proxy(batch, {
    get(target, key) {
      if (key === "kind") return "aws";
      if (key === "clients") return clients;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as Backend;
}
