/**
 * The one error family of ezbatch. Core throws these; only `main.ts` turns them into messages and exit codes.
 * @module
 */

/** Base class of every error ezbatch throws on purpose. */
export class EzBatchError extends Error {
  /** Creates an error with a message and an optional cause. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in a workflow (or config) file a problem was found. */
export interface SourceLocation {
  /** The file path, when the input came from a file. */
  file?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** The job the problem belongs to, if any. */
  job?: string;
  /** The dotted field path, e.g. `jobs.train.vcpus`. */
  field?: string;
}

/** One problem found while loading or validating input. */
export interface Issue extends SourceLocation {
  /** What is wrong and what would be valid. */
  message: string;
}

/** A job name as shown in a message: at most 60 characters, then "…" (names of 50,000 characters exist in tests). */
function shortName(name: string): string {
  return name.length > 60 ? `${name.slice(0, 59)}…` : name;
}

/** Formats an issue as `file:line: job 'x', field 'y': message` (a long job name is shortened). */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line].filter((p) => p !== undefined).join(":");
  const parts: string[] = [];
  if (where) parts.push(where);
  const ctx: string[] = [];
  if (issue.job) ctx.push(`job '${shortName(issue.job)}'`);
  if (issue.field) ctx.push(`field '${issue.field}'`);
  const head = [...parts, ctx.join(", ")].filter(Boolean).join(": ");
  return head ? `${head}: ${issue.message}` : issue.message;
}

/** Bad workflow input: carries every issue found, each with its location. */
export class WorkflowError extends EzBatchError {
  /** Every problem found, in file order. */
  readonly issues: readonly Issue[];
  /** Creates a workflow error from one or more issues. */
  constructor(issues: Issue[] | Issue, options?: ErrorOptions) {
    const list = Array.isArray(issues) ? issues : [issues];
    super(list.map(formatIssue).join("\n"), options);
    this.issues = list;
  }
}

/** Bad settings in the config file or environment. */
export class ConfigError extends EzBatchError {}

/** Bad command-line usage (exit code 2). */
export class UsageError extends EzBatchError {}

/** The kinds of resource a {@link NotFoundError} can name. */
export type ResourceKind = "job" | "job-queue" | "job-definition" | "compute-environment" | "run" | "log-stream";

/** A named resource (job, queue, definition, run) does not exist. */
export class NotFoundError extends EzBatchError {
  /** What kind of thing is missing, when the thrower knows (the submission engine reacts to `job-definition`). */
  readonly resource?: ResourceKind;

  /**
   * Creates the error.
   *
   * @param message What was not found, e.g. `Job 'abc' was not found`.
   * @param options The cause and the kind of resource.
   */
  constructor(message: string, options?: ErrorOptions & { resource?: ResourceKind }) {
    super(message, options);
    if (options?.resource) this.resource = options.resource;
  }
}

/** Details of a failed AWS call. */
export interface AwsCallInfo {
  /** The service, e.g. `Batch`. */
  service: string;
  /** The operation, e.g. `SubmitJob`. */
  operation: string;
  /** The AWS request id, when AWS answered. */
  requestId?: string;
  /** The AWS error code, e.g. `ClientException`, or a network code such as `ECONNREFUSED`. */
  code?: string;
  /** How many times the SDK sent the request (its retries included), when it says. */
  attempts?: number;
}

/** An AWS call failed after the SDK's retries. */
export class AwsCallError extends EzBatchError {
  /** The service that was called. */
  readonly service: string;
  /** The operation that failed. */
  readonly operation: string;
  /** The AWS request id, when known. */
  readonly requestId?: string;
  /** The AWS error code, when known. */
  readonly code?: string;
  /** How many times the SDK sent the request, when known: more than one means the SDK already retried. */
  readonly attempts?: number;
  /** Creates an error describing a failed call; `cause` keeps the SDK error. */
  constructor(info: AwsCallInfo, message: string, options?: ErrorOptions) {
    const id = info.requestId ? ` (request id ${info.requestId})` : "";
    super(`${info.service} ${info.operation} failed: ${message}${id}`, options);
    this.service = info.service;
    this.operation = info.operation;
    if (info.requestId !== undefined) this.requestId = info.requestId;
    if (info.code !== undefined) this.code = info.code;
    if (info.attempts !== undefined) this.attempts = info.attempts;
  }
}

/** A job a run submitted: the workflow's name for it and its AWS id. */
export interface SubmittedJobRef {
  /** The workflow's name for the job. */
  job: string;
  /** The AWS job id. */
  jobId: string;
}

/** What happened when a submission failed part way. */
export interface SubmissionFailure {
  /** The workflow's name. */
  workflow: string;
  /** The run id. */
  runId: string;
  /** Every job of the run that was submitted before the failure. */
  submitted: SubmittedJobRef[];
  /** The submitted jobs that were terminated again. */
  terminated: SubmittedJobRef[];
  /** Submitted jobs that could not be terminated, with why. */
  notTerminated: (SubmittedJobRef & { error: string })[];
  /** Workflow jobs that were never submitted. */
  notSubmitted: string[];
  /** True when the submitted jobs were left running on purpose (`keepOnFailure`). */
  kept: boolean;
  /** The workflow job whose submission failed, when one did (absent when aborted or a definition failed). */
  failedJob?: string;
}

function listNames(refs: { job: string }[]): string {
  const names = refs.slice(0, 10).map((r) => `'${r.job}'`).join(", ");
  return refs.length > 10 ? `${names} and ${refs.length - 10} more` : names;
}

/**
 * A workflow submission failed (or was aborted) part way; says what was submitted and what was terminated.
 *
 * @example Report what a failed submission left behind
 * ```ts
 * import { SubmissionError } from "./mod.ts";
 * const error = new SubmissionError({
 *   workflow: "demo", runId: "k3x9a0qz", submitted: [{ job: "prepare", jobId: "id-1" }],
 *   terminated: [{ job: "prepare", jobId: "id-1" }], notTerminated: [], notSubmitted: ["train"], kept: false,
 * }, { cause: new Error("Job queue 'q' is disabled") });
 * console.log(error.message);
 * // Submitting run 'k3x9a0qz' of workflow 'demo' failed: Job queue 'q' is disabled. Submitted 1 of 2 jobs
 * // ('prepare'); terminated 1.
 * ```
 */
export class SubmissionError extends EzBatchError implements SubmissionFailure {
  /** The workflow's name. */
  readonly workflow: string;
  /** The run id. */
  readonly runId: string;
  /** Every job of the run that was submitted before the failure. */
  readonly submitted: SubmittedJobRef[];
  /** The submitted jobs that were terminated again. */
  readonly terminated: SubmittedJobRef[];
  /** Submitted jobs that could not be terminated, with why. */
  readonly notTerminated: (SubmittedJobRef & { error: string })[];
  /** Workflow jobs that were never submitted. */
  readonly notSubmitted: string[];
  /** True when the submitted jobs were left running on purpose. */
  readonly kept: boolean;
  /** The workflow job whose submission failed, when one did. */
  readonly failedJob?: string;
  /** Creates the error; `cause` is what made the submission fail. */
  constructor(failure: SubmissionFailure, options?: ErrorOptions) {
    const cause = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? "unknown error");
    const total = failure.submitted.length + failure.notSubmitted.length;
    const parts = [`Submitting run '${failure.runId}' of workflow '${failure.workflow}' failed: ${cause}.`];
    if (failure.failedJob !== undefined) parts.push(`Job '${failure.failedJob}' could not be submitted.`);
    if (!failure.submitted.length) parts.push(`No job was submitted.`);
    else {
      const jobs = total === 1 ? "job" : "jobs";
      parts.push(`Submitted ${failure.submitted.length} of ${total} ${jobs} (${listNames(failure.submitted)});`);
      if (failure.kept) parts.push("kept them as asked.");
      else parts.push(`terminated ${failure.terminated.length}.`);
    }
    if (failure.notTerminated.length) {
      const list = failure.notTerminated.map((r) => `'${r.job}' (${r.jobId}): ${r.error}`).join("; ");
      parts.push(`Could not terminate ${failure.notTerminated.length}: ${list}.`);
    }
    super(parts.join(" "), options);
    this.workflow = failure.workflow;
    this.runId = failure.runId;
    this.submitted = failure.submitted;
    this.terminated = failure.terminated;
    this.notTerminated = failure.notTerminated;
    this.notSubmitted = failure.notSubmitted;
    this.kept = failure.kept;
    if (failure.failedJob !== undefined) this.failedJob = failure.failedJob;
  }
}
