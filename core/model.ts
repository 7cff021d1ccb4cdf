/**
 * The workflow model: the shapes of a validated workflow, with every default filled in.
 * Field names follow the Python ezbatch (snake_case) so its files and its users feel at home.
 * @module
 */

import type { JobFeatures } from "./job_features.ts";

/** Where a job runs. */
export type Platform = "FARGATE" | "EC2";

/** One S3 transfer staged by the preloader. */
export interface S3Mount {
  /** For a read mount an `s3://` URI; for a write mount an absolute path in the container. */
  source: string;
  /** For a read mount an absolute path in the container; for a write mount an `s3://` URI. */
  destination: string;
  /** Copy a whole prefix or folder (`aws s3 cp --recursive`); default false. */
  recursive: boolean;
  /** Server-side encryption for uploads, e.g. `AES256` or `aws:kms`. */
  sse?: string;
  /** The KMS key for `sse = "aws:kms"`. */
  sse_kms_key_id?: string;
}

/** The S3 data a job reads before it runs and writes after. */
export interface S3Mounts {
  /** Downloaded before the command runs. */
  read: S3Mount[];
  /** Uploaded after the command ran, even when it failed. */
  write: S3Mount[];
}

/** One `evaluateOnExit` rule of a retry strategy. */
export interface RetryRule {
  /** Glob on the exit code, e.g. `137` or `1*`. */
  on_exit_code?: string;
  /** Glob on the container's reason. */
  on_reason?: string;
  /** Glob on the job's status reason. */
  on_status_reason?: string;
  /** What to do when the rule matches. */
  action: "RETRY" | "EXIT";
}

/** How often a failed job is tried again. */
export interface RetryStrategy {
  /** Total attempts, 1 to 10. */
  attempts: number;
  /** At most 5 rules; no match means retry. */
  evaluate_on_exit: RetryRule[];
}

/** The kind of a dependency between two jobs. */
export type DependencyType = "N_TO_N" | "SEQUENTIAL";

/** A dependency of a job on another job of the same workflow. */
export interface JobDependency {
  /** The name of the job waited for. */
  job: string;
  /** `N_TO_N` pairs array children by index; absent means wait for the whole job. */
  type?: DependencyType;
}

/** One container job of a workflow, as validated (defaults filled in); the optional features are in `JobFeatures`. */
export interface EZBatchJob extends JobFeatures {
  /** The container image. */
  image: string;
  /** A string runs under `/bin/sh -c`; an array is exec form; absent keeps the image's CMD. */
  command?: string | string[];
  /** Plain environment variables. */
  environment: Record<string, string>;
  /** Environment variables filled from Secrets Manager or SSM ARNs (`valueFrom`). */
  secrets: Record<string, string>;
  /** S3 data staged in and out by the preloader. */
  mounts: S3Mounts;
  /** vCPUs (fractions allowed on Fargate). Default 1. */
  vcpus: number;
  /** Memory in MiB. Default 2048. */
  memory: number;
  /** GPUs (EC2 only). Default 0. */
  gpus: number;
  /** Ephemeral storage in GiB (Fargate only, 21–200). */
  storage_size?: number;
  /** FARGATE (default) or EC2. */
  platform: Platform;
  /** Fargate: give the task a public IP; absent = the config's `assignPublicIp` (default false). */
  assign_public_ip?: boolean;
  /** Tags of the submitted job. */
  tags: Record<string, string>;
  /** The job queue; the workflow's queue when absent. */
  queue?: string;
  /** Stage `mounts` in and out with the preloader. Default: true when the job has mounts. */
  preloader: boolean;
  /** Retry strategy. */
  retry?: RetryStrategy;
  /** Attempt timeout in whole seconds (at least 60). */
  timeout?: number;
  /** A parameter sweep: ONE array job whose children get one combination each. Values are strings. */
  matrix?: Record<string, string[]>;
}

/** A validated workflow: named jobs and the dependencies between them. */
export interface EZBatchWorkflow {
  /** Letters, digits, `-` and `_`. */
  name: string;
  /** Default queue of every job. */
  queue?: string;
  /** Jobs by name, in file order. */
  jobs: Record<string, EZBatchJob>;
  /** For each job, the jobs it waits for. */
  dependencies: Record<string, JobDependency[]>;
}
