import assert from "node:assert/strict";
import type { SubmitJobInput, SubmittedJob } from "../../core/backend_types.ts";
import type { CallOptions } from "../../core/backend.ts";
import { AwsCallError, SubmissionError, WorkflowError } from "../../core/errors.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend, type MemoryBackendOptions } from "../support/memory_backend.ts";
import { fakeClock } from "./_clock.ts";
import { chain, job, runTags, shapedTags, workflow } from "./_jobs.ts";
import { byName, opts, warm } from "./_submit.ts";

const throttle = (operation = "submitJob") =>
  new AwsCallError({ service: "Batch", operation, code: "TooManyRequestsException" }, "Too Many Requests");
const network = () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
const clientError = () =>
  new AwsCallError({ service: "Batch", operation: "SubmitJob", code: "ClientException", requestId: "r-1" }, "Bad");

/** A MemoryBackend that records the order submissions finish and can slow some of them down. */
class RecordingBackend extends MemoryBackend {
  readonly finished: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(options: MemoryBackendOptions & { delayFor?: (name: string) => number } = {}) {
    super(options);
    this.delayFor = options.delayFor ?? (() => 0);
  }
  delayFor: (name: string) => number;
  override async submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = this.delayFor(input.jobName);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const result = await super.submitJob(input, options);
      this.finished.push(input.jobName);
      return result;
    } finally {
      this.inFlight--;
    }
  }
}

Deno.test("submitWorkflow() sends each job's request with its dependencies' ids, tags and overrides", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  const m = (cmd: string) => job({ command: cmd, matrix: { LR: ["1", "2"], D: ["3", "4", "5"] } });
  const wf = workflow({ a: job({ timeout: 120 }), b: m("one"), c: m("two") }, {
    b: ["a"],
    c: ["a", { job: "b", type: "N_TO_N" }],
  });
  const run = await submitWorkflow(backend, wf, opts);
  const c = byName(backend, "wf-r1-c").input!;
  assert.deepEqual(c.dependsOn, [{ jobId: run.jobs.a }, { jobId: run.jobs.b, type: "N_TO_N" }]);
  assert.deepEqual(c.arrayProperties, { size: 6 });
  assert.deepEqual(shapedTags(c.tags), runTags("wf", "r1", "c", 3));
  assert.equal(c.propagateTags, true);
  assert.match(c.jobDefinition, /^ezbatch-alpine-3-20-[0-9a-f]{12}:1$/);
  assert.deepEqual(byName(backend, "wf-r1-a").input!.timeout, { attemptDurationSeconds: 120 });
  assert.equal(backend.jobs.size, 3, "a matrix is one SubmitJob");
  assert.equal(backend.calls.submitJob, 4, "three jobs and the first, refused attempt by definition name");
});

Deno.test("submitWorkflow() runs a matrix job's children in order with a SEQUENTIAL self-dependency", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  const wf = workflow({ a: job(), m: job({ matrix: { I: ["1", "2", "3"] } }) }, {
    m: ["a", { job: "m", type: "SEQUENTIAL" }],
  });
  const run = await submitWorkflow(backend, wf, opts);
  assert.deepEqual(byName(backend, "wf-r1-m").input!.dependsOn, [{ jobId: run.jobs.a }, { type: "SEQUENTIAL" }]);
});

Deno.test("submitWorkflow() submits a job as soon as its own dependencies have ids, not level by level", async () => {
  const backend = new RecordingBackend({ delayFor: (name) => name === "wf-r1-slow" ? 150 : 0 });
  // slow has a definition of its own: jobs that share one wait for the first answer about it.
  const wf = workflow({ slow: job({ image: "alpine:3.21" }), x: job(), y: job(), z: job() }, { y: ["x"], z: ["y"] });
  await submitWorkflow(backend, wf, opts);
  assert.deepEqual(backend.finished, ["wf-r1-x", "wf-r1-y", "wf-r1-z", "wf-r1-slow"]);
});

Deno.test("submitWorkflow() submits a chain in order and a diamond with the join last", async () => {
  const backend = new RecordingBackend();
  await submitWorkflow(backend, chain(6), opts);
  assert.deepEqual(backend.finished, ["j0", "j1", "j2", "j3", "j4", "j5"].map((j) => `wf-r1-${j}`));
  const diamond = new RecordingBackend({ delayFor: (name) => name.endsWith("-b") ? 60 : 0 });
  const run = await submitWorkflow(
    diamond,
    workflow({ a: job(), b: job(), c: job(), d: job() }, { b: ["a"], c: ["a"], d: ["b", "c"] }),
    opts,
  );
  assert.deepEqual(diamond.finished, ["wf-r1-a", "wf-r1-c", "wf-r1-b", "wf-r1-d"]);
  const d = byName(diamond, "wf-r1-d").input!;
  assert.deepEqual(d.dependsOn, [{ jobId: run.jobs.b }, { jobId: run.jobs.c }]);
});

Deno.test("submitWorkflow() keeps at most `concurrency` SubmitJob calls in flight", async () => {
  const backend = new RecordingBackend({ delayFor: () => 5 });
  const jobs = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`j${i}`, job()]));
  const run = await submitWorkflow(backend, workflow(jobs), { ...opts, concurrency: 4, ratePerSecond: 10_000 });
  assert.equal(backend.maxInFlight, 4);
  assert.equal(Object.keys(run.jobs).length, 40);
});

Deno.test("submitWorkflow() stays under the request rate so the service never throttles", async () => {
  const clock = fakeClock(1_000_000);
  const backend = new MemoryBackend({ checkDefinitions: true, ratePerSecond: 10, now: clock.now });
  const jobs = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`j${i}`, job()]));
  const start = clock.t;
  await submitWorkflow(backend, workflow(jobs), { ...opts, clock, concurrency: 1, ratePerSecond: 8 });
  assert.equal(backend.calls["submitJob:throttled"], undefined);
  assert.equal(backend.calls.submitJob, 41, "the first is refused: no definition yet");
  assert.equal(backend.jobs.size, 40);
  // 42 calls (refused submit, register, 40 submits), at most 8 in any second: the 42nd after 5 s.
  assert.ok(clock.t - start >= 5_000, `took ${clock.t - start} virtual ms`);
});

Deno.test("submitWorkflow() retries throttled calls with backoff and submits every job exactly once", async () => {
  const clock = fakeClock(1_000_000);
  const backend = new MemoryBackend({ checkDefinitions: true, ratePerSecond: 5, now: clock.now });
  const jobs = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`j${i}`, job()]));
  const run = await submitWorkflow(backend, workflow(jobs), {
    ...opts,
    clock,
    concurrency: 1,
    ratePerSecond: 1000,
    random: () => 1,
    maxAttempts: 20,
  });
  assert.ok(backend.calls["submitJob:throttled"]! > 0);
  assert.ok(run.retries.throttled > 0);
  assert.equal(backend.jobs.size, 30);
  assert.equal(new Set([...backend.jobs.values()].map((j) => j.jobName)).size, 30);
});

Deno.test("submitWorkflow() survives 30% throttling and some 5xx on 1,000 jobs, each submitted once", async () => {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const backend = new MemoryBackend({
    checkDefinitions: true,
    fault: (operation) => {
      const r = random();
      if (r < 0.3) return throttle(operation);
      if (r < 0.33) return new AwsCallError({ service: "Batch", operation, code: "ServerException" }, "Oops");
      return undefined;
    },
  });
  const jobs = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`j${i}`, job()]));
  const run = await submitWorkflow(backend, workflow(jobs), {
    ...opts,
    clock: fakeClock(),
    ratePerSecond: 1e9,
    maxAttempts: 15,
  });
  assert.equal(Object.keys(run.jobs).length, 1000);
  assert.equal(backend.jobs.size, 1000);
  assert.equal(new Set([...backend.jobs.values()].map((j) => j.jobName)).size, 1000);
});

Deno.test("submitWorkflow() finds the job by name after a network error instead of submitting a duplicate", async () => {
  class LostReply extends MemoryBackend {
    lost = 0;
    override async submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
      const result = await super.submitJob(input, options);
      if (input.jobName === "wf-r1-b" && this.lost++ === 0) throw network();
      return result;
    }
  }
  const backend = new LostReply();
  const run = await submitWorkflow(backend, workflow({ a: job(), b: job(), c: job() }, { c: ["b"] }), opts);
  assert.equal(backend.jobs.size, 3, "no duplicate of b");
  assert.equal(backend.calls.submitJob, 3);
  assert.ok(backend.calls.listJobs! >= 1);
  assert.equal(run.jobs.b, byName(backend, "wf-r1-b").jobId);
  assert.deepEqual(byName(backend, "wf-r1-c").input!.dependsOn, [{ jobId: run.jobs.b }]);
  assert.equal(run.retries.transient, 1);
});

Deno.test("submitWorkflow() resubmits after a network error when the job did not reach the service", async () => {
  const wf = workflow({ a: job() });
  const backend = await warm(wf, { fault: (op, n) => op === "submitJob" && n === 1 ? network() : undefined });
  const run = await submitWorkflow(backend, wf, opts);
  assert.equal(backend.jobs.size, 1);
  assert.equal(backend.calls.submitJob, 2);
  assert.equal(run.jobs.a, byName(backend, "wf-r1-a").jobId);
});

Deno.test("submitWorkflow() terminates submitted jobs when a later submit fails", async () => {
  const wf = chain(5);
  const backend = await warm(wf, { fault: (op, n) => op === "submitJob" && n === 3 ? clientError() : undefined });
  const error = await submitWorkflow(backend, wf, opts).then(() => assert.fail("expected a failure"), (e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.deepEqual(error.submitted.map((r) => r.job), ["j0", "j1"]);
  assert.deepEqual(error.terminated.map((r) => r.job), ["j0", "j1"]);
  assert.deepEqual(error.notSubmitted, ["j2", "j3", "j4"]);
  assert.equal(error.kept, false);
  assert.equal(error.cause instanceof AwsCallError, true);
  assert.match(error.message, /run 'r1' of workflow 'wf' failed: Batch SubmitJob failed: Bad/);
  assert.match(error.message, /Submitted 2 of 5 jobs \('j0', 'j1'\); terminated 2\./);
  for (const ref of error.submitted) {
    const detail = backend.jobs.get(ref.jobId)!;
    assert.equal(detail.isTerminated, true);
    assert.match(detail.statusReason!, /submission of run 'r1' failed/);
  }
  assert.equal(backend.calls.submitJob, 3);
});

Deno.test("submitWorkflow() leaves submitted jobs running with keepOnFailure", async () => {
  const backend = await warm(chain(3), { fault: (op, n) => op === "submitJob" && n === 2 ? clientError() : undefined });
  const error = await submitWorkflow(backend, chain(3), { ...opts, keepOnFailure: true }).catch((e) => e);
  assert.ok(error instanceof SubmissionError);
  assert.equal(error.kept, true);
  assert.deepEqual(error.terminated, []);
  assert.equal(backend.calls.terminateJob, undefined);
  assert.match(error.message, /kept them as asked/);
});

Deno.test("submitWorkflow() stops and terminates what it submitted when aborted", async () => {
  const backend = await warm(chain(10));
  const controller = new AbortController();
  const error = await submitWorkflow(backend, chain(10), {
    ...opts,
    signal: controller.signal,
    onProgress: (p) => p.submitted === 3 && controller.abort(new Error("Interrupted by the user")),
  }).catch((e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.equal(error.submitted.length, 3);
  assert.equal(error.terminated.length, 3);
  assert.equal(backend.calls.submitJob, 3);
  assert.match(error.message, /Interrupted by the user/);
  const before = await submitWorkflow(new MemoryBackend({ checkDefinitions: true }), chain(2), {
    ...opts,
    signal: AbortSignal.abort(),
  })
    .catch((e) => e);
  assert.ok(before instanceof SubmissionError);
  assert.match(before.message, /No job was submitted/);
});

Deno.test("submitWorkflow() reports progress after each job", async () => {
  const seen: string[] = [];
  await submitWorkflow(new MemoryBackend({ checkDefinitions: true }), chain(3), {
    ...opts,
    onProgress: (p) => seen.push(`${p.submitted}/${p.total}${p.job ? ` ${p.job}` : ""}`),
  });
  assert.deepEqual(seen, ["0/3", "1/3 j0", "2/3 j1", "3/3 j2"]);
});

Deno.test("submitWorkflow() fails before any call on a workflow it cannot plan", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  await assert.rejects(submitWorkflow(backend, workflow({ a: job() }, {}, { queue: undefined }), opts), WorkflowError);
  assert.deepEqual(backend.calls, {});
});

Deno.test("submitWorkflow() terminates a job whose submit was still in flight when another one failed", async () => {
  class Mixed extends RecordingBackend {
    override submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
      if (input.jobName === "wf-r1-bad") return Promise.reject(clientError());
      return super.submitJob(input, options);
    }
  }
  const backend = new Mixed({ delayFor: (name) => name === "wf-r1-slow" ? 80 : 0 });
  const wf = workflow({ slow: job(), bad: job(), later: job() }, { later: ["bad"] });
  const error = await submitWorkflow(backend, wf, opts).catch((e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.deepEqual(error.submitted.map((r) => r.job), ["slow"]);
  assert.deepEqual(error.terminated.map((r) => r.job), ["slow"]);
  assert.deepEqual(error.notSubmitted, ["bad", "later"]);
  assert.equal(byName(backend, "wf-r1-slow").isTerminated, true);
});

Deno.test("submitWorkflow() terminates a job whose reply was lost when the submission then fails", async () => {
  class LostReply extends MemoryBackend {
    override async submitJob(input: SubmitJobInput, options?: CallOptions): Promise<SubmittedJob> {
      await super.submitJob(input, options);
      throw network();
    }
  }
  let lists = 0;
  const backend = new LostReply({
    fault: (op) => op === "listJobs" && lists++ === 0 ? clientError() : undefined,
  });
  const error = await submitWorkflow(backend, workflow({ a: job() }), opts).catch((e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.equal(backend.jobs.size, 1);
  assert.deepEqual(error.submitted.map((r) => r.job), ["a"]);
  assert.deepEqual(error.terminated.map((r) => r.job), ["a"]);
  assert.equal(byName(backend, "wf-r1-a").isTerminated, true);
});

Deno.test("submitWorkflow() says which jobs it could not terminate", async () => {
  const backend = await warm(chain(3), {
    fault: (op, n) =>
      op === "submitJob" && n === 2
        ? clientError()
        : op === "terminateJob"
        ? new AwsCallError({ service: "Batch", operation: "TerminateJob", code: "AccessDenied", requestId: "q" }, "No")
        : undefined,
  });
  const error = await submitWorkflow(backend, chain(3), opts).catch((e) => e);
  assert.ok(error instanceof SubmissionError);
  assert.deepEqual(error.terminated, []);
  assert.deepEqual(error.notTerminated.map((r) => r.job), ["j0"]);
  assert.match(error.message, /Could not terminate 1: 'j0' \(job-000001\): Batch TerminateJob failed: No/);
});
