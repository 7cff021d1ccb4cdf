/**
 * The shape of a run report: the data behind the terminal summary, the HTML page, `--json` and `--csv`. Times are
 * epoch milliseconds, durations milliseconds; a value AWS did not record (array parents and jobs failed through a
 * dependency have no start or stop) is left out rather than guessed.
 * @module
 */
import type { JobStatus } from "./backend_types.ts";
import type { RunState } from "./run_summary.ts";

/** How a job was billed: Fargate or EC2, on demand or Spot, x86 or ARM. */
export interface Capacity {
  /** FARGATE or EC2. */
  platform: "FARGATE" | "EC2";
  /** Spot capacity (read from the queue's first compute environment, when the report could read it). */
  spot: boolean;
  /** CPU architecture (from the job definition; X86_64 when it says nothing). */
  arch: "X86_64" | "ARM64";
}

/** Prices in USD per hour of each resource. */
export interface PriceRates {
  /** Per vCPU-hour. */
  vcpuHour: number;
  /** Per GiB-hour of memory (Fargate; 0 on EC2, where memory comes with the instance). */
  gibHour: number;
  /** Per GPU-hour (EC2). */
  gpuHour: number;
}

/** Where the prices of a cost estimate came from. */
export interface PriceSource {
  /** `price-list-api` (AWS Price List GetProducts), `built-in` (a dated table), `config`, or `local` (no charge). */
  kind: "price-list-api" | "built-in" | "config" | "local";
  /** The region priced. */
  region: string;
  /** The date the prices were read (the API) or written down (the table). */
  date: string;
  /** In words, for people: what was priced how, and what was not. */
  note: string;
}

/** A cost estimate: never a bill. */
export interface CostEstimate {
  /** USD. */
  usd: number;
  /** Always true: prices and billed durations differ from what AWS charges (image pulls, rounding, discounts). */
  estimate: true;
  /** Where the prices came from. */
  source: PriceSource;
}

/** A phase of an attempt: waiting for dependencies, queued for capacity (RUNNABLE and STARTING), running. */
export type PhaseName = "pending" | "queued" | "running";

/** One attempt: one container run of a job or array child (a retry or a resubmission is another attempt). */
export interface ReportAttempt {
  /** 1-based number of the attempt in its row (retries and resubmissions counted together). */
  attempt: number;
  /** The AWS job id the attempt belongs to (a resubmission is a new job). */
  jobId: string;
  /** The run's submission of the job it belongs to (1, then one more per resume that submitted it again). */
  submission: number;
  /** Start of the pending phase: the job's creation (first attempt of a submission) or the previous attempt's stop. */
  pendingFrom?: number;
  /** When its dependencies had finished: the queued phase starts here. */
  readyAt?: number;
  /** When it started RUNNING. */
  startedAt?: number;
  /** When it stopped; absent while it runs. */
  stoppedAt?: number;
  /** SUCCEEDED, FAILED, RUNNING or WAITING (not started yet). */
  outcome: "SUCCEEDED" | "FAILED" | "RUNNING" | "WAITING";
  /** Exit code of its container. */
  exitCode?: number;
  /** The container's reason (e.g. `OutOfMemoryError: ...`). */
  reason?: string;
  /** Why the attempt ended. */
  statusReason?: string;
  /** Its CloudWatch log stream. */
  logStream?: string;
  /** Milliseconds in each phase (only the phases whose ends are known). */
  phases: Partial<Record<PhaseName, number>>;
  /** Estimated cost of its running time. */
  usd?: number;
}

/** One row of the timeline: a job, or one child of an array job. */
export interface ReportRow {
  /** The workflow's name for the job. */
  job: string;
  /** The array index, for an array child. */
  index?: number;
  /** `job` or `job[index]`. */
  label: string;
  /** The latest status. */
  status: JobStatus;
  /** Its attempts, oldest first. */
  attempts: ReportAttempt[];
}

/** Resources used: requested sizes times running time. */
export interface Usage {
  /** vCPU-hours. */
  vcpuHours: number;
  /** GiB-hours of memory. */
  gibHours: number;
  /** GPU-hours. */
  gpuHours: number;
}

/** One job of the workflow, as the per-job table shows it. */
export interface ReportJob {
  /** The workflow's name for the job. */
  job: string;
  /** The latest AWS job id. */
  jobId: string;
  /** Ids of earlier submissions of the job in this run. */
  previousJobIds: string[];
  /** AWS job name. */
  jobName: string;
  /** Latest status. */
  status: JobStatus;
  /** Why it is in this state. */
  statusReason?: string;
  /** Queue (as AWS reports it). */
  queue: string;
  /** Definition ARN. */
  definition: string;
  /** Workflow names of the jobs it waits for. */
  dependsOn: string[];
  /** Array size, for a matrix job. */
  arraySize?: number;
  /** Requested vCPUs (unknown when the backend did not say). */
  vcpus?: number;
  /** Requested memory, MiB. */
  memory?: number;
  /** Requested GPUs. */
  gpus?: number;
  /** How it was billed. */
  capacity: Capacity;
  /** Attempts over all rows and submissions. */
  attempts: number;
  /** Exit codes of its attempts, in order. */
  exitCodes: number[];
  /** Running time, ms, over all attempts. */
  runningMs: number;
  /** Resource-hours. */
  usage: Usage;
  /** Estimated cost, USD. */
  usd: number;
  /** Log group of its streams. */
  logGroup: string;
  /** AWS console page of the job (absent on the local backend). */
  consoleUrl?: string;
  /** AWS console page of its latest log stream. */
  logUrl?: string;
}

/** The whole-run figures. */
export interface ReportSummary {
  /** RUNNING, SUCCEEDED, FAILED or INCOMPLETE. */
  state: RunState;
  /** First job created. */
  startedAt?: number;
  /** Last attempt stopped (absent while anything runs). */
  endedAt?: number;
  /** Wall time, ms (to the report's time while the run goes on). */
  wallMs: number;
  /** Jobs by state (an array job counts once). */
  byStatus: Record<JobStatus, number>;
  /** Jobs found. */
  jobs: number;
  /** Jobs of the plan never submitted. */
  missing: string[];
  /** Attempts, array children each counted. */
  attempts: number;
  /** Attempts after the first of each row (AWS retries and resubmissions). */
  retries: number;
  /**
   * Milliseconds summed over attempts: `pending` waits for dependencies (PENDING), `queued` for capacity
   * (SUBMITTED, RUNNABLE and STARTING: AWS records no time for entering STARTING, so it is counted here), `running`.
   */
  time: Record<PhaseName, number>;
  /** The chain of jobs that decided when the run ended, first to last, and its length. */
  criticalPath: { jobs: string[]; lengthMs: number; runningMs: number };
  /** Resource-hours. */
  usage: Usage;
  /** Estimated cost. */
  cost: CostEstimate;
}

/** A run report. */
export interface RunReport {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** `aws` or `local`. */
  backend: "aws" | "local";
  /** The region of its jobs (from their ARNs), when on AWS. */
  region?: string;
  /** When the report was made. */
  generatedAt: number;
  /** Whole-run figures. */
  summary: ReportSummary;
  /** Per job, in the order jobs were created. */
  jobs: ReportJob[];
  /** The timeline: one row per job and per array child. */
  rows: ReportRow[];
  /** The DAG: `[from, to]` workflow job names (`to` waits for `from`). */
  edges: [string, string][];
}
