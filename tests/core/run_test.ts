import assert from "node:assert/strict";
import { NotFoundError } from "../../core/errors.ts";
import { findRun, summarizeRun } from "../../core/run.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { job, ROLES, workflow } from "./_jobs.ts";

const opts = { ...ROLES, ratePerSecond: 10_000 };

Deno.test("findRun() finds a run's jobs on every queue by name prefix and tags, ignoring look-alikes", async () => {
  const backend = new MemoryBackend();
  const wf = workflow({ a: job(), b: job({ queue: "other" }), c: job() }, { c: ["a"] });
  const run = await submitWorkflow(backend, wf, { ...opts, runId: "r1" });
  await submitWorkflow(backend, wf, { ...opts, runId: "r2" });
  // Another workflow whose job names share the prefix "wf-r1-".
  await submitWorkflow(backend, workflow({ x: job() }, {}, { name: "wf-r1" }), { ...opts, runId: "zz" });
  // A job someone named by hand, in another case and without tags.
  await backend.submitJob({ jobName: "WF-R1-manual", jobQueue: "q", jobDefinition: "d:1" });

  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q", "other"] });
  assert.deepEqual(found.jobs.map((j) => j.job).sort(), ["a", "b", "c"]);
  for (const j of found.jobs) assert.equal(j.jobId, run.jobs[j.job]);
  assert.equal(found.jobs.find((j) => j.job === "b")!.jobQueue, "arn:aws:batch:us-east-1:123456789012:job-queue/other");
  assert.equal(found.summary.total, 3);
  assert.equal(found.summary.byStatus.SUBMITTED, 3);
  assert.equal(found.summary.finished, false);
});

Deno.test("findRun() reads every page of a large run and describes 100 jobs per call", async () => {
  const backend = new MemoryBackend();
  const jobs = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`j${i}`, job()]));
  await submitWorkflow(backend, workflow(jobs), { ...opts, runId: "big" });
  const before = { list: backend.calls.listJobs ?? 0, describe: backend.calls.describeJobs ?? 0 };
  const found = await findRun(backend, { workflow: "wf", runId: "big", queues: ["q"], ratePerSecond: 10_000 });
  assert.equal(found.jobs.length, 250);
  assert.equal(backend.calls.listJobs! - before.list, 3);
  assert.equal(backend.calls.describeJobs! - before.describe, 3);
});

Deno.test("findRun() searches every queue of the account when none is given", async () => {
  const backend = new MemoryBackend();
  for (const name of ["q", "other"]) {
    await backend.createJobQueue({ jobQueueName: name, priority: 1, computeEnvironmentOrder: [] });
  }
  await submitWorkflow(backend, workflow({ a: job({ queue: "other" }) }), { ...opts, runId: "r1" });
  const before = backend.calls.describeJobQueues ?? 0; // the submission checked its queue
  const found = await findRun(backend, { workflow: "wf", runId: "r1" });
  assert.deepEqual(found.jobs.map((j) => j.job), ["a"]);
  assert.equal(backend.calls.describeJobQueues! - before, 1);
});

Deno.test("findRun() says which run and queues it searched when it finds nothing", async () => {
  const backend = new MemoryBackend();
  await assert.rejects(
    findRun(backend, { workflow: "wf", runId: "nope", queues: ["q"] }),
    (e) => e instanceof NotFoundError && /run 'nope' of workflow 'wf' in queue 'q'/.test(e.message),
  );
});

Deno.test("findRun() reports finished runs, failures and exit codes", async () => {
  const backend = new MemoryBackend();
  const run = await submitWorkflow(backend, workflow({ a: job(), b: job() }), { ...opts, runId: "r1" });
  backend.setJobStatus(run.jobs.a!, "SUCCEEDED", { exitCode: 0 });
  backend.setJobStatus(run.jobs.b!, "FAILED", { exitCode: 3, reason: "Essential container exited" });
  const found = await findRun(backend, { workflow: "wf", runId: "r1", queues: ["q"] });
  assert.equal(found.summary.finished, true);
  assert.equal(found.summary.succeeded, false);
  assert.deepEqual(found.summary.failed.map((j) => [j.job, j.exitCode, j.statusReason]), [
    ["b", 3, "Essential container exited"],
  ]);
});

Deno.test("summarizeRun() counts states; an empty run is finished", () => {
  const s = summarizeRun([
    { job: "a", jobId: "1", jobName: "w-r-a", jobQueue: "q", status: "SUCCEEDED" },
    { job: "b", jobId: "2", jobName: "w-r-b", jobQueue: "q", status: "RUNNABLE" },
  ]);
  assert.equal(s.byStatus.SUCCEEDED, 1);
  assert.equal(s.byStatus.RUNNABLE, 1);
  assert.equal(s.byStatus.FAILED, 0);
  assert.equal(s.finished, false);
  assert.equal(summarizeRun([]).finished, true);
});
