import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { stopJob, stopJobs } from "../../core/jobs.ts";
import type { JobStatus } from "../../core/backend_types.ts";
import { NotFoundError, UsageError } from "../../core/errors.ts";

async function jobIn(backend: MemoryBackend, status: JobStatus, name = "a"): Promise<string> {
  const { jobId } = await backend.submitJob({ jobName: name, jobQueue: "q", jobDefinition: "d:1" });
  if (status !== "SUBMITTED") backend.setJobStatus(jobId, status);
  return jobId;
}

Deno.test("stopJob() cancels a job that has not started, with the reason given", async () => {
  for (const status of ["SUBMITTED", "PENDING", "RUNNABLE"] as const) {
    const backend = new MemoryBackend();
    const id = await jobIn(backend, status);
    const result = await stopJob(backend, id, { reason: "Wrong input" });
    assert.deepEqual(result, {
      jobId: id,
      jobName: "a",
      status,
      action: "cancel",
      message: `Cancelled job 'a' (was ${status})`,
    });
    assert.equal(backend.calls.cancelJob, 1);
    assert.equal(backend.calls.terminateJob, undefined);
    assert.equal(backend.jobs.get(id)!.statusReason, "Wrong input");
  }
});

Deno.test("stopJob() terminates a STARTING or RUNNING job", async () => {
  for (const status of ["STARTING", "RUNNING"] as const) {
    const backend = new MemoryBackend();
    const id = await jobIn(backend, status);
    const result = await stopJob(backend, id);
    assert.equal(result.action, "terminate");
    assert.equal(result.message, `Terminated job 'a' (was ${status})`);
    assert.equal(backend.calls.terminateJob, 1);
    assert.equal(backend.calls.cancelJob, undefined);
    assert.equal(backend.jobs.get(id)!.statusReason, "Stopped by ezbatch");
  }
});

Deno.test("stopJob() leaves a finished job alone and says so", async () => {
  const backend = new MemoryBackend();
  const ok = await jobIn(backend, "SUCCEEDED", "done");
  const failed = await jobIn(backend, "FAILED", "broke");
  assert.equal((await stopJob(backend, ok)).message, "Left job 'done' alone: it already succeeded");
  const result = await stopJob(backend, failed);
  assert.equal(result.action, "none");
  assert.equal(result.message, "Left job 'broke' alone: it already failed");
  assert.equal((backend.calls.cancelJob ?? 0) + (backend.calls.terminateJob ?? 0), 0);
});

Deno.test("stopJob() terminates a PENDING array parent whose children are running", async () => {
  const backend = new MemoryBackend();
  const id = await jobIn(backend, "PENDING");
  backend.jobs.get(id)!.arrayProperties = { size: 4, statusSummary: { RUNNING: 2, RUNNABLE: 2 } };
  assert.equal((await stopJob(backend, id)).action, "terminate");
});

Deno.test("stopJob() rejects an unknown job and an over-long reason before stopping anything", async () => {
  const backend = new MemoryBackend();
  await assert.rejects(
    stopJob(backend, "nope"),
    (e: unknown) => e instanceof NotFoundError && /'nope'/.test(e.message),
  );
  const id = await jobIn(backend, "RUNNING");
  await assert.rejects(
    stopJob(backend, id, { reason: "x".repeat(1025) }),
    (e: unknown) => e instanceof UsageError && /1025 characters long: AWS Batch accepts at most 1024/.test(e.message),
  );
  assert.equal(backend.calls.terminateJob, undefined);
  assert.equal(backend.jobs.get(id)!.status, "RUNNING");
});

Deno.test("stopJobs() describes once per 100 ids, stops each the right way and lists the missing ones", async () => {
  const backend = new MemoryBackend();
  const runnable = await jobIn(backend, "RUNNABLE", "r");
  const running = await jobIn(backend, "RUNNING", "x");
  const done = await jobIn(backend, "SUCCEEDED", "s");
  const { results, missing } = await stopJobs(backend, [runnable, "ghost", running, done, runnable]);
  assert.deepEqual(results.map((r) => [r.jobName, r.action]), [["r", "cancel"], ["x", "terminate"], ["s", "none"]]);
  assert.deepEqual(missing, ["ghost"]);
  assert.equal(backend.calls.describeJobs, 1);
});

Deno.test("stopJobs() says which child of an array job each line is about", async () => {
  const backend = new MemoryBackend();
  const { jobId } = await backend.submitJob({
    jobName: "sweep",
    jobQueue: "q",
    jobDefinition: "d:1",
    arrayProperties: { size: 3 },
  });
  backend.setJobStatus(`${jobId}:1`, "RUNNING");
  const { results } = await stopJobs(backend, [`${jobId}:1`, `${jobId}:2`]);
  assert.deepEqual(results.map((r) => r.message), [
    "Terminated job 'sweep' child 1 (was RUNNING)",
    "Cancelled job 'sweep' child 2 (was SUBMITTED)",
  ]);
});
