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
