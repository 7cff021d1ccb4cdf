/**
 * The workflows the benchmarks submit, and the lower bound of each: the least wall time any client could take
 * against a service with a fixed latency per call and a request-rate quota.
 * @module
 */
import type { EZBatchJob, EZBatchWorkflow, JobDependency } from "../core/model.ts";
import { job } from "../tests/support/jobs.ts";

/** A benchmark workflow with its shape. */
export interface BenchWorkflow {
  /** Label in the tables. */
  label: string;
  /** The workflow. */
  workflow: EZBatchWorkflow;
  /** SubmitJob calls the least any client needs (a matrix is one array job). */
  submitCalls: number;
  /** The same work as the Python ezbatch submits it (it had no array jobs: one job per matrix combination). */
  python: EZBatchWorkflow;
  /** Longest dependency path, in jobs. */
  depth: number;
}

/** A valid EC2 job (no roles needed); `i` varies the command so each job has its own overrides. */
export function benchJob(i: number, fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return job({ command: `echo step ${i}`, environment: { STEP: String(i) }, platform: "EC2", ...fields });
}

function make(name: string, jobs: Record<string, EZBatchJob>, deps: Record<string, string[]>): EZBatchWorkflow {
  const dependencies: Record<string, JobDependency[]> = {};
  for (const [k, v] of Object.entries(deps)) dependencies[k] = v.map((job) => ({ job }));
  return { name, queue: "bench-queue", jobs, dependencies };
}

/** `n` jobs with no dependencies. */
export function independent(n: number): BenchWorkflow {
  const jobs: Record<string, EZBatchJob> = {};
  for (let i = 0; i < n; i++) jobs[`j${i}`] = benchJob(i);
  return {
    label: `${n} independent jobs`,
    workflow: make("wide", jobs, {}),
    submitCalls: n,
    depth: 1,
    python: make("wide", jobs, {}),
  };
}

/** `n` jobs, each waiting for the one before. */
export function chain(n: number): BenchWorkflow {
  const jobs: Record<string, EZBatchJob> = {};
  const deps: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    jobs[`j${i}`] = benchJob(i);
    if (i > 0) deps[`j${i}`] = [`j${i - 1}`];
  }
  const workflow = make("chain", jobs, deps);
  return { label: `${n}-job chain`, workflow, submitCalls: n, depth: n, python: workflow };
}

/** Layers 1, 3, 6, 10, 10, 10, 6, 3, 1 (50 jobs); each job waits for every job of the layer before (at most 10). */
export function diamond(): BenchWorkflow {
  const layers = [1, 3, 6, 10, 10, 10, 6, 3, 1];
  const jobs: Record<string, EZBatchJob> = {};
  const deps: Record<string, string[]> = {};
  let previous: string[] = [];
  let i = 0;
  layers.forEach((width, layer) => {
    const current: string[] = [];
    for (let k = 0; k < width; k++) {
      const name = `l${layer}_${k}`;
      jobs[name] = benchJob(i++);
      if (previous.length) deps[name] = [...previous];
      current.push(name);
    }
    previous = current;
  });
  const workflow = make("diamond", jobs, deps);
  return { label: `${i}-job diamond DAG`, workflow, submitCalls: i, depth: layers.length, python: workflow };
}

/** One job with a 4x5 matrix: 20 combinations, one array job. */
export function matrix(): BenchWorkflow {
  const job = benchJob(0, {
    command: "echo lr=$LR depth=$DEPTH",
    matrix: { LR: ["0.1", "0.03", "0.01", "0.003"], DEPTH: ["2", "3", "4", "5", "6"] },
  });
  const { matrix: sweep, ...single } = job;
  const children: Record<string, EZBatchJob> = {};
  for (const lr of sweep!.LR!) {
    for (const depth of sweep!.DEPTH!) {
      children[`train_${lr.replace(".", "_")}_${depth}`] = { ...single, environment: { LR: lr, DEPTH: depth } };
    }
  }
  return {
    label: "4x5 matrix",
    workflow: make("sweep", { train: job }, {}),
    submitCalls: 1,
    depth: 1,
    python: make("sweep", children, {}),
  };
}

/**
 * The least wall time in seconds: `calls / rate` for wide workflows (the quota binds), `depth x latency` for deep
 * ones (each submit needs the previous job's id), whichever is larger.
 */
export function lowerBoundSeconds(w: BenchWorkflow, latencyMs: number, ratePerSecond: number): number {
  return Math.max(w.submitCalls / ratePerSecond, (w.depth * latencyMs) / 1000);
}
