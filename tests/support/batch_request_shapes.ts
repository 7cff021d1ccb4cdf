/**
 * The members of the AWS Batch request shapes that issue 17's job features use, as the AWS Batch API Reference
 * lists them (https://docs.aws.amazon.com/batch/latest/APIReference/API_<Shape>.html, "Request Syntax" of
 * RegisterJobDefinition and SubmitJob, "Contents" of the others), with the enums and required members those pages
 * give. `shapeErrors()` checks a request against them: a member AWS does not know, a missing required one, a value
 * outside an enum or of the wrong kind, each named by its path.
 */

type Member = string | { shape: string } | { list: string } | "string" | "number" | "boolean" | "map" | string[];
type Shape = { members: Record<string, Member>; required?: string[] };

const ENABLED = ["ENABLED", "DISABLED"];
const strings = "strings";

/** Shape name -> members (a member is "string"/"number"/"boolean"/"map"/"strings", an enum, a shape or a list). */
export const BATCH_SHAPES: Record<string, Shape> = {
  // API_RegisterJobDefinition.html, Request Syntax.
  RegisterJobDefinition: {
    required: ["jobDefinitionName", "type"],
    members: {
      jobDefinitionName: "string",
      type: ["container", "multinode"],
      parameters: "map",
      schedulingPriority: "number",
      containerProperties: { shape: "ContainerProperties" },
      nodeProperties: { shape: "NodeProperties" },
      retryStrategy: { shape: "RetryStrategy" },
      propagateTags: "boolean",
      timeout: { shape: "JobTimeout" },
      tags: "map",
      platformCapabilities: strings,
      eksProperties: "map",
      ecsProperties: "map",
      consumableResourceProperties: { shape: "ConsumableResourceProperties" },
    },
  },
  // API_ContainerProperties.html.
  ContainerProperties: {
    members: {
      image: "string",
      vcpus: "number",
      memory: "number",
      command: strings,
      jobRoleArn: "string",
      executionRoleArn: "string",
      volumes: { list: "Volume" },
      environment: { list: "KeyValuePair" },
      mountPoints: { list: "MountPoint" },
      readonlyRootFilesystem: "boolean",
      privileged: "boolean",
      ulimits: { list: "Ulimit" },
      user: "string",
      instanceType: "string",
      resourceRequirements: { list: "ResourceRequirement" },
      linuxParameters: { shape: "LinuxParameters" },
      logConfiguration: "map",
      secrets: { list: "Secret" },
      networkConfiguration: { shape: "NetworkConfiguration" },
      fargatePlatformConfiguration: { shape: "FargatePlatformConfiguration" },
      enableExecuteCommand: "boolean",
      ephemeralStorage: { shape: "EphemeralStorage" },
      runtimePlatform: { shape: "RuntimePlatform" },
      repositoryCredentials: "map",
    },
  },
  // API_Volume.html, API_Host.html, API_EFSVolumeConfiguration.html, API_EFSAuthorizationConfig.html.
  Volume: { members: { host: { shape: "Host" }, name: "string", efsVolumeConfiguration: { shape: "EFSVolume" } } },
  Host: { members: { sourcePath: "string" } },
  EFSVolume: {
    required: ["fileSystemId"],
    members: {
      fileSystemId: "string",
      rootDirectory: "string",
      transitEncryption: ENABLED,
      transitEncryptionPort: "number",
      authorizationConfig: { shape: "EFSAuthorizationConfig" },
    },
  },
  EFSAuthorizationConfig: { members: { accessPointId: "string", iam: ENABLED } },
  // API_MountPoint.html.
  MountPoint: { members: { containerPath: "string", readOnly: "boolean", sourceVolume: "string" } },
  // API_LinuxParameters.html.
  LinuxParameters: {
    members: {
      devices: "map",
      initProcessEnabled: "boolean",
      sharedMemorySize: "number",
      tmpfs: "map",
      maxSwap: "number",
      swappiness: "number",
    },
  },
  // API_Ulimit.html: all three required.
  Ulimit: {
    required: ["hardLimit", "name", "softLimit"],
    members: { hardLimit: "number", name: "string", softLimit: "number" },
  },
  // API_RuntimePlatform.html.
  RuntimePlatform: {
    members: {
      cpuArchitecture: ["X86_64", "ARM64"],
      operatingSystemFamily: [
        "LINUX",
        "WINDOWS_SERVER_2019_CORE",
        "WINDOWS_SERVER_2019_FULL",
        "WINDOWS_SERVER_2022_CORE",
        "WINDOWS_SERVER_2022_FULL",
      ],
    },
  },
  KeyValuePair: { members: { name: "string", value: "string" } },
  Secret: { required: ["name", "valueFrom"], members: { name: "string", valueFrom: "string" } },
  ResourceRequirement: { required: ["type", "value"], members: { type: ["GPU", "VCPU", "MEMORY"], value: "string" } },
  NetworkConfiguration: { members: { assignPublicIp: ENABLED } },
  FargatePlatformConfiguration: { members: { platformVersion: "string" } },
  EphemeralStorage: { required: ["sizeInGiB"], members: { sizeInGiB: "number" } },
  RetryStrategy: { members: { attempts: "number", evaluateOnExit: { list: "EvaluateOnExit" } } },
  EvaluateOnExit: {
    required: ["action"],
    members: { onStatusReason: "string", onReason: "string", onExitCode: "string", action: ["RETRY", "EXIT"] },
  },
  JobTimeout: { members: { attemptDurationSeconds: "number" } },
  // API_NodeProperties.html, API_NodeRangeProperty.html.
  NodeProperties: {
    required: ["numNodes", "mainNode", "nodeRangeProperties"],
    members: { numNodes: "number", mainNode: "number", nodeRangeProperties: { list: "NodeRangeProperty" } },
  },
  NodeRangeProperty: {
    required: ["targetNodes"],
    members: {
      targetNodes: "string",
      container: { shape: "ContainerProperties" },
      instanceTypes: strings,
      ecsProperties: "map",
      eksProperties: "map",
      consumableResourceProperties: { shape: "ConsumableResourceProperties" },
    },
  },
  // API_ConsumableResourceProperties.html, API_ConsumableResourceRequirement.html.
  ConsumableResourceProperties: { members: { consumableResourceList: { list: "ConsumableResourceRequirement" } } },
  ConsumableResourceRequirement: { members: { consumableResource: "string", quantity: "number" } },
  // API_SubmitJob.html, Request Syntax.
  SubmitJob: {
    required: ["jobName", "jobQueue", "jobDefinition"],
    members: {
      jobName: "string",
      jobQueue: "string",
      shareIdentifier: "string",
      schedulingPriorityOverride: "number",
      arrayProperties: { shape: "ArrayProperties" },
      dependsOn: { list: "JobDependency" },
      jobDefinition: "string",
      parameters: "map",
      containerOverrides: { shape: "ContainerOverrides" },
      nodeOverrides: { shape: "NodeOverrides" },
      retryStrategy: { shape: "RetryStrategy" },
      propagateTags: "boolean",
      timeout: { shape: "JobTimeout" },
      tags: "map",
      eksPropertiesOverride: "map",
      ecsPropertiesOverride: "map",
      consumableResourcePropertiesOverride: { shape: "ConsumableResourceProperties" },
    },
  },
  ArrayProperties: { members: { size: "number" } },
  JobDependency: { members: { jobId: "string", type: ["N_TO_N", "SEQUENTIAL"] } },
  // API_ContainerOverrides.html.
  ContainerOverrides: {
    members: {
      vcpus: "number",
      memory: "number",
      command: strings,
      instanceType: "string",
      environment: { list: "KeyValuePair" },
      resourceRequirements: { list: "ResourceRequirement" },
    },
  },
  // API_NodeOverrides.html, API_NodePropertyOverride.html.
  NodeOverrides: { members: { numNodes: "number", nodePropertyOverrides: { list: "NodePropertyOverride" } } },
  NodePropertyOverride: {
    required: ["targetNodes"],
    members: {
      targetNodes: "string",
      containerOverrides: { shape: "ContainerOverrides" },
      consumableResourcePropertiesOverride: { shape: "ConsumableResourceProperties" },
      ecsPropertiesOverride: "map",
      eksPropertiesOverride: "map",
      instanceTypes: strings,
    },
  },
  // API_CreateComputeEnvironment.html, Request Syntax; API_ComputeResource.html.
  CreateComputeEnvironment: {
    required: ["computeEnvironmentName", "type"],
    members: {
      computeEnvironmentName: "string",
      type: ["MANAGED", "UNMANAGED"],
      state: ["ENABLED", "DISABLED"],
      unmanagedvCpus: "number",
      computeResources: { shape: "ComputeResource" },
      serviceRole: "string",
      tags: "map",
      eksConfiguration: "map",
      context: "string",
    },
  },
  ComputeResource: {
    required: ["type", "maxvCpus", "subnets"],
    members: {
      type: ["EC2", "SPOT", "FARGATE", "FARGATE_SPOT"],
      allocationStrategy: [
        "BEST_FIT",
        "BEST_FIT_PROGRESSIVE",
        "SPOT_CAPACITY_OPTIMIZED",
        "SPOT_PRICE_CAPACITY_OPTIMIZED",
      ],
      minvCpus: "number",
      maxvCpus: "number",
      desiredvCpus: "number",
      instanceTypes: strings,
      imageId: "string",
      subnets: strings,
      securityGroupIds: strings,
      ec2KeyPair: "string",
      instanceRole: "string",
      tags: "map",
      placementGroup: "string",
      bidPercentage: "number",
      spotIamFleetRole: "string",
      launchTemplate: "map",
      ec2Configuration: "map",
    },
  },
  // API_CreateJobQueue.html, Request Syntax; API_ComputeEnvironmentOrder.html.
  CreateJobQueue: {
    required: ["jobQueueName", "priority"],
    members: {
      jobQueueName: "string",
      state: ["ENABLED", "DISABLED"],
      schedulingPolicyArn: "string",
      priority: "number",
      computeEnvironmentOrder: { list: "ComputeEnvironmentOrder" },
      serviceEnvironmentOrder: "map",
      jobQueueType: "string",
      tags: "map",
      jobStateTimeLimitActions: "map",
    },
  },
  ComputeEnvironmentOrder: {
    required: ["order", "computeEnvironment"],
    members: { order: "number", computeEnvironment: "string" },
  },
};

/** What is wrong with `value` as AWS Batch's shape `shape` (empty when nothing), each entry naming its path. */
export function shapeErrors(value: unknown, shape: string, path = shape): string[] {
  const def = BATCH_SHAPES[shape];
  if (!def) return [`${path}: no shape '${shape}' in the model`];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected an object`];
  const record = value as Record<string, unknown>;
  const errors = (def.required ?? []).filter((k) => record[k] === undefined).map((k) => `${path}.${k}: required`);
  for (const [key, v] of Object.entries(record)) {
    if (v === undefined) continue;
    const member = def.members[key];
    if (member === undefined) errors.push(`${path}.${key}: not a member of ${shape}`);
    else errors.push(...memberErrors(v, member, `${path}.${key}`));
  }
  return errors;
}

function memberErrors(v: unknown, member: Member, path: string): string[] {
  if (Array.isArray(member)) return member.includes(v as string) ? [] : [`${path}: '${v}' is not one of ${member}`];
  if (typeof member === "object" && "shape" in member) return shapeErrors(v, member.shape, path);
  if (typeof member === "object" && "list" in member) {
    if (!Array.isArray(v)) return [`${path}: expected a list`];
    return v.flatMap((item, i) => shapeErrors(item, member.list, `${path}[${i}]`));
  }
  if (member === "strings") {
    return Array.isArray(v) && v.every((s) => typeof s === "string") ? [] : [`${path}: expected a list of strings`];
  }
  if (member === "map") return typeof v === "object" && v !== null ? [] : [`${path}: expected an object`];
  if (member === "number" && !Number.isInteger(v)) return [`${path}: expected an integer, got ${JSON.stringify(v)}`];
  if (member !== "number" && typeof v !== member) return [`${path}: expected a ${member}, got ${JSON.stringify(v)}`];
  return [];
}
