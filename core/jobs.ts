/**
 * Job helpers shared by the CLI and the TUI, written against the `Backend` interface only: stop a job with the
 * right call, find and follow its logs, list every page, watch jobs to the end, explain a stuck RUNNABLE job.
 * @module
 */
export { DEFAULT_STOP_REASON, MAX_STOP_REASON_LENGTH, stopActionFor, stopJob, stopJobs } from "./job_stop.ts";
export type { StopOptions, StopResult } from "./job_stop.ts";
export { followLog, logLocationsOf } from "./job_logs.ts";
export type { FollowLogOptions, JobLogEvent, JobLogLocation, LogLocationOptions } from "./job_logs.ts";
export { listAllComputeEnvironments, listAllJobQueues, listAllJobs } from "./job_list.ts";
export type { ListAllJobsOptions, ListAllOptions } from "./job_list.ts";
export { describeJob, isFinished, watchJobs } from "./job_watch.ts";
export type { DescribeJobOptions, JobsSnapshot, WatchJobsOptions } from "./job_watch.ts";
export { runnableReasons } from "./job_runnable.ts";
export type { ResourceHealth, RunnableDiagnosis } from "./job_runnable.ts";
