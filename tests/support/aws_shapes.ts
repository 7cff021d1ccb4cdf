/**
 * What AWS Batch answers, in one place: the response shapes the test doubles (MemoryBackend and the
 * aws-sdk-client-mock tests) return, each following a page of the AWS Batch API Reference
 * (https://docs.aws.amazon.com/batch/latest/APIReference/). AWS answers less neatly than our requests: it fills
 * lists we never sent, returns ARNs where we sent names, leaves `startedAt` off array parents and lists array
 * children next to ordinary jobs. Our fakes used to echo our requests back, which hid defects; these shapes do not.
 */
import type {
  ComputeEnvironment,
  ContainerProperties,
  JobDefinition,
  JobDefinitionInput,
  JobDetail,
  JobQueue,
  JobQueueInput,
  JobStatus,
  JobSummary,
} from "../../core/backend_types.ts";

/** The account and region of every ARN the fakes make. */
export const ACCOUNT = "123456789012";
/** The region of every ARN the fakes make. */
export const REGION = "us-east-1";

/** `arn:aws:batch:us-east-1:123456789012:<kind>/<name>` (kind: job-queue, compute-environment, job, ...). */
export function batchArn(kind: "job-queue" | "compute-environment" | "job-definition" | "job", name: string): string {
  return `arn:aws:batch:${REGION}:${ACCOUNT}:${kind}/${name}`;
}

/** The name at the end of an ARN, or the text itself. */
export function nameOfArn(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
}

/** The members AWS fills in a described `containerProperties` whatever was registered. */
export type AwsContainerProperties = ContainerProperties & {
  volumes: unknown[];
  environment: NonNullable<ContainerProperties["environment"]>;
  mountPoints: unknown[];
  ulimits: unknown[];
  secrets: NonNullable<ContainerProperties["secrets"]>;
};

/** A described job definition, with the members AWS adds. */
export type AwsJobDefinition = JobDefinition & {
  containerProperties: AwsContainerProperties;
  containerOrchestrationType: "ECS";
  parameters: Record<string, string>;
  tags: Record<string, string>;
  propagateTags: boolean;
};

/**
 * A registered definition as DescribeJobDefinitions returns it. Follows API_DescribeJobDefinitions.html (response
 * `jobDefinitions`), API_JobDefinition.html and API_ContainerProperties.html: `volumes`, `environment`,
 * `mountPoints`, `ulimits` and `secrets` come back as empty lists when none were registered, `parameters` and
 * `tags` as empty maps, `propagateTags` as false, `containerOrchestrationType` is `ECS`, and a Fargate definition
 * gets its `runtimePlatform`, `networkConfiguration` and `fargatePlatformConfiguration` defaults filled in.
 */
export function describedJobDefinition(
  input: JobDefinitionInput,
  revision: number,
  status: "ACTIVE" | "INACTIVE" = "ACTIVE",
): AwsJobDefinition {
  const sent = structuredClone(input);
  const fargate = sent.platformCapabilities.includes("FARGATE");
  const container: AwsContainerProperties = {
    volumes: [],
    mountPoints: [],
    ulimits: [],
    ...sent.containerProperties,
    environment: sent.containerProperties.environment ?? [],
    secrets: sent.containerProperties.secrets ?? [],
    ...(fargate
      ? {
        networkConfiguration: { assignPublicIp: "DISABLED", ...sent.containerProperties.networkConfiguration },
        fargatePlatformConfiguration: {
          platformVersion: "LATEST",
          ...sent.containerProperties.fargatePlatformConfiguration,
        },
        runtimePlatform: {
          operatingSystemFamily: "LINUX",
          cpuArchitecture: "X86_64",
          ...sent.containerProperties.runtimePlatform,
        },
      }
      : {}),
  };
  return {
    ...sent,
    jobDefinitionArn: batchArn("job-definition", `${input.jobDefinitionName}:${revision}`),
    revision,
    status,
    containerProperties: container,
    parameters: sent.parameters ?? {},
    tags: sent.tags ?? {},
    propagateTags: sent.propagateTags ?? false,
    containerOrchestrationType: "ECS",
  };
}

/**
 * A job queue as DescribeJobQueues returns it. Follows API_JobQueueDetail.html and API_ComputeEnvironmentOrder.html:
 * `computeEnvironmentOrder[].computeEnvironment` is the environment's ARN, whatever CreateJobQueue was given.
 */
export function describedJobQueue(queue: JobQueueInput & Partial<JobQueue>): JobQueue {
  return {
    ...structuredClone(queue),
    jobQueueArn: queue.jobQueueArn ?? batchArn("job-queue", queue.jobQueueName),
    state: queue.state ?? "ENABLED", // CreateJobQueue's default
    status: queue.status ?? "VALID",
    computeEnvironmentOrder: queue.computeEnvironmentOrder.map((o) => ({
      order: o.order,
      computeEnvironment: o.computeEnvironment.startsWith("arn:")
        ? o.computeEnvironment
        : batchArn("compute-environment", o.computeEnvironment),
    })),
  };
}

/** A compute environment as DescribeComputeEnvironments returns it (API_ComputeEnvironmentDetail.html). */
export function describedComputeEnvironment(ce: ComputeEnvironment): ComputeEnvironment {
  return { type: "MANAGED", ...structuredClone(ce) };
}

const UNFINISHED_CHILD: readonly JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"];

/**
 * An array parent as DescribeJobs returns it. Follows API_JobDetail.html and API_ArrayPropertiesDetail.html: a
 * parent is only SUBMITTED, PENDING, SUCCEEDED or FAILED, has no `startedAt` (it never runs itself), and carries
 * `arrayProperties.size` and `statusSummary` (children per state, every state present).
 */
export function describedArrayParent(parent: JobDetail, children: readonly JobDetail[]): JobDetail {
  const statusSummary = Object.fromEntries(
    ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"].map((s) => [s, 0]),
  ) as Record<JobStatus, number>;
  for (const child of children) statusSummary[child.status]++;
  const { startedAt: _never, ...rest } = structuredClone(parent);
  return {
    ...rest,
    status: UNFINISHED_CHILD.includes(parent.status) && parent.status !== "SUBMITTED" ? "PENDING" : parent.status,
    arrayProperties: { size: parent.arrayProperties?.size ?? children.length, statusSummary },
  };
}

/** The id AWS gives the child `index` of array job `parentId` (API_ArrayPropertiesDetail.html). */
export function childJobId(parentId: string, index: number): string {
  return `${parentId}:${index}`;
}

/**
 * A ListJobs entry. Follows API_ListJobs.html and API_JobSummary.html: only the summary members (no tags, no
 * environment, no dependencies), `jobDefinition` as an ARN, and a queue listing includes array children
 * (`<parentId>:<index>`, with `arrayProperties.index`) as well as their parents (`arrayProperties.size`).
 */
export function listedJob(job: JobDetail): JobSummary {
  const summary: JobSummary = { jobId: job.jobId, jobName: job.jobName, status: job.status };
  if (job.statusReason !== undefined) summary.statusReason = job.statusReason;
  if (job.createdAt !== undefined) summary.createdAt = job.createdAt;
  if (job.startedAt !== undefined) summary.startedAt = job.startedAt;
  if (job.stoppedAt !== undefined) summary.stoppedAt = job.stoppedAt;
  if (job.arrayProperties?.index !== undefined) summary.arrayProperties = { index: job.arrayProperties.index };
  else if (job.arrayProperties?.size !== undefined) summary.arrayProperties = { size: job.arrayProperties.size };
  if (job.container?.exitCode !== undefined || job.container?.reason !== undefined) {
    summary.container = {
      ...(job.container.exitCode !== undefined ? { exitCode: job.container.exitCode } : {}),
      ...(job.container.reason !== undefined ? { reason: job.container.reason } : {}),
    };
  }
  summary.jobDefinition = job.jobDefinition.startsWith("arn:")
    ? job.jobDefinition
    : batchArn("job-definition", job.jobDefinition);
  return summary;
}

/**
 * An IAM role as GetRole and CreateRole return it (IAM API Reference, API_Role.html): `Path`, `RoleName`, `RoleId`,
 * `Arn` (with the path), `CreateDate`, the URL-encoded trust policy, and `Tags` (GetRole only).
 */
export function iamRole(name: string, path: string, tags: { Key: string; Value: string }[] = [], trust = "{}") {
  return {
    Path: path,
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 17).padEnd(17, "X")}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
    CreateDate: new Date("2026-01-01T00:00:00Z"),
    AssumeRolePolicyDocument: encodeURIComponent(trust),
    Tags: tags,
  };
}

/** An instance profile as GetInstanceProfile returns it (API_InstanceProfile.html): its roles as full Role objects. */
export function iamInstanceProfile(
  name: string,
  path: string,
  roles: ReturnType<typeof iamRole>[],
  tags: { Key: string; Value: string }[] = [],
) {
  return {
    Path: path,
    InstanceProfileName: name,
    InstanceProfileId: `AIPA${name.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 17).padEnd(17, "X")}`,
    Arn: `arn:aws:iam::${ACCOUNT}:instance-profile${path}${name}`,
    CreateDate: new Date("2026-01-01T00:00:00Z"),
    Roles: roles,
    Tags: tags,
  };
}

/**
 * A security group as DescribeSecurityGroups returns it (EC2 API Reference, API_SecurityGroup.html): a new group
 * has no inbound rule and one outbound rule allowing all traffic to 0.0.0.0/0.
 */
export function ec2SecurityGroup(id: string, name: string, vpcId: string, tags: { Key: string; Value: string }[] = []) {
  return {
    GroupId: id,
    GroupName: name,
    Description: name,
    VpcId: vpcId,
    OwnerId: ACCOUNT,
    IpPermissions: [],
    IpPermissionsEgress: [{
      IpProtocol: "-1",
      IpRanges: [{ CidrIp: "0.0.0.0/0" }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    }],
    Tags: tags,
  };
}

/** `arn:aws:batch:us-east-1:123456789012:scheduling-policy/<name>` (API_SchedulingPolicyDetail.html's example). */
export function schedulingPolicyArn(name: string): string {
  return `arn:aws:batch:${REGION}:${ACCOUNT}:scheduling-policy/${name}`;
}

/** What CreateSchedulingPolicy answers (API_CreateSchedulingPolicy.html, Response Syntax): the name and the ARN. */
export function createdSchedulingPolicy(name: string) {
  return { name, arn: schedulingPolicyArn(name) };
}

/**
 * One page of ListSchedulingPolicies (API_ListSchedulingPolicies.html): `schedulingPolicies` holds only
 * `{ arn }` (SchedulingPolicyListingDetail), and `nextToken` is absent on the last page.
 */
export function listedSchedulingPolicies(names: string[], nextToken?: string) {
  return {
    schedulingPolicies: names.map((name) => ({ arn: schedulingPolicyArn(name) })),
    ...(nextToken ? { nextToken } : {}),
  };
}

/**
 * A policy as DescribeSchedulingPolicies returns it (API_DescribeSchedulingPolicies.html, SchedulingPolicyDetail):
 * `name`, `arn`, `fairsharePolicy` (`shareDecaySeconds`, `computeReservation`, `shareDistribution` of
 * `{ shareIdentifier, weightFactor }`) and `tags`. AWS leaves out what was never set: a policy created without
 * shares has a `fairsharePolicy` without `shareDistribution`.
 */
export function describedSchedulingPolicy(
  name: string,
  fairshare: {
    shareDecaySeconds?: number;
    computeReservation?: number;
    shareDistribution?: { shareIdentifier: string; weightFactor?: number }[];
  } = {},
  tags: Record<string, string> = {},
) {
  return { name, arn: schedulingPolicyArn(name), fairsharePolicy: fairshare, tags };
}
