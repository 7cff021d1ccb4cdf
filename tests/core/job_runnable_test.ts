import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { runnableReasons } from "../../core/jobs.ts";

Deno.test("runnableReasons() reports the queue's and its compute environments' states and reasons", async () => {
  const backend = new MemoryBackend();
  await backend.createComputeEnvironment({
    computeEnvironmentName: "ok",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 16, subnets: ["subnet-1"] },
  });
  await backend.createComputeEnvironment({
    computeEnvironmentName: "broken",
    type: "MANAGED",
    state: "DISABLED",
    computeResources: { type: "EC2", maxvCpus: 0, subnets: ["subnet-1"] },
  });
  Object.assign(backend.computeEnvironments.get("broken")!, {
    status: "INVALID",
    statusReason: "CLIENT_ERROR - Instance profile not found",
  });
  await backend.createJobQueue({
    jobQueueName: "q",
    state: "ENABLED",
    priority: 5,
    computeEnvironmentOrder: [
      { order: 2, computeEnvironment: "broken" },
      { order: 1, computeEnvironment: "arn:aws:batch:us-east-1:123456789012:compute-environment/ok" },
      { order: 3, computeEnvironment: "gone" },
    ],
  });
  const { jobId } = await backend.submitJob({
    jobName: "stuck",
    jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
    jobDefinition: "d:1",
  });
  backend.setJobStatus(jobId, "RUNNABLE");
  const [detail] = await backend.describeJobs([jobId]);
  const diagnosis = await runnableReasons(backend, detail!);
  assert.deepEqual(diagnosis.queue, {
    name: "q",
    arn: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
    state: "ENABLED",
    status: "VALID",
    priority: 5,
  });
  assert.deepEqual(diagnosis.computeEnvironments.map((c) => [c.name, c.state, c.status, c.type, c.maxvCpus]), [
    ["ok", "ENABLED", "VALID", "FARGATE", 16],
    ["broken", "DISABLED", "INVALID", "EC2", 0],
  ]);
  assert.deepEqual(diagnosis.problems, [
    "Compute environment 'broken' is DISABLED: it takes no new work until enabled",
    "Compute environment 'broken' is INVALID: CLIENT_ERROR - Instance profile not found",
    "Compute environment 'broken' has maxvCpus 0: it can run nothing",
    "Compute environment 'gone' of queue 'q' does not exist",
  ]);
  assert.equal(backend.calls.describeComputeEnvironments, 1, "one call for all of the queue's environments");
});

Deno.test("runnableReasons() says so when the job's queue is gone or disabled", async () => {
  const backend = new MemoryBackend();
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "nowhere", jobDefinition: "d:1" });
  const [detail] = await backend.describeJobs([jobId]);
  assert.deepEqual(await runnableReasons(backend, detail!), {
    computeEnvironments: [],
    problems: ["Job queue 'nowhere' does not exist any more"],
  });
  await backend.createJobQueue({
    jobQueueName: "nowhere",
    state: "DISABLED",
    priority: 1,
    computeEnvironmentOrder: [],
  });
  assert.deepEqual((await runnableReasons(backend, detail!)).problems, [
    "Job queue 'nowhere' is DISABLED: it takes no new work until enabled",
    "Job queue 'nowhere' has no compute environment",
  ]);
});
