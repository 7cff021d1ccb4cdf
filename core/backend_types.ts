/**
 * Plain data shapes exchanged with a backend. They mirror the subset of the AWS Batch API that ezbatch uses
 * (camelCase, as on the wire), so `AwsBackend` passes them through and `LocalBackend` interprets them.
 * @module
 */

/** The states of an AWS Batch job. */
export type JobStatus = "SUBMITTED" | "PENDING" | "RUNNABLE" | "STARTING" | "RUNNING" | "SUCCEEDED" | "FAILED";

/** Every job status, in lifecycle order. */
export const JOB_STATUSES: readonly JobStatus[] = [
  "SUBMITTED",
  "PENDING",
  "RUNNABLE",
  "STARTING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
];

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

/** Per-submission overrides of the container. */
export interface ContainerOverrides {
  /** Replaces the definition's command. */
  command?: string[];
  /** Added to (and overriding) the definition's environment. */
  environment?: KeyValue[];
  /** Replaces resources. */
  resourceRequirements?: ResourceRequirement[];
}

/** A dependency of a submitted job. */
export interface JobDependencyRef {
  /** The job id waited for (absent for SEQUENTIAL). */
  jobId?: string;
  /** N_TO_N or SEQUENTIAL; absent waits for the whole job. */
  type?: "N_TO_N" | "SEQUENTIAL";
}

/** What SubmitJob takes (the subset ezbatch uses). */
export interface SubmitJobInput {
  /** Job name, 1–128 of letters, digits, `-`, `_`. */
  jobName: string;
  /** Queue name or ARN. */
  jobQueue: string;
  /** Definition `name:revision` or ARN. */
  jobDefinition: string;
  /** At most 20 dependencies. */
  dependsOn?: JobDependencyRef[];
  /** Array size 2–10,000 for an array job. */
  arrayProperties?: { size: number };
  /** Per-job differences. */
  containerOverrides?: ContainerOverrides;
  /** Overrides the definition's retry strategy. */
  retryStrategy?: RetryStrategyProps;
  /** Overrides the definition's timeout. */
  timeout?: { attemptDurationSeconds: number };
  /** Per-node-range overrides of a multi-node parallel job (instead of `containerOverrides`). */
  nodeOverrides?: {
    numNodes?: number;
    nodePropertyOverrides?: { targetNodes: string; containerOverrides?: ContainerOverrides }[];
  };
  /** Scheduling priority in a fair-share queue (0–9999). */
  schedulingPriorityOverride?: number;
  /** Share identifier in a fair-share queue. */
  shareIdentifier?: string;
  /** Job tags. */
  tags?: Record<string, string>;
  /** Propagate the tags to the ECS task. */
  propagateTags?: boolean;
  /** Substitution parameters. */
  parameters?: Record<string, string>;
}

/** What SubmitJob returns. */
export interface SubmittedJob {
  /** The new job's id. */
  jobId: string;
  /** The job's name. */
  jobName: string;
  /** The job's ARN, when known. */
  jobArn?: string;
}

/** A job as ListJobs returns it. */
export interface JobSummary {
  /** Job id. */
  jobId: string;
  /** Job name. */
  jobName: string;
  /** Current state. */
  status?: JobStatus;
  /** Why it is in this state. */
  statusReason?: string;
  /** Epoch ms. */
  createdAt?: number;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Set for array parents and children. */
  arrayProperties?: { size?: number; index?: number };
  /** Exit code of the container, when it ended. */
  container?: { exitCode?: number; reason?: string };
  /** Definition ARN. */
  jobDefinition?: string;
}

/** One attempt of a job. */
export interface AttemptDetail {
  /** The container of the attempt. */
  container?: { exitCode?: number; reason?: string; logStreamName?: string; taskArn?: string };
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Why the attempt ended. */
  statusReason?: string;
}

/** A job as DescribeJobs returns it (the subset ezbatch reads). */
export interface JobDetail {
  /** Job id. */
  jobId: string;
  /** Job name. */
  jobName: string;
  /** Job ARN. */
  jobArn?: string;
  /** Queue ARN or name. */
  jobQueue: string;
  /** Current state. */
  status: JobStatus;
  /** Why it is in this state. */
  statusReason?: string;
  /** Definition ARN. */
  jobDefinition: string;
  /** Epoch ms. */
  createdAt?: number;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Dependencies. */
  dependsOn?: JobDependencyRef[];
  /** Tags. */
  tags?: Record<string, string>;
  /** Attempts so far. */
  attempts?: AttemptDetail[];
  /** Array parent: size and counts by status; array child: its index. */
  arrayProperties?: { size?: number; index?: number; statusSummary?: Partial<Record<JobStatus, number>> };
  /** Container details (containerProperties jobs). */
  container?: {
    image?: string;
    command?: string[];
    exitCode?: number;
    reason?: string;
    logStreamName?: string;
    environment?: KeyValue[];
    logConfiguration?: { logDriver: string; options?: Record<string, string> };
    /** The resources the job asked for (the definition's, as overridden at submission). */
    resourceRequirements?: ResourceRequirement[];
  };
  /** Multi-container details (ecsProperties jobs). */
  ecsProperties?: {
    taskProperties?: {
      containers?: {
        name?: string;
        exitCode?: number;
        reason?: string;
        logStreamName?: string;
        logConfiguration?: { logDriver: string; options?: Record<string, string> };
      }[];
    }[];
  };
  /** Was cancelled. */
  isCancelled?: boolean;
  /** Was terminated. */
  isTerminated?: boolean;
  /** Retry strategy in force. */
  retryStrategy?: RetryStrategyProps;
  /** Timeout in force. */
  timeout?: { attemptDurationSeconds?: number };
  /** Platforms. */
  platformCapabilities?: string[];
}

/** What ListJobs is asked: exactly one of queue or arrayJobId, optionally one status or one filter. */
export interface ListJobsQuery {
  /** The queue to list. */
  jobQueue?: string;
  /** List the children of this array job. */
  arrayJobId?: string;
  /** Only this status (without a filter). */
  jobStatus?: JobStatus;
  /** One filter; a filter returns all statuses. */
  filter?: {
    name: "JOB_NAME" | "JOB_DEFINITION" | "BEFORE_CREATED_AT" | "AFTER_CREATED_AT";
    values: string[];
  };
}

/** One page of ListJobs. */
export interface JobPage {
  /** Jobs on this page. */
  jobs: JobSummary[];
  /** Token of the next page, if any. */
  nextToken?: string;
}

/** A log event. */
export interface LogEvent {
  /** Epoch ms. */
  timestamp: number;
  /** The line. */
  message: string;
}

/** Where a job's log lives. */
export interface LogLocation {
  /** Log group; `/aws/batch/job` by default. */
  group: string;
  /** Log stream. */
  stream: string;
}

/** One page of log events. */
export interface LogPage {
  /** Events, oldest first. */
  events: LogEvent[];
  /** Pass back to read on; equal to the previous token when nothing new arrived. */
  nextForwardToken?: string;
  /** False when the stream does not exist (yet). */
  exists: boolean;
}

export type * from "./infra_types.ts";
