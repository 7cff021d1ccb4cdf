/** Small builders of validated jobs and workflows for the core tests. */
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "../../core/model.ts";

import { job } from "../support/jobs.ts";

export { job };

/** A workflow of the given jobs; `deps` maps a job to the plain names it waits for. */
export function workflow(
  jobs: Record<string, EZBatchJob>,
  deps: Record<string, (string | JobDependency)[]> = {},
  fields: Partial<EZBatchWorkflow> = {},
): EZBatchWorkflow {
  const dependencies = Object.fromEntries(
    Object.entries(deps).map(([k, v]) => [k, v.map((d) => typeof d === "string" ? { job: d } : d)]),
  );
  return { name: "wf", queue: "q", jobs, dependencies, ...fields };
}

/** A chain a -> b -> c ... of n EC2 jobs. */
export function chain(n: number): EZBatchWorkflow {
  const jobs: Record<string, EZBatchJob> = {};
  const deps: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    jobs[`j${i}`] = job({ platform: "EC2", command: `echo ${i}` });
    if (i > 0) deps[`j${i}`] = [`j${i - 1}`];
  }
  return workflow(jobs, deps);
}

/** Options every Fargate plan needs. */
export const ROLES = {
  executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  jobRoleArn: "arn:aws:iam::123456789012:role/ezbatch-job",
};

/**
 * A job's tags with the run's digests checked for their shape and replaced by `<plan>` and `<digest>`, so a test can
 * compare the rest exactly.
 */
export function shapedTags(tags: Record<string, string> | undefined): Record<string, string> {
  const out = { ...tags };
  if (out["ezbatch:plan"] !== undefined) {
    if (!/^[0-9a-f]{16}$/.test(out["ezbatch:plan"])) throw new Error(`Bad plan digest '${out["ezbatch:plan"]}'`);
    out["ezbatch:plan"] = "<plan>";
  }
  const digest = out["ezbatch:digest"];
  if (digest !== undefined) {
    const parts =
      /^def=[0-9a-f]{10} cmd=[0-9a-f]{10} env=[0-9a-f]{10} res=[0-9a-f]{10} deps=[0-9a-f]{10} array=[0-9a-f]{10} retry=[0-9a-f]{10} timeout=[0-9a-f]{10} sched=[0-9a-f]{10}$/;
    if (!parts.test(digest)) throw new Error(`Bad request digest '${digest}'`);
    out["ezbatch:digest"] = "<digest>";
  }
  return out;
}

/** The run tags of a job of a run of `jobs` jobs, as {@link shapedTags} shows them. */
export function runTags(workflow: string, runId: string, job: string, jobs: number): Record<string, string> {
  return {
    "ezbatch:workflow": workflow,
    "ezbatch:run": runId,
    "ezbatch:job": job,
    "ezbatch:jobs": String(jobs),
    "ezbatch:plan": "<plan>",
    "ezbatch:digest": "<digest>",
  };
}
