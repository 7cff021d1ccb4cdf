import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { FakeClock } from "../support/fake_clock.ts";
import { type JobsSnapshot, watchJobs } from "../../core/jobs.ts";
import { AwsCallError, NotFoundError } from "../../core/errors.ts";

async function submitMany(backend: MemoryBackend, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await backend.submitJob({ jobName: `j${i}`, jobQueue: "q", jobDefinition: "d:1" })).jobId);
  }
  return ids;
}

Deno.test("watchJobs() polls 250 jobs with at most 3 DescribeJobs calls per poll and ends when all finished", async () => {
  const backend = new MemoryBackend();
  const ids = await submitMany(backend, 250);
  const callsPerPoll: number[] = [];
  let before = 0;
  const clock = new FakeClock([
    () => ids.slice(0, 150).forEach((id) => backend.setJobStatus(id, "SUCCEEDED")),
    () => ids.slice(150, 249).forEach((id) => backend.setJobStatus(id, "RUNNING")),
    () => {
      ids.slice(150, 249).forEach((id) => backend.setJobStatus(id, "SUCCEEDED"));
      backend.setJobStatus(ids[249]!, "FAILED", { exitCode: 3 });
    },
  ]);
  const snapshots: JobsSnapshot[] = [];
  for await (const snapshot of watchJobs(backend, ids, { clock, intervalMs: 5000 })) {
    callsPerPoll.push(backend.calls.describeJobs! - before);
    before = backend.calls.describeJobs!;
    snapshots.push(snapshot);
  }
  assert.deepEqual(callsPerPoll, [3, 3, 1, 1], "finished jobs are not asked for again");
  assert.deepEqual(snapshots.map((s) => s.counts), [
    { SUBMITTED: 250 },
    { SUCCEEDED: 150, SUBMITTED: 100 },
    { SUCCEEDED: 150, RUNNING: 99, SUBMITTED: 1 },
    { SUCCEEDED: 249, FAILED: 1 },
  ]);
  assert.deepEqual(snapshots.map((s) => s.done), [false, false, false, true]);
  assert.deepEqual(snapshots[3]!.jobs.map((j) => j.jobId), ids, "jobs in the order asked");
  assert.deepEqual(clock.sleeps, [5000, 5000, 5000]);
  assert.equal(snapshots[1]!.at - snapshots[0]!.at, 5000);
});

Deno.test("watchJobs() backs off (doubling) while DescribeJobs is throttled, without yielding", async () => {
  const throttled = () =>
    new AwsCallError({ service: "Batch", operation: "DescribeJobs", code: "TooManyRequestsException" }, "Slow down");
  const backend = new MemoryBackend({
    fault: (operation, n) => operation === "describeJobs" && (n === 2 || n === 3) ? throttled() : undefined,
  });
  const [id] = await submitMany(backend, 1);
  const clock = new FakeClock([() => {}, () => {}, () => backend.setJobStatus(id!, "SUCCEEDED")]);
  const throttles: number[] = [];
  const snapshots: JobsSnapshot[] = [];
  const options = { clock, intervalMs: 1000, onThrottle: (_: unknown, ms: number) => throttles.push(ms) };
  for await (const s of watchJobs(backend, [id!], options)) snapshots.push(s);
  assert.deepEqual(throttles, [1000, 2000]);
  assert.deepEqual(clock.sleeps, [1000, 1000, 2000]);
  assert.deepEqual(snapshots.map((s) => s.done), [false, true]);
});

Deno.test("watchJobs() rethrows other errors, and fails for a job missing three polls in a row", async () => {
  const backend = new MemoryBackend({
    fault: (operation) => operation === "describeJobs" ? new Error("network down") : undefined,
  });
  await assert.rejects(async () => {
    for await (const _ of watchJobs(backend, ["a"], { clock: new FakeClock() }));
  }, /network down/);

  const fine = new MemoryBackend();
  const [id] = await submitMany(fine, 1);
  const snapshots: JobsSnapshot[] = [];
  await assert.rejects(
    async () => {
      for await (const s of watchJobs(fine, [id!, "ghost"], { clock: new FakeClock() })) snapshots.push(s);
    },
    (e: unknown) => e instanceof NotFoundError && e.message === "Job 'ghost' was not found after 3 polls",
  );
  assert.deepEqual(snapshots.map((s) => s.missing), [["ghost"], ["ghost"]]);
});

Deno.test("watchJobs() of no jobs is done at once, without a call", async () => {
  const backend = new MemoryBackend();
  const snapshots: JobsSnapshot[] = [];
  for await (const s of watchJobs(backend, [], { clock: new FakeClock() })) snapshots.push(s);
  assert.equal(snapshots.length, 1);
  assert.equal(snapshots[0]!.done, true);
  assert.equal(backend.calls.describeJobs, undefined);
});
