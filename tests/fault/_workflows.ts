/** Workflows for the fault tests. */
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "../../core/model.ts";
import { job as baseJob } from "../support/jobs.ts";

/** A valid EC2 job; `i` makes its command distinct. */
export function job(i: number, fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return baseJob({ command: `echo ${i}`, platform: "EC2", ...fields });
}

/** `n` jobs where job i waits for jobs i-1 and i/2 (when different and i > 0): a wide, deep DAG. */
export function dag(n: number, name = "wf"): EZBatchWorkflow {
  const jobs: Record<string, EZBatchJob> = {};
  const dependencies: Record<string, JobDependency[]> = {};
  for (let i = 0; i < n; i++) {
    jobs[`j${i}`] = job(i, i % 3 === 0 ? { image: "public.ecr.aws/docker/library/busybox:1.36" } : {});
    if (i === 0) continue;
    const deps = new Set([i - 1, Math.floor(i / 2)]);
    dependencies[`j${i}`] = [...deps].filter((d) => d !== i).map((d) => ({ job: `j${d}` }));
  }
  return { name, queue: "q", jobs, dependencies };
}

/** `n` independent jobs. */
export function wide(n: number, name = "wf"): EZBatchWorkflow {
  const jobs: Record<string, EZBatchJob> = {};
  for (let i = 0; i < n; i++) jobs[`j${i}`] = job(i);
  return { name, queue: "q", jobs, dependencies: {} };
}
