/**
 * Internal records of the local backend, as kept in the state directory. Not part of the public API: the public
 * shapes are those of core/backend_types.ts, built from these records by `describe.ts`.
 * @module
 */
import type { LocalFeatures } from "./features.ts";
import type {
  ComputeEnvironment,
  JobDefinition,
  JobDependencyRef,
  JobQueue,
  JobStatus,
  KeyValue,
  RetryStrategyProps,
  SecretRef,
} from "../backend_types.ts";

/** One attempt of a job: one process (or container) run. */
export interface AttemptRecord {
  /** 1-based attempt number (AWS_BATCH_JOB_ATTEMPT). */
  attempt: number;
  /** The supervisor that ran (or is running) this attempt. */
  supervisorId: string;
  /** Log stream of the attempt (in the job's log group). */
  logStreamName: string;
  /** Fresh work directory of the attempt. */
  workDir: string;
  /** Process id of the attempt's process group leader, once started. */
  pid?: number;
  /** Start time of that process (field 22 of /proc/PID/stat), to tell a reused pid from ours. */
  pidStart?: string;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Exit code of the command. */
  exitCode?: number;
  /** Container-level reason (e.g. `CannotStartContainerError: ...`). */
  reason?: string;
  /** Why the attempt ended. */
  statusReason?: string;
}

/** What a job runs: the definition merged with the submission's overrides. */
export interface JobSpec {
  /** Image (used by the docker/podman runtime; informative on the host runtime). */
  image: string;
  /** The command, with `Ref::` parameters substituted; absent keeps the image's CMD. */
  command?: string[];
  /** Definition environment overridden by `containerOverrides.environment`. */
  environment: KeyValue[];
  /** Secrets (resolved from the supervisor's environment, see runner.ts). */
  secrets: SecretRef[];
  /** vCPUs the job reserves from the budget. */
  vcpus: number;
  /** MiB the job reserves from the budget. */
  memory: number;
  /** GPUs (recorded, not scheduled). */
  gpus: number;
  /** Log group of the job's streams. */
  logGroup: string;
  /** Log configuration of the definition, echoed by DescribeJobs. */
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  /** Volumes, shared memory, nodes, ... (features.ts). */
  features?: LocalFeatures;
  /** A multi-node job's nodes by node range (nodes.ts); the fields above are then the first range's. */
  nodeSegments?: NodeSegment[];
}

/** Consecutive nodes of a multi-node job that run the same container (inclusive indexes). */
export interface NodeSegment {
  /** First node. */
  start: number;
  /** Last node. */
  end: number;
  /** What these nodes run instead of the parent spec's fields (their range's secrets and features too). */
  spec: Pick<JobSpec, "image" | "command" | "environment" | "vcpus" | "memory" | "gpus" | "secrets" | "features">;
}

/** A job (an array parent, an array child or a plain job). */
export interface JobRecord {
  /** UUID, or `<parentId>:<index>` for an array child. */
  jobId: string;
  /** Job name. */
  jobName: string;
  /** Queue name. */
  jobQueue: string;
  /** Definition ARN. */
  jobDefinition: string;
  /** Current state. */
  status: JobStatus;
  /** Why it is in this state. */
  statusReason?: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** As submitted. */
  dependsOn?: JobDependencyRef[];
  /** Job ids this job waits for (resolved from dependsOn at submit time). */
  waitFor: string[];
  /** Job tags. */
  tags?: Record<string, string>;
  /** Size of an array parent. */
  arraySize?: number;
  /** Index of an array child. */
  arrayIndex?: number;
  /** Parent id of an array child. */
  parentId?: string;
  /** What runs. Absent on array children, which run their parent's spec (see `specOf`): keeps the state small. */
  spec?: JobSpec;
  /** Retry strategy in force. */
  retryStrategy?: RetryStrategyProps;
  /** Timeout in force. */
  timeout?: { attemptDurationSeconds: number };
  /** Platforms of the definition. */
  platformCapabilities?: string[];
  /** Attempts so far. */
  attempts: AttemptRecord[];
  /** Was cancelled. */
  isCancelled?: boolean;
  /** Was terminated. */
  isTerminated?: boolean;
  /** A terminate request the supervisor has to act on (the reason). */
  terminateRequest?: string;
  /** `--s3-dir` of the submission: the aws shim serves s3:// from it. */
  s3Dir?: string;
  /** Every status change, oldest first (local only; handy for tests and debugging). */
  history: { status: JobStatus; at: number; reason?: string }[];
}

/** A job with its spec resolved (what the runner gets). */
export type RunnableJob = JobRecord & { spec: JobSpec };

/** Everything the local backend keeps in `state.json`. */
export interface LocalState {
  /** Format version. */
  version: 1;
  /** Every registered revision. */
  definitions: JobDefinition[];
  /** Job queues. */
  queues: JobQueue[];
  /** Compute environments. */
  computeEnvironments: ComputeEnvironment[];
  /** Jobs by id, in submission order. */
  jobs: Record<string, JobRecord>;
}

/** The supervisor currently running the queue of a state directory (`supervisor.json`). */
export interface SupervisorInfo {
  /** Random id, recorded in the attempts it starts. */
  id: string;
  /** Its process id. */
  pid: number;
  /** Its process start time (see AttemptRecord.pidStart). */
  pidStart?: string;
  /** `daemon` or `in-process`. */
  mode: "daemon" | "in-process";
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of the last heartbeat. */
  heartbeatAt: number;
  /** A daemon that was launched but has not claimed the directory yet (any supervisor may claim over it). */
  pending?: boolean;
}
