/**
 * Plain data shapes exchanged with a backend. They mirror the subset of the AWS Batch API that ezbatch uses
 * (camelCase, as on the wire), so `AwsBackend` passes them through and `LocalBackend` interprets them. Job
 * definitions' shapes are in `definition_types.ts` (re-exported here); infrastructure's in `infra_types.ts`.
 * @module
 */

import type { KeyValue, ResourceRequirement, RetryStrategyProps } from "./definition_types.ts";

export type * from "./definition_types.ts";

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
