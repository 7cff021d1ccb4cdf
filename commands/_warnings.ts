/**
 * Warnings about plain environment variables whose names look like secrets. Their values would be stored in the job
 * definition or the SubmitJob request, readable by anyone who may describe Batch jobs; `secrets` (valueFrom a
 * Secrets Manager or SSM ARN) keeps them out. A warning on stderr, never an error: `TOKEN_LIMIT` may be harmless.
 * @module
 */
import type { EZBatchWorkflow } from "../core/model.ts";
import type { JobFeatures } from "../core/job_features.ts";
import { localFeatureNotes } from "../core/job_features_local.ts";
import { looksLikeSecretName, secretLikeNames } from "../core/secret_names.ts";
import type { CliContext } from "./context.ts";

/**
 * Warns about each environment variable (or matrix key) of `workflow` whose name looks like a secret. `label`
 * (e.g. the file name) starts each warning, for commands that read several files.
 */
export function warnSecretLikeNames(ctx: CliContext, workflow: EZBatchWorkflow, label?: string): void {
  for (const found of secretLikeNames(workflow)) ctx.warn(label ? `${label}: ${found.message}` : found.message);
}

/** Warns about each `--env` variable of the job `jobName` whose name looks like a secret, suggesting `--secret`. */
export function warnSecretLikeEnv(ctx: CliContext, jobName: string, names: Iterable<string>): void {
  for (const name of [...new Set(names)].filter(looksLikeSecretName).sort()) {
    ctx.warn(
      `Job '${jobName}' sets environment variable '${name}' in plain text, visible in the job and DescribeJobs: ` +
        `if it is a secret, pass it as one of the job's secrets instead: --secret ${name}=<Secrets Manager or SSM ` +
        "parameter ARN> (valueFrom)",
    );
  }
}

/** On the local backend, warns about each job's features that it ignores or applies only in docker or podman. */
export function warnLocalFeatures(ctx: CliContext, kind: "aws" | "local", jobs: Record<string, JobFeatures>): void {
  if (kind !== "local") return;
  for (const [name, job] of Object.entries(jobs)) for (const line of localFeatureNotes(name, job)) ctx.warn(line);
}
