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
export { LocalBackend, type LocalBackendOptions } from "./core/local/backend.ts";
export { type LocalSupervisorOptions, runLocalSupervisor } from "./core/local/supervisor.ts";
export type { Isolation, Runtime } from "./core/local/runner.ts";
