import assert from "node:assert/strict";
import type { Backend } from "../../core/backend.ts";
import type { ListJobsQuery } from "../../core/backend_types.ts";
import { fetchSnapshot } from "../../tui/monitor/data.ts";
import { MemoryBackend } from "../support/memory_backend.ts";

/** A queue with one plain job and an array job of `size` children, `running` of them RUNNING, the rest ended. */
async function arrayBackend(size: number, running: number): Promise<{ backend: MemoryBackend; parent: string }> {
  const backend = new MemoryBackend();
  await backend.createComputeEnvironment({
    computeEnvironmentName: "env",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["s"] },
  });
  await backend.createJobQueue({
    jobQueueName: "q",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "env" }],
  });
  await backend.submitJob({ jobName: "plain", jobQueue: "q", jobDefinition: "d:1" });
  const { jobId } = await backend.submitJob({
    jobName: "sweep",
    jobQueue: "q",
    jobDefinition: "d:1",
    arrayProperties: { size },
  });
  backend.setJobStatus(jobId, "PENDING");
  for (let i = 0; i < size; i++) {
    backend.setJobStatus(`${jobId}:${i}`, "RUNNING");
    if (i >= running) backend.setJobStatus(`${jobId}:${i}`, i % 2 ? "FAILED" : "SUCCEEDED", { exitCode: i % 2 });
  }
  return { backend, parent: jobId };
}

/** Records the ListJobs queries a backend receives. */
function recording(backend: MemoryBackend): { backend: Backend; queries: ListJobsQuery[] } {
  const queries: ListJobsQuery[] = [];
  const proxy = new Proxy(backend, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key === "listJobs") return (q: ListJobsQuery, o: unknown) => (queries.push(q), value.call(target, q, o));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { backend: proxy, queries };
}

Deno.test("fetchSnapshot() leaves array children out of the queue's jobs and gives the parent's summary", async () => {
  const { backend, parent } = await arrayBackend(5, 3);
  const listed = await backend.listJobs({ jobQueue: "q", jobStatus: "RUNNING" });
  assert.ok(listed.jobs.some((j) => j.jobId.startsWith(`${parent}:`)), "the fake lists children, as AWS does");
  const snapshot = await fetchSnapshot(backend, { cache: new Map(), queue: "q" });
  assert.deepEqual(snapshot.jobs.map((j) => j.jobName).sort(), ["plain", "sweep"]);
  const row = snapshot.jobs.find((j) => j.jobId === parent)!;
  assert.equal(row.status, "PENDING", "a parent is PENDING while its children run");
  assert.deepEqual(row.array, { size: 5, summary: { ...row.array!.summary, RUNNING: 3, SUCCEEDED: 1, FAILED: 1 } });
  assert.equal(snapshot.children, undefined, "children are listed only when asked for");
});

Deno.test("fetchSnapshot() with arrayJobId lists every page of children by state and describes them 100 at a time", async () => {
  const { backend: memory, parent } = await arrayBackend(2500, 1200);
  const { backend, queries } = recording(memory);
  const cache = new Map();
  const before = memory.calls.describeJobs ?? 0;
  const snapshot = await fetchSnapshot(backend, { cache, queue: "q", arrayJobId: parent });
  const kids = snapshot.children!;
  assert.equal(kids.parentId, parent);
  assert.equal(kids.jobs.length, 2500);
  assert.deepEqual(kids.jobs.slice(0, 3).map((j) => [j.index, j.jobName]), [[0, "sweep:0"], [1, "sweep:1"], [
    2,
    "sweep:2",
  ]]);
  assert.deepEqual([kids.jobs[1300]?.status, kids.jobs[1300]?.exitCode], ["SUCCEEDED", 0]);
  const childQueries = queries.filter((q) => q.arrayJobId === parent);
  assert.equal(childQueries.length, 7 + 1, "one listing per state; 1,200 RUNNING children take two pages of 1,000");
  assert.ok(childQueries.every((q) => q.jobStatus && !q.jobQueue), "arrayJobId alone, with a state");
  // 2 queue jobs + 2,500 children, in calls of at most 100 ids.
  assert.equal(memory.calls.describeJobs! - before, Math.ceil(2502 / 100));
  await fetchSnapshot(backend, { cache, queue: "q", arrayJobId: parent });
  assert.equal(
    memory.calls.describeJobs! - before,
    26 + Math.ceil(1202 / 100),
    "ended children are not described again",
  );
  await fetchSnapshot(backend, { cache, queue: "q" });
  assert.ok(![...cache.keys()].some((id) => id.includes(":")), "closing the children drops their details");
});
