/**
 * The environment a local job sees: this machine's environment (so PATH, HOME and AWS credentials work), then the
 * definition's environment with the submission's overrides, then the variables AWS Batch sets in every container
 * (AWS_BATCH_JOB_ID, AWS_BATCH_JOB_ATTEMPT, AWS_BATCH_JQ_NAME, AWS_BATCH_CE_NAME and, in array children,
 * AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE). Secrets cannot be fetched from Secrets Manager locally:
 * a secret is filled from a variable of the same name in this machine's environment, else left unset with a
 * warning in the job's log.
 * @module
 */
import type { RunnableJob } from "./_types.ts";
import { nodeEnvironment } from "./features.ts";

/** Where the job was placed. */
export interface Placement {
  /** Queue name. */
  queue: string;
  /** Compute environment name. */
  computeEnvironment: string;
  /** Size of the parent, for an array child. */
  arraySize?: number;
  /** 1-based attempt. */
  attempt: number;
}

/** Builds the environment of one attempt; returns it and any warnings for the log. */
export function jobEnvironment(
  job: RunnableJob,
  placement: Placement,
  host: Record<string, string> = Deno.env.toObject(),
): { env: Record<string, string>; warnings: string[] } {
  const env: Record<string, string> = { ...host };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_BATCH_")) delete env[key];
  const warnings: string[] = [];
  for (const secret of job.spec.secrets) {
    const value = host[secret.name];
    if (value !== undefined) env[secret.name] = value;
    else {
      warnings.push(
        `Secret '${secret.name}' (${secret.valueFrom}) is not fetched locally and no variable '${secret.name}' is set: left unset`,
      );
    }
  }
  for (const { name, value } of job.spec.environment) env[name] = value;
  env.AWS_BATCH_JOB_ID = job.jobId;
  env.AWS_BATCH_JOB_ATTEMPT = String(placement.attempt);
  env.AWS_BATCH_JQ_NAME = placement.queue;
  env.AWS_BATCH_CE_NAME = placement.computeEnvironment;
  if (job.spec.features?.nodes) Object.assign(env, nodeEnvironment(job.spec.features, job.arrayIndex));
  else if (job.arrayIndex !== undefined) {
    env.AWS_BATCH_JOB_ARRAY_INDEX = String(job.arrayIndex);
    if (placement.arraySize !== undefined) env.AWS_BATCH_JOB_ARRAY_SIZE = String(placement.arraySize);
  }
  return { env, warnings };
}
