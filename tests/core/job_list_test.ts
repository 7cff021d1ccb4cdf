import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { FakeClock } from "../support/fake_clock.ts";
import { listAllComputeEnvironments, listAllJobQueues, listAllJobs } from "../../core/jobs.ts";
import type { JobStatus } from "../../core/backend_types.ts";
import { AwsCallError } from "../../core/errors.ts";

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

async function seed(backend: MemoryBackend, n: number, status: JobStatus): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { jobId } = await backend.submitJob({ jobName: `${status}-${i}`, jobQueue: "q", jobDefinition: "d:1" });
    if (status !== "SUBMITTED") backend.setJobStatus(jobId, status);
  }
}

Deno.test("listAllJobs() follows nextToken over every page", async () => {
  const backend = new MemoryBackend();
  await seed(backend, 250, "RUNNING");
  await seed(backend, 3, "FAILED");
  const jobs = await collect(listAllJobs(backend, { jobQueue: "q" }, { pageSize: 100 }));
  assert.equal(jobs.length, 250, "no status = RUNNING only, as ListJobs");
  assert.equal(new Set(jobs.map((j) => j.jobId)).size, 250);
  assert.equal(backend.calls.listJobs, 3);
});

Deno.test("listAllJobs() with allStatuses lists every state once, in lifecycle order", async () => {
  const backend = new MemoryBackend();
  await seed(backend, 2, "FAILED");
  await seed(backend, 1, "RUNNABLE");
  await seed(backend, 1, "SUCCEEDED");
  const jobs = await collect(listAllJobs(backend, { jobQueue: "q" }, { allStatuses: true }));
  assert.deepEqual(jobs.map((j) => j.jobName), ["RUNNABLE-0", "SUCCEEDED-0", "FAILED-0", "FAILED-1"]);
  assert.equal(backend.calls.listJobs, 7);
  const filtered = await collect(
    listAllJobs(backend, { jobQueue: "q", filter: { name: "JOB_NAME", values: ["failed*"] } }, { allStatuses: true }),
  );
  assert.equal(filtered.length, 2, "a filter already covers every state: one listing");
  assert.equal(backend.calls.listJobs, 8);
});

Deno.test("listAllJobs() retries a throttled page with backoff, then gives up with the error", async () => {
  const throttled = () =>
    new AwsCallError({ service: "Batch", operation: "ListJobs", code: "TooManyRequestsException" }, "Slow down");
  const flaky = new MemoryBackend({ fault: (op, n) => op === "listJobs" && n === 2 ? throttled() : undefined });
  await seed(flaky, 5, "RUNNING");
  const clock = new FakeClock();
  const jobs = await collect(listAllJobs(flaky, { jobQueue: "q" }, { pageSize: 2, clock }));
  assert.equal(jobs.length, 5);
  assert.deepEqual(clock.sleeps, [500]);

  const down = new MemoryBackend({ fault: (op) => op === "listJobs" ? throttled() : undefined });
  const clock2 = new FakeClock();
  await assert.rejects(collect(listAllJobs(down, { jobQueue: "q" }, { clock: clock2 })), /Slow down/);
  assert.equal(clock2.sleeps.length, 6);
});

Deno.test("listAllJobQueues() and listAllComputeEnvironments() follow every page", async () => {
  const backend = new MemoryBackend();
  for (let i = 0; i < 5; i++) {
    await backend.createComputeEnvironment({
      computeEnvironmentName: `ce${i}`,
      type: "MANAGED",
      computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["subnet-1"] },
    });
    await backend.createJobQueue({
      jobQueueName: `q${i}`,
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: `ce${i}` }],
    });
  }
  const queues = await collect(listAllJobQueues(backend, undefined, { pageSize: 2 }));
  assert.deepEqual(queues.map((q) => q.jobQueueName), ["q0", "q1", "q2", "q3", "q4"]);
  assert.equal(backend.calls.describeJobQueues, 3);
  const ces = await collect(listAllComputeEnvironments(backend, ["ce1", "ce3"]));
  assert.deepEqual(ces.map((c) => c.computeEnvironmentName), ["ce1", "ce3"]);
});

Deno.test("listAllJobs() asks for the first page of every status at once and yields them in lifecycle order", async () => {
  let inFlight = 0;
  let most = 0;
  const asked: string[] = [];
  const backend = {
    async listJobs(query: { jobStatus?: JobStatus }, options: { nextToken?: string }) {
      inFlight++;
      most = Math.max(most, inFlight);
      asked.push(`${query.jobStatus}:${options.nextToken ?? ""}`);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      const status = query.jobStatus!;
      // RUNNING has a second page: it is read after the first, in order.
      const page = options.nextToken ? 2 : 1;
      return {
        jobs: [{ jobId: `${status}-${page}`, jobName: "j", status, createdAt: 1 }],
        ...(status === "RUNNING" && page === 1 ? { nextToken: "p2" } : {}),
      };
    },
  } as unknown as MemoryBackend;
  const ids: string[] = [];
  for await (const job of listAllJobs(backend, { jobQueue: "q" }, { allStatuses: true })) ids.push(job.jobId);
  assert.equal(most, 7, "the seven first pages are asked for together");
  assert.deepEqual(ids, [
    "SUBMITTED-1",
    "PENDING-1",
    "RUNNABLE-1",
    "STARTING-1",
    "RUNNING-1",
    "RUNNING-2",
    "SUCCEEDED-1",
    "FAILED-1",
  ]);
  assert.equal(asked.at(-1), "RUNNING:p2");
});

Deno.test("listAllJobs() with every status throws a later status's failure only when it gets there", async () => {
  const backend = {
    listJobs(query: { jobStatus?: JobStatus }) {
      if (query.jobStatus === "FAILED") return Promise.reject(new Error("no FAILED for you"));
      return Promise.resolve({
        jobs: [{ jobId: query.jobStatus!, jobName: "j", status: query.jobStatus!, createdAt: 1 }],
      });
    },
  } as unknown as MemoryBackend;
  const ids: string[] = [];
  await assert.rejects(async () => {
    for await (const job of listAllJobs(backend, { jobQueue: "q" }, { allStatuses: true })) ids.push(job.jobId);
  }, /no FAILED for you/);
  assert.deepEqual(ids, ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]);
});
