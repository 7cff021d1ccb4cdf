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
