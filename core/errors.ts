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

/** Formats an issue as `file:line: job 'x', field 'y': message`. */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line].filter((p) => p !== undefined).join(":");
  const parts: string[] = [];
  if (where) parts.push(where);
  const ctx: string[] = [];
  if (issue.job) ctx.push(`job '${issue.job}'`);
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

/** A named resource (job, queue, definition, run) does not exist. */
export class NotFoundError extends EzBatchError {}

/** Details of a failed AWS call. */
export interface AwsCallInfo {
  /** The service, e.g. `Batch`. */
  service: string;
  /** The operation, e.g. `SubmitJob`. */
  operation: string;
  /** The AWS request id, when AWS answered. */
  requestId?: string;
  /** The AWS error code, e.g. `ClientException`. */
  code?: string;
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
  /** Creates an error describing a failed call; `cause` keeps the SDK error. */
  constructor(info: AwsCallInfo, message: string, options?: ErrorOptions) {
    const id = info.requestId ? ` (request id ${info.requestId})` : "";
    super(`${info.service} ${info.operation} failed: ${message}${id}`, options);
    this.service = info.service;
    this.operation = info.operation;
    if (info.requestId !== undefined) this.requestId = info.requestId;
    if (info.code !== undefined) this.code = info.code;
  }
}
