import assert from "node:assert/strict";
import { MemoryBackend } from "./memory_backend.ts";
import { AwsCallError } from "../../core/errors.ts";

const job = { jobName: "a", jobQueue: "q", jobDefinition: "d:1" };

Deno.test("MemoryBackend lists jobs page by page with the AWS default of RUNNING only", async () => {
  const b = new MemoryBackend();
  for (let i = 0; i < 5; i++) await b.submitJob(job);
  const ids = [...b.jobs.keys()];
  for (const id of ids.slice(0, 3)) b.setJobStatus(id, "RUNNING");
  const first = await b.listJobs({ jobQueue: "q" }, { maxResults: 2 });
  assert.equal(first.jobs.length, 2);
  const second = await b.listJobs({ jobQueue: "q" }, { maxResults: 2, nextToken: first.nextToken! });
  assert.equal(second.jobs.length, 1);
  assert.equal(second.nextToken, undefined);
  const byName = await b.listJobs({ jobQueue: "q", filter: { name: "JOB_NAME", values: ["A*"] } });
  assert.equal(byName.jobs.length, 5);
});

Deno.test("MemoryBackend throttles above its rate with TooManyRequestsException", async () => {
  let now = 0;
  const b = new MemoryBackend({ ratePerSecond: 2, now: () => now });
  await b.submitJob(job);
  await b.submitJob(job);
  await assert.rejects(b.submitJob(job), (e) => e instanceof AwsCallError && e.code === "TooManyRequestsException");
  now = 1000;
  await b.submitJob(job);
  assert.equal(b.calls.submitJob, 4);
});

Deno.test("MemoryBackend cancel affects only jobs that have not started; terminate stops running ones", async () => {
  const b = new MemoryBackend();
  const { jobId } = await b.submitJob(job);
  b.setJobStatus(jobId, "RUNNING");
  await b.cancelJob(jobId, "stop");
  assert.equal(b.jobs.get(jobId)!.status, "RUNNING");
  await b.terminateJob(jobId, "stop");
  assert.equal(b.jobs.get(jobId)!.status, "FAILED");
  assert.equal(b.jobs.get(jobId)!.isTerminated, true);
});

Deno.test("MemoryBackend serves logs with a forward token and reports missing streams", async () => {
  const b = new MemoryBackend();
  assert.equal((await b.getLogEvents({ group: "/aws/batch/job", stream: "s" })).exists, false);
  b.appendLog("s", ["one", "two"]);
  const page = await b.getLogEvents({ group: "/aws/batch/job", stream: "s" }, { startFromHead: true });
  assert.deepEqual(page.events.map((e) => e.message), ["one", "two"]);
  const next = await b.getLogEvents({ group: "/aws/batch/job", stream: "s" }, { nextToken: page.nextForwardToken! });
  assert.equal(next.events.length, 0);
  assert.equal(next.nextForwardToken, page.nextForwardToken);
});

Deno.test("MemoryBackend answers as AWS: array children in queue listings, parents without startedAt, ARNs", async () => {
  const backend = new MemoryBackend();
  await backend.createJobQueue({
    jobQueueName: "q",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "ce" }],
  });
  const { jobId } = await backend.submitJob({
    jobName: "sweep",
    jobQueue: "q",
    jobDefinition: "d",
    arrayProperties: { size: 3 },
  });
  backend.setJobStatus(jobId, "RUNNING");
  backend.setJobStatus(`${jobId}:1`, "SUCCEEDED", { exitCode: 0 });
  const listed = (await backend.listJobs({ jobQueue: "q", jobStatus: "RUNNING" })).jobs.map((j) => j.jobId);
  assert.deepEqual(listed, [`${jobId}:0`, `${jobId}:2`], "the parent is PENDING; its running children are listed");
  const [parent] = await backend.describeJobs([jobId]);
  assert.equal(parent!.status, "PENDING");
  assert.equal(parent!.startedAt, undefined);
  assert.deepEqual(parent!.arrayProperties?.statusSummary, {
    SUBMITTED: 0,
    PENDING: 0,
    RUNNABLE: 0,
    STARTING: 0,
    RUNNING: 2,
    SUCCEEDED: 1,
    FAILED: 0,
  });
  assert.equal(parent!.jobQueue, "arn:aws:batch:us-east-1:123456789012:job-queue/q");
  assert.equal(parent!.jobDefinition, "arn:aws:batch:us-east-1:123456789012:job-definition/d:1");
  const [queue] = (await backend.describeJobQueues(["q"])).jobQueues;
  assert.equal(
    queue!.computeEnvironmentOrder[0]!.computeEnvironment,
    "arn:aws:batch:us-east-1:123456789012:compute-environment/ce",
  );
  const children = (await backend.listJobs({ arrayJobId: jobId, jobStatus: "SUCCEEDED" })).jobs;
  assert.deepEqual(children.map((c) => [c.jobId, c.arrayProperties]), [[`${jobId}:1`, { index: 1 }]]);
});
