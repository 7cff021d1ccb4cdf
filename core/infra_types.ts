/**
 * Plain data shapes of the infrastructure calls (compute environments and job queues), in the AWS Batch API's
 * camelCase. Re-exported by backend_types.ts.
 * @module
 */

/** A compute environment (the subset ezbatch uses). */
export interface ComputeEnvironment {
  /** Name. */
  computeEnvironmentName: string;
  /** ARN. */
  computeEnvironmentArn: string;
  /** MANAGED or UNMANAGED. */
  type?: string;
  /** ENABLED or DISABLED. */
  state?: string;
  /** CREATING, UPDATING, DELETING, DELETED, VALID, INVALID. */
  status?: string;
  /** Why the status is what it is. */
  statusReason?: string;
  /** Compute resources. */
  computeResources?: {
    type: "EC2" | "SPOT" | "FARGATE" | "FARGATE_SPOT";
    maxvCpus: number;
    minvCpus?: number;
    desiredvCpus?: number;
    subnets: string[];
    securityGroupIds?: string[];
    instanceTypes?: string[];
    instanceRole?: string;
    allocationStrategy?: string;
    bidPercentage?: number;
    tags?: Record<string, string>;
  };
  /** Service role ARN. */
  serviceRole?: string;
  /** Tags of the environment. */
  tags?: Record<string, string>;
}

/** What CreateComputeEnvironment takes. */
export type ComputeEnvironmentInput = Omit<ComputeEnvironment, "computeEnvironmentArn" | "status" | "statusReason">;

/** A job queue (the subset ezbatch uses). */
export interface JobQueue {
  /** Name. */
  jobQueueName: string;
  /** ARN. */
  jobQueueArn: string;
  /** ENABLED or DISABLED. */
  state?: string;
  /** CREATING, UPDATING, DELETING, DELETED, VALID, INVALID. */
  status?: string;
  /** Why the status is what it is. */
  statusReason?: string;
  /** Higher runs first. */
  priority: number;
  /** Compute environments in order. */
  computeEnvironmentOrder: { order: number; computeEnvironment: string }[];
  /** Stuck-job actions. */
  jobStateTimeLimitActions?: { reason: string; state: "RUNNABLE"; maxTimeSeconds: number; action: "CANCEL" }[];
  /** Tags. */
  tags?: Record<string, string>;
  /** Fair-share scheduling policy ARN. */
  schedulingPolicyArn?: string;
}

/** What CreateJobQueue takes. */
export type JobQueueInput = Omit<JobQueue, "jobQueueArn" | "status" | "statusReason">;

/** Changes to a compute environment. */
export interface ComputeEnvironmentUpdate {
  /** ENABLED or DISABLED. */
  state?: "ENABLED" | "DISABLED";
  /** New max vCPUs. */
  maxvCpus?: number;
}

/** Changes to a job queue. */
export interface JobQueueUpdate {
  /** ENABLED or DISABLED. */
  state?: "ENABLED" | "DISABLED";
  /** New priority. */
  priority?: number;
  /** New compute environment order. */
  computeEnvironmentOrder?: { order: number; computeEnvironment: string }[];
}
