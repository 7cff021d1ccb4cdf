/**
 * A MemoryBackend with two queues, a workflow run and a few loose jobs whose states move on a timer: used by the
 * tmux script and for trying the monitor by hand (`deno run -A tests/tui/_demo_monitor.ts`).
 */
import { MemoryBackend, type MemoryBackendOptions } from "../support/memory_backend.ts";
import type { JobStatus } from "../../core/backend_types.ts";

/** Fills a MemoryBackend with queues, environments, a workflow run and loose jobs. */
export async function demoBackend(options: MemoryBackendOptions = {}): Promise<MemoryBackend> {
  const backend = new MemoryBackend(options);
  await backend.createComputeEnvironment({
    computeEnvironmentName: "fargate-env",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 16, subnets: ["subnet-1"] },
  });
  await backend.createComputeEnvironment({
    computeEnvironmentName: "spot-env",
    type: "MANAGED",
    state: "DISABLED",
    computeResources: { type: "SPOT", maxvCpus: 64, subnets: ["subnet-1"] },
  });
  backend.computeEnvironments.get("spot-env")!.statusReason = "Instance type c5.large is not available in us-east-1e";
  await backend.createJobQueue({
    jobQueueName: "main-queue",
    priority: 1,
    state: "ENABLED",
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "fargate-env" }],
  });
  await backend.createJobQueue({
    jobQueueName: "spot-queue",
    priority: 1,
    state: "ENABLED",
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "spot-env" }],
  });
  const steps: [string, JobStatus, number?][] = [
    ["prepare", "SUCCEEDED", 0],
    ["train", "RUNNING"],
    ["evaluate", "PENDING"],
    ["report", "PENDING"],
  ];
  for (const [job, status, exitCode] of steps) {
    const { jobId } = await backend.submitJob({
      jobName: `demo-ab12cd-${job}`,
      jobQueue: "main-queue",
      jobDefinition: "ezbatch-1a2b:1",
      tags: { "ezbatch:workflow": "demo", "ezbatch:run": "ab12cd", "ezbatch:job": job },
    });
    if (status === "SUCCEEDED") backend.setJobStatus(jobId, "RUNNING");
    backend.setJobStatus(jobId, status, exitCode === undefined ? {} : { exitCode });
    backend.appendLog(`ezbatch/default/${jobId}`, [`starting ${job}`, `${job}: step 1 of 3`]);
  }
  for (let i = 1; i <= 3; i++) {
    const { jobId } = await backend.submitJob({
      jobName: `loose-job-${i}`,
      jobQueue: i === 3 ? "spot-queue" : "main-queue",
      jobDefinition: "adhoc:1",
    });
    backend.setJobStatus(jobId, i === 1 ? "FAILED" : "RUNNABLE", i === 1 ? { exitCode: 2, reason: "Bad input" } : {});
  }
  return backend;
}

/** Appends a log line to every RUNNING job each `ms`, until the signal aborts. */
export function keepLogging(backend: MemoryBackend, ms: number, signal: AbortSignal): void {
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    for (const job of backend.jobs.values()) {
      const stream = job.container?.logStreamName;
      if (job.status === "RUNNING" && stream) backend.appendLog(stream, [`${job.jobName}: tick ${tick}`]);
    }
  }, ms);
  signal.addEventListener("abort", () => clearInterval(timer));
}

/**
 * Adds a run's array job of `size` children to main-queue (`demo-ab12cd-sweep`): the first two succeed, the rest
 * run, so the parent stays PENDING as on AWS. Returns the parent's id.
 */
export async function addSweep(backend: MemoryBackend, size = 5): Promise<string> {
  const { jobId } = await backend.submitJob({
    jobName: "demo-ab12cd-sweep",
    jobQueue: "main-queue",
    jobDefinition: "ezbatch-1a2b:1",
    arrayProperties: { size },
    tags: { "ezbatch:workflow": "demo", "ezbatch:run": "ab12cd", "ezbatch:job": "sweep" },
  });
  backend.setJobStatus(jobId, "PENDING"); // the parent, and its children with it
  for (let i = 0; i < size; i++) {
    const child = `${jobId}:${i}`;
    backend.setJobStatus(child, "RUNNING");
    backend.appendLog(`ezbatch/default/${jobId}/${i}`, [`sweep child ${i}: LR=0.${i}`]);
    if (i < 2) backend.setJobStatus(child, "SUCCEEDED", { exitCode: 0 });
  }
  return jobId;
}
