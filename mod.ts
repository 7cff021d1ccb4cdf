/**
 * ezbatch: AWS Batch made easy. Define workflows of container jobs (with dependencies, S3 data staged in and out,
 * parameter sweeps), validate them offline, plan them, and submit them to AWS Batch or run them locally.
 *
 * @example Format a validation issue
 * ```ts
 * import { formatIssue } from "./mod.ts";
 * console.log(formatIssue({ file: "wf.toml", line: 3, job: "train", field: "vcpus", message: "Too many" }));
 * ```
 * @module
 */
export * from "./core/errors.ts";
export type * from "./core/model.ts";
export type * from "./core/backend.ts";
export * from "./core/backend_types.ts";
export { VERSION } from "./core/version.ts";
export {
  DEFAULT_LOG_GROUP,
  type DefinitionOptions,
  imageSlug,
  jobOverrides,
  MAX_DEFINITION_BYTES,
  type RenderDefinitionOptions,
  renderJobDefinition,
  resourceRequirements,
} from "./core/definitions.ts";
export {
  jobName,
  MAX_DEPENDENCIES,
  MAX_SUBMIT_BYTES,
  MAX_TAGS,
  newRunId,
  type Plan,
  type PlannedDefinition,
  type PlannedSubmission,
  type PlanOptions,
  planWorkflow,
  RUN_ID_PATTERN,
  submitJobRequest,
} from "./core/plan.ts";
export { type Clock, RateLimiter, type RateLimiterOptions, systemClock } from "./core/rate_limiter.ts";
export { type Run, type SubmitOptions, type SubmitProgress, submitWorkflow } from "./core/submit.ts";
export { findRun, type FindRunOptions, type FoundRun, type RunJob, type RunSummary, summarizeRun } from "./core/run.ts";
