/**
 * Job definitions as RegisterJobDefinition takes them and DescribeJobDefinitions returns them (the subset ezbatch
 * uses, camelCase as on the wire), with their parts: container, environment, secrets, resources, retry, volumes,
 * nodes. Re-exported by `backend_types.ts`.
 * @module
 */

/** A name/value pair as AWS sends environment variables. */
export interface KeyValue {
  /** Variable name. */
  name: string;
  /** Variable value. */
  value: string;
}

/** A secret reference: `valueFrom` is a Secrets Manager or SSM ARN. */
export interface SecretRef {
  /** Variable name in the container. */
  name: string;
  /** ARN of the secret or parameter. */
  valueFrom: string;
}

/** `resourceRequirements` entry. */
export interface ResourceRequirement {
  /** VCPU, MEMORY or GPU. */
  type: "VCPU" | "MEMORY" | "GPU";
  /** The amount, as a string (AWS's shape). */
  value: string;
}

/** One `evaluateOnExit` rule, AWS shape. */
export interface EvaluateOnExit {
  /** Glob on the exit code. */
  onExitCode?: string;
  /** Glob on the reason. */
  onReason?: string;
  /** Glob on the status reason. */
  onStatusReason?: string;
  /** RETRY or EXIT. */
  action: "RETRY" | "EXIT";
}

/** AWS retry strategy. */
export interface RetryStrategyProps {
  /** 1 to 10. */
  attempts?: number;
  /** At most 5 rules. */
  evaluateOnExit?: EvaluateOnExit[];
}

/** The container of a single-container job definition (`containerProperties`). */
export interface ContainerProperties {
  /** Image to run. */
  image: string;
  /** Replaces the image's CMD. */
  command?: string[];
  /** Plain environment. */
  environment?: KeyValue[];
  /** Secrets as valueFrom. */
  secrets?: SecretRef[];
  /** vCPU, memory, GPU. */
  resourceRequirements?: ResourceRequirement[];
  /** Role the job's code runs as. */
  jobRoleArn?: string;
  /** Role ECS uses to pull images and write logs (required on Fargate). */
  executionRoleArn?: string;
  /** Log driver settings. */
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  /** Fargate platform settings. */
  fargatePlatformConfiguration?: { platformVersion?: string };
  /** Fargate networking. */
  networkConfiguration?: { assignPublicIp?: "ENABLED" | "DISABLED" };
  /** Fargate ephemeral storage. */
  ephemeralStorage?: { sizeInGiB: number };
  /** Fargate CPU architecture. */
  runtimePlatform?: { cpuArchitecture?: "X86_64" | "ARM64"; operatingSystemFamily?: string };
  /** EFS and host volumes (named; mounted through `mountPoints`). */
  volumes?: VolumeProps[];
  /** Where each volume appears in the container. */
  mountPoints?: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  /** Shared memory and other Linux settings (EC2). */
  linuxParameters?: { sharedMemorySize?: number };
  /** Resource limits (EC2). */
  ulimits?: { name: string; softLimit: number; hardLimit: number }[];
  /** Privileged container (EC2). */
  privileged?: boolean;
  /** User the container runs as. */
  user?: string;
}

/** A volume of a job definition: EFS or a host path. */
export interface VolumeProps {
  /** Name referred to by `mountPoints[].sourceVolume`. */
  name: string;
  /** An EFS file system. */
  efsVolumeConfiguration?: {
    fileSystemId: string;
    rootDirectory?: string;
    transitEncryption?: "ENABLED" | "DISABLED";
    authorizationConfig?: { accessPointId?: string; iam?: "ENABLED" | "DISABLED" };
  };
  /** A path of the EC2 instance. */
  host?: { sourcePath?: string };
}

/** The nodes of a multi-node parallel job definition. */
export interface NodeProps {
  /** Number of nodes. */
  numNodes: number;
  /** Index of the main node. */
  mainNode: number;
  /** Containers by node range (`0:` = every node). */
  nodeRangeProperties: { targetNodes: string; container?: ContainerProperties }[];
}

/** Consumable resources a job holds while it runs. */
export interface ConsumableResourceProps {
  /** Resources and quantities. */
  consumableResourceList: { consumableResource: string; quantity: number }[];
}

/** What RegisterJobDefinition takes (the subset ezbatch uses). */
export interface JobDefinitionInput {
  /** Definition name, 1–128 of letters, digits, `-`, `_`. */
  jobDefinitionName: string;
  /** `container`, or `multinode` for a multi-node parallel job. */
  type: "container" | "multinode";
  /** FARGATE or EC2. */
  platformCapabilities: ("FARGATE" | "EC2")[];
  /**
   * The container. A `multinode` definition has none on the wire (its containers are in `nodeProperties`): code
   * that may meet one reads it through `core/local/features.ts`'s `definitionContainer`.
   */
  containerProperties: ContainerProperties;
  /** Nodes of a multi-node parallel job. */
  nodeProperties?: NodeProps;
  /** Consumable resources (resource-aware scheduling). */
  consumableResourceProperties?: ConsumableResourceProps;
  /** Retry strategy default. */
  retryStrategy?: RetryStrategyProps;
  /** Attempt timeout default. */
  timeout?: { attemptDurationSeconds: number };
  /** Definition tags. */
  tags?: Record<string, string>;
  /** Propagate job tags to the ECS task. */
  propagateTags?: boolean;
  /** Default parameters. */
  parameters?: Record<string, string>;
}

/** A registered job definition as DescribeJobDefinitions returns it. */
export interface JobDefinition extends JobDefinitionInput {
  /** Full ARN, `...:job-definition/name:revision`. */
  jobDefinitionArn: string;
  /** Revision number. */
  revision: number;
  /** ACTIVE or INACTIVE. */
  status?: string;
  /** For multi-container definitions (read only; ezbatch never registers these). */
  ecsProperties?: unknown;
}
