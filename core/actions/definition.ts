/**
 * Registering a job definition (`job-definition create`, and the definition a one-off `jobs submit` needs): the
 * roles, the public-IP choice and the content-addressed name are decided here, and an ACTIVE revision with the same
 * content is reused instead of registering a new one.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { JobDefinition, JobDefinitionInput } from "../backend_types.ts";
import { renderJobDefinition } from "../definitions.ts";
import { sameDefinitionContent } from "../definition_match.ts";
import { UsageError, WorkflowError } from "../errors.ts";
import type { EZBatchJob } from "../model.ts";
import { isValidResourceName } from "../names.ts";
import { type ActionSettings, definitionRoles, type GivenRoles } from "./roles.ts";

/** A definition found or registered. */
export interface EnsuredDefinition {
  /** Its name. */
  name: string;
  /** Its revision. */
  revision: number;
  /** Its ARN. */
  arn: string;
  /** True when an identical ACTIVE revision was reused. */
  reused: boolean;
}

/**
 * True when an ACTIVE definition has the same content as `input` (its name aside), compared on what we send with
 * the defaults AWS fills in normalised away (`core/definition_match.ts`).
 */
export function sameContent(found: JobDefinition, input: JobDefinitionInput): boolean {
  return sameDefinitionContent(found, input);
}

/** Registers `input`, or reuses the newest ACTIVE revision with the same name and content. */
export async function ensureDefinition(
  backend: Backend,
  input: JobDefinitionInput,
  options: { signal?: AbortSignal } = {},
): Promise<EnsuredDefinition> {
  const existing = await backend.describeJobDefinitions([input.jobDefinitionName], { signal: options.signal });
  const match = existing
    .filter((d) => d.jobDefinitionName === input.jobDefinitionName && d.status !== "INACTIVE" && sameContent(d, input))
    .sort((a, b) => b.revision - a.revision)[0];
  if (match) {
    return { name: match.jobDefinitionName, revision: match.revision, arn: match.jobDefinitionArn, reused: true };
  }
  const r = await backend.registerJobDefinition(input, { signal: options.signal });
  return { name: r.jobDefinitionName, revision: r.revision, arn: r.jobDefinitionArn, reused: false };
}

/** What a definition is made of, as a person gave it. */
export interface DefinitionRequest extends GivenRoles {
  /** The validated job. */
  job: EZBatchJob;
  /** Give Fargate tasks a public IP; default: the job's `assign_public_ip`, else the settings' `assignPublicIp`. */
  assignPublicIp?: boolean;
}

/** Options of the definition actions. */
export interface ActionOptions {
  /** The settings (config file and environment). */
  settings: ActionSettings;
  /** Aborts the calls. */
  signal?: AbortSignal;
}

/** Whether Fargate tasks of `job` get a public IP: the request, the job, then the settings. */
export function publicIpOf(request: Pick<DefinitionRequest, "assignPublicIp" | "job">, settings: ActionSettings) {
  return request.assignPublicIp ?? request.job.assign_public_ip ?? settings.assignPublicIp ?? false;
}

/**
 * The definition a job needs: roles from the request, the settings or the account's default, then rendered.
 * `standalone` embeds the job's command, size, retry and timeout (a definition registered on its own).
 * @throws {UsageError} When the job cannot be rendered (e.g. too large).
 */
export async function definitionInput(
  backend: Backend,
  request: DefinitionRequest,
  options: ActionOptions & { standalone?: boolean },
): Promise<JobDefinitionInput> {
  const roles = await definitionRoles(backend, options.settings, request, request.job.platform);
  try {
    // The choice is made here (request, job, settings) and rides on the job, where the renderer reads it first.
    const job = { ...request.job, assign_public_ip: publicIpOf(request, options.settings) };
    return renderJobDefinition(job, { ...roles, ...(options.standalone ? { standalone: true } : {}) });
  } catch (error) {
    if (error instanceof WorkflowError) throw new UsageError(error.issues.map((i) => i.message).join("; "));
    throw error;
  }
}

/** `job-definition create`: a definition registered on its own, with an optional name and tags. */
export interface RegisterRequest extends DefinitionRequest {
  /** The name; default content-addressed (`ezbatch-<image>-<hash>`). */
  name?: string;
  /** Tags of the definition. */
  tags?: Record<string, string>;
}

/**
 * Registers the definition of a job (or reuses an identical ACTIVE one); `message` says which.
 * @throws {UsageError} For a name AWS would refuse, or a job that cannot be rendered.
 */
export async function registerDefinition(
  backend: Backend,
  request: RegisterRequest,
  options: ActionOptions,
): Promise<EnsuredDefinition & { message: string }> {
  if (request.name !== undefined && !isValidResourceName(request.name)) {
    throw new UsageError(
      `Job definition name '${request.name}' is not valid: use 1 to 128 letters, digits, '-' and '_'`,
    );
  }
  const input = await definitionInput(backend, request, { ...options, standalone: true });
  if (request.name) input.jobDefinitionName = request.name;
  if (request.tags) input.tags = request.tags;
  const result = await ensureDefinition(backend, input, options);
  return {
    ...result,
    message: result.reused ? "An identical definition exists: reusing it." : "Registered a new revision.",
  };
}
