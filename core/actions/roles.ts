/**
 * The roles of a job definition, decided once for every face: given roles, then the settings (the job role
 * defaults to the execution role); a Fargate job with neither gets the backend's default: on AWS the account's
 * `ecsTaskExecutionRole` (the account id is looked up through STS, once, only then), locally a stand-in.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { Settings } from "../config_keys.ts";
import { resolveRoleArns } from "../config_roles.ts";
import type { Platform } from "../model.ts";

/** Execution role of Fargate definitions on the local backend, which runs no ECS task and needs none. */
export const LOCAL_EXECUTION_ROLE = "arn:aws:iam::000000000000:role/ezbatch-local";

/** Roles a person gave for one action (flags, form answers); absent ones come from the settings. */
export interface GivenRoles {
  /** Execution role ARN. */
  executionRole?: string;
  /** Role the job runs as. */
  jobRole?: string;
}

/** The settings the actions read; every key may be absent. */
export type ActionSettings = Partial<Settings>;

/**
 * The default execution and job roles when the settings name none: on AWS the account's `ecsTaskExecutionRole`,
 * on the local backend a stand-in (it runs no ECS task).
 */
export async function defaultExecutionRoles(
  backend: Backend,
  settings: ActionSettings,
): Promise<{ executionRoleArn: string; jobRoleArn: string }> {
  const clients = (backend as { clients?: { accountId(): Promise<string> } }).clients;
  if (backend.kind === "local" || !clients) {
    return { executionRoleArn: LOCAL_EXECUTION_ROLE, jobRoleArn: LOCAL_EXECUTION_ROLE };
  }
  const roles = await resolveRoleArns(settings, { accountId: () => clients.accountId() });
  return { executionRoleArn: roles.executionRoleArn, jobRoleArn: roles.taskRoleArn };
}

/** The execution and job role ARNs of a definition for a job on `platform`. */
export async function definitionRoles(
  backend: Backend,
  settings: ActionSettings,
  given: GivenRoles,
  platform: Platform,
): Promise<{ executionRoleArn?: string; jobRoleArn?: string }> {
  const roles: { executionRoleArn?: string; jobRoleArn?: string } = {};
  const execution = given.executionRole ?? settings.executionRoleArn;
  if (execution) roles.executionRoleArn = execution;
  const jobRole = given.jobRole ?? settings.taskRoleArn ?? execution;
  if (jobRole) roles.jobRoleArn = jobRole;
  if (!execution && platform === "FARGATE") {
    const fallback = await defaultExecutionRoles(backend, settings);
    roles.executionRoleArn = fallback.executionRoleArn;
    roles.jobRoleArn ??= fallback.jobRoleArn;
  }
  return roles;
}
