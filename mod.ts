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
export type {
  Architecture,
  JobFeatures,
  JobFeaturesInput,
  JobVolume,
  NodeRange,
  UlimitInput,
} from "./core/job_features.ts";
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
export {
  findRun,
  type FindRunOptions,
  type FoundRun,
  type RunJob,
  runJobOf,
  type RunState,
  type RunSummary,
  summarizeRun,
} from "./core/run.ts";
export { reportRun, type ReportRunOptions } from "./core/report.ts";
export type {
  Capacity,
  CostEstimate,
  PhaseName,
  PriceRates,
  PriceSource,
  ReportAttempt,
  ReportJob,
  ReportRow,
  ReportSummary,
  RunReport,
  Usage,
} from "./core/report_types.ts";
export { formatDuration, renderReportText, type ReportTextOptions } from "./core/report_text.ts";
export { renderReportHtml } from "./core/report_html.ts";
export { renderReportCsv } from "./core/report_csv.ts";
export {
  BUILT_IN_PRICES_DATE,
  builtInPrices,
  PRICE_KEYS,
  type PriceBook,
  type PriceKey,
  type PriceTable,
} from "./core/pricing.ts";
export {
  planResume,
  prepareResume,
  type ResumeOptions,
  type ResumePlan,
  type ResumeResult,
  type ResumeStep,
  resumeWorkflow,
} from "./core/resume.ts";
export { DIGEST_PARTS, type DigestPart, parseRunTags, RUN_TAG, type RunTags } from "./core/run_tags.ts";
export {
  type BackendKind,
  expectedValue,
  isSettingKey,
  parseSettingText,
  SETTING_DEFAULTS,
  SETTING_KEYS,
  type SettingHelp,
  settingHelp,
  type SettingKey,
  type Settings,
  type SseKind,
} from "./core/config_keys.ts";
export {
  configPath,
  type EnvRecord,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  readSettingsEnv,
  renderSettingsToml,
  saveConfig,
  type SaveConfigOptions,
  SETTING_ENV,
  type SettingSource,
} from "./core/config.ts";
export * from "./core/config_roles.ts";
export { type AwsClientOptions, DEFAULT_MAX_ATTEMPTS } from "./core/aws/clients.ts";
export { isThrottlingError, THROTTLING_CODES } from "./core/aws/errors.ts";
export { AwsBackend, type AwsBackendOptions } from "./core/aws/aws_backend.ts";
export { loadWorkflow, MAX_WORKFLOW_BYTES, parseWorkflow } from "./core/load.ts";
export {
  MAX_EC2_MEMORY_MIB,
  MAX_EC2_VCPUS,
  MAX_GPUS,
  MAX_TIMEOUT_SECONDS,
  MIN_TIMEOUT_SECONDS,
} from "./core/job_limits.ts";
export { defineWorkflow } from "./core/define.ts";
export type { LoadWorkflowOptions, ParseWorkflowOptions, WorkflowFormat } from "./core/load.ts";
export { workflowJsonSchema } from "./core/schema.ts";
export type {
  DependencyInput,
  JobInput,
  RetryInput,
  S3MountInput,
  S3MountsInput,
  Scalar,
  WorkflowInput,
} from "./core/schema.ts";
export { findCycle, topologicalOrder } from "./core/dag.ts";
export { FARGATE_SIZES, FARGATE_VCPUS, fargateMemoryChoices, isValidFargateSize } from "./core/fargate.ts";
export type { FargateSize } from "./core/fargate.ts";
export { bucketNameProblem, parseS3Uri, s3UriProblem } from "./core/s3_uri.ts";
export type { S3Location } from "./core/s3_uri.ts";
export { looksLikeSecretName, type SecretLikeName, secretLikeNames } from "./core/secret_names.ts";
export { saveWorkflow, workflowToJson, workflowToToml } from "./core/save.ts";
export * from "./core/jobs.ts";
export * from "./preloader/mod.ts";
export { LocalBackend, type LocalBackendOptions } from "./core/local/backend.ts";
export { type LocalSupervisorOptions, runLocalSupervisor } from "./core/local/supervisor.ts";
export type { Isolation, Runtime } from "./core/local/runner.ts";
