import assert from "node:assert/strict";
import type { CallOptions } from "../../core/backend.ts";
import type { SubmitJobInput, SubmittedJob } from "../../core/backend_types.ts";
import { AwsCallError, SubmissionError } from "../../core/errors.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend, type MemoryBackendOptions } from "../support/memory_backend.ts";
import { chaos } from "./_chaos.ts";
import { dag, wide } from "./_workflows.ts";

const refused = (operation = "SubmitJob") =>
  new AwsCallError({ service: "Batch", operation, code: "ClientException", requestId: "req-9" }, "Invalid job queue");

/** Fails the SubmitJob of one job name for good; optionally loses the reply of another one (after it was created). */
class FailingBackend extends MemoryBackend {
  constructor(readonly failing: string, options: MemoryBackendOptions & { lose?: string } = {}) {
    super(options);
    this.lose = options.lose;
  }
  lose: string | undefined;
  override async submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
    if (input.jobName.endsWith(`-${this.failing}`)) {
      this.calls.submitJob = (this.calls.submitJob ?? 0) + 1;
      throw refused();
    }
    const result = await super.submitJob(input, options);
    if (this.lose && input.jobName.endsWith(`-${this.lose}`)) {
      this.lose = undefined;
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    }
    return result;
  }
}

async function failure(promise: Promise<unknown>): Promise<SubmissionError> {
  const error = await promise.then(() => assert.fail("expected the submission to fail"), (e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  return error;
}

Deno.test("submitWorkflow() terminates every job it submitted when job 37 of 100 fails, in-flight ones included", async () => {
  const backend = new FailingBackend("j37", { latencyMs: 2 });
  const error = await failure(submitWorkflow(backend, wide(100), { runId: "r1", concurrency: 8, ratePerSecond: 1e6 }));
  const onServer = [...backend.jobs.values()];
  assert.ok(onServer.length >= 30, `${onServer.length} submitted before the failure`);
  assert.deepEqual(error.submitted.map((r) => r.jobId).sort(), onServer.map((j) => j.jobId).sort());
  assert.equal(error.terminated.length, onServer.length);
  for (const job of onServer) assert.equal(job.isTerminated, true, `${job.jobName} terminated`);
  assert.equal(error.submitted.length + error.notSubmitted.length, 100);
  assert.ok(error.notSubmitted.includes("j37"));
  assert.match(error.message, /Submitting run 'r1' of workflow 'wf' failed/);
  assert.match(error.message, /Invalid job queue/);
  assert.match(
    error.message,
    new RegExp(`Submitted ${onServer.length} of 100 jobs .*terminated ${onServer.length}\\.`),
  );
  assert.ok(error.cause instanceof AwsCallError && error.cause.requestId === "req-9");
});

Deno.test("submitWorkflow() names the job whose submission failed", async () => {
  const error = await failure(submitWorkflow(new FailingBackend("j4"), dag(10), { runId: "r1" }));
  assert.equal(error.failedJob, "j4");
  assert.match(
    error.message,
    /failed: Batch SubmitJob failed: Invalid job queue \(request id req-9\)\. Job 'j4' could not be submitted\. Submitted 4 of 10 jobs/,
  );
  const aborted = await failure(
    submitWorkflow(new MemoryBackend({ checkDefinitions: true }), dag(3), {
      runId: "r2",
      signal: AbortSignal.abort(),
    }),
  );
  assert.equal(aborted.failedJob, undefined);
  assert.doesNotMatch(aborted.message, /could not be submitted/);
});

Deno.test("submitWorkflow() keeps the submitted jobs when asked and says so", async () => {
  const backend = new FailingBackend("j5");
  const error = await failure(submitWorkflow(backend, dag(10), { runId: "r1", keepOnFailure: true }));
  assert.equal(error.kept, true);
  assert.deepEqual(error.submitted.map((r) => r.job), ["j0", "j1", "j2", "j3", "j4"]);
  assert.equal(backend.calls.terminateJob, undefined);
  for (const job of backend.jobs.values()) assert.equal(job.status, "SUBMITTED");
  assert.match(error.message, /Submitted 5 of 10 jobs .*kept them as asked/);
});

Deno.test("submitWorkflow() terminates a job whose reply was lost when another job then fails", async () => {
  // j1's SubmitJob creates the job but the reply is lost; while j1 backs off, j2 fails for good.
  const backend = new FailingBackend("j2", { lose: "j1" });
  const error = await failure(submitWorkflow(backend, wide(3), { runId: "r1", concurrency: 3, random: () => 1 }));
  const j1 = [...backend.jobs.values()].find((j) => j.jobName === "wf-r1-j1")!;
  assert.ok(error.submitted.some((r) => r.job === "j1" && r.jobId === j1.jobId), "found again by its name");
  assert.equal(j1.isTerminated, true);
  assert.equal(backend.jobs.size, 2, "j0 and j1, nothing resubmitted");
  for (const job of backend.jobs.values()) assert.equal(job.isTerminated, true);
});

Deno.test("submitWorkflow() rolls back through throttling, and reports the jobs it could not terminate", async () => {
  const memory = new FailingBackend("j6");
  const { backend } = chaos(memory, { seed: 1, throttle: 0.4 });
  const error = await failure(submitWorkflow(backend, dag(10), { runId: "r1", random: () => 0.01 }));
  assert.equal(error.terminated.length, 6);
  assert.deepEqual(error.notTerminated, []);
  for (const job of memory.jobs.values()) assert.equal(job.isTerminated, true);

  class Stubborn extends FailingBackend {
    override async terminateJob(jobId: string, reason: string, options?: CallOptions): Promise<void> {
      if (this.jobs.get(jobId)?.jobName === "wf-r2-j1") throw refused("TerminateJob");
      await super.terminateJob(jobId, reason, options);
    }
  }
  const stubborn = new Stubborn("j3");
  const partial = await failure(submitWorkflow(stubborn, dag(5), { runId: "r2" }));
  assert.deepEqual(partial.terminated.map((r) => r.job), ["j0", "j2"]);
  assert.deepEqual(partial.notTerminated.map((r) => r.job), ["j1"]);
  assert.match(partial.message, /terminated 2\. Could not terminate 1: 'j1' \(job-\d+\): Batch TerminateJob failed/);
});

Deno.test("submitWorkflow() aborted mid-flight terminates the jobs whose submission was still in flight", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true, latencyMs: 20 });
  const controller = new AbortController();
  const error = await failure(submitWorkflow(backend, wide(50), {
    runId: "r1",
    concurrency: 8,
    ratePerSecond: 1e6,
    signal: controller.signal,
    onProgress: (p) => p.submitted === 5 && controller.abort(new DOMException("Interrupted", "AbortError")),
  }));
  assert.ok(backend.jobs.size > 5, "submissions in flight when the signal fired completed on the server");
  assert.equal(error.submitted.length, backend.jobs.size);
  for (const job of backend.jobs.values()) assert.equal(job.isTerminated, true, job.jobName);
  assert.match(error.message, /Interrupted/);
});

Deno.test("submitWorkflow() interrupted while jobs wait for the rate limiter blames none of them", async () => {
  const backend = new MemoryBackend();
  const controller = new AbortController();
  const error = await failure(submitWorkflow(backend, wide(10), {
    runId: "r1",
    concurrency: 4,
    ratePerSecond: 2, // two calls in any second: the others wait for a slot
    signal: controller.signal,
    onProgress: (p) => p.submitted === 2 && controller.abort(new DOMException("Interrupted", "AbortError")),
  }));
  // Jobs 3 and on were waiting for a slot, never sent: the interrupt is the cause, not one of them.
  assert.equal(error.failedJob, undefined);
  assert.doesNotMatch(error.message, /could not be submitted/);
  // Which two got the first slots depends on timing (the queue check before the first submission takes a slot too).
  assert.match(error.message, /failed: Interrupted\. Submitted 2 of 10 jobs \('j[0-3]', 'j[0-3]'\); terminated 2\./);
});
