/**
 * The plan and submit options of a workflow run, decided once for every face (`workflow plan|submit|resume` and the
 * interactive workflow editor): what was given, then the settings; with the local backend its own queue; and, only
 * when a Fargate job would otherwise have no execution role, the backend's default role (on AWS the account's
 * `ecsTaskExecutionRole`, found through STS).
 * @module
 */
import type { Backend } from "../backend.ts";
import type { EZBatchWorkflow } from "../model.ts";
import type { PlanOptions } from "../plan.ts";
import { DEFAULT_LOCAL_QUEUE } from "../local/registry.ts";
import { type ActionSettings, defaultExecutionRoles } from "./roles.ts";

/** What a person gave for one run (flags, form answers); absent values come from the settings. */
export interface RunRequest {
  /** Queue of jobs whose file names none. */
  queue?: string;
  /** The run id. */
  runId?: string;
  /** Execution role ARN. */
  executionRole?: string;
  /** Role the jobs run as. */
  jobRole?: string;
  /** The run goes to the local backend. */
  local?: boolean;
}

/** Plan options from what was given and the settings; no call is made (`workflow plan` works offline). */
export function runOptions(settings: ActionSettings, given: RunRequest = {}): PlanOptions {
  const options: PlanOptions = {};
  const queue = given.queue ?? settings.queue ?? (given.local ? DEFAULT_LOCAL_QUEUE : undefined);
  if (queue) options.queue = queue;
  if (given.runId) options.runId = given.runId;
  const executionRoleArn = given.executionRole ?? settings.executionRoleArn;
  if (executionRoleArn) options.executionRoleArn = executionRoleArn;
  const jobRoleArn = given.jobRole ?? settings.taskRoleArn ?? executionRoleArn;
  if (jobRoleArn) options.jobRoleArn = jobRoleArn;
  if (settings.assignPublicIp !== undefined) options.assignPublicIp = settings.assignPublicIp;
  if (settings.sse) options.sse = settings.sse;
  if (settings.sseKmsKeyId) options.sseKmsKeyId = settings.sseKmsKeyId;
  return options;
}

/**
 * The options a submission (or resume) uses: `options` plus, when a Fargate job of `workflow` would have no execution
 * role, the backend's default roles (one STS call on AWS, only then).
 */
export async function submitRunOptions<T extends PlanOptions>(
  backend: Backend,
  workflow: EZBatchWorkflow,
  settings: ActionSettings,
  options: T,
): Promise<T> {
  const fargate = Object.values(workflow.jobs).some((j) => j.platform === "FARGATE");
  if (!fargate || options.executionRoleArn) return options;
  const roles = await defaultExecutionRoles(backend, settings);
  return { ...options, executionRoleArn: roles.executionRoleArn, jobRoleArn: options.jobRoleArn ?? roles.jobRoleArn };
}
