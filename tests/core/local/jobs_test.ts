import assert from "node:assert/strict";
import { NotFoundError } from "../../../core/errors.ts";
import { define, history, logLines, waitDone, withBackend } from "./_support.ts";

Deno.test("LocalBackend runs a job through SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING to SUCCEEDED", async () => {
  await withBackend({}, async (backend, dir) => {
    await define(backend, "hello", "echo hello from $AWS_BATCH_JOB_ID; echo to stderr >&2");
    const { jobId } = await backend.submitJob({ jobName: "hello", jobQueue: "anything", jobDefinition: "hello" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "SUCCEEDED");
    assert.equal(job!.container?.exitCode, 0);
    assert.equal(job!.statusReason, "Essential container in task exited");
    assert.ok(job!.startedAt! >= job!.createdAt! && job!.stoppedAt! >= job!.startedAt!);
    assert.deepEqual(await history(dir, jobId), [
      "SUBMITTED",
      "PENDING",
      "RUNNABLE",
      "STARTING",
      "RUNNING",
      "SUCCEEDED",
    ]);
    const lines = await logLines(backend, job!.container?.logStreamName);
    assert.deepEqual(lines.sort(), [`hello from ${jobId}`, "to stderr"].sort());
  });
});

Deno.test("LocalBackend fails a job with its exit code and keeps its log", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "bad", "echo about to fail; exit 3");
    const { jobId } = await backend.submitJob({ jobName: "bad", jobQueue: "q", jobDefinition: "bad" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.equal(job!.container?.exitCode, 3);
    assert.equal(job!.attempts?.length, 1);
    assert.deepEqual(await logLines(backend, job!.container?.logStreamName), ["about to fail"]);
  });
});

Deno.test("LocalBackend starts a dependent job only after its dependency succeeded", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "step", "sleep 0.2; date +%s%N");
    const first = await backend.submitJob({ jobName: "first", jobQueue: "q", jobDefinition: "step" });
    const second = await backend.submitJob({
      jobName: "second",
      jobQueue: "q",
      jobDefinition: "step",
      dependsOn: [{ jobId: first.jobId }],
    });
    const [a, b] = await waitDone(backend, [first.jobId, second.jobId]);
    assert.equal(a!.status, "SUCCEEDED");
    assert.equal(b!.status, "SUCCEEDED");
    assert.ok(b!.startedAt! >= a!.stoppedAt!, "second started before first ended");
    assert.deepEqual(b!.dependsOn, [{ jobId: first.jobId }]);
  });
});

Deno.test("LocalBackend fails dependents of a failed job (PENDING -> FAILED) without running them", async () => {
  await withBackend({}, async (backend, dir) => {
    await define(backend, "fails", "exit 1");
    await define(backend, "never", "echo ran");
    const failing = await backend.submitJob({ jobName: "failing", jobQueue: "q", jobDefinition: "fails" });
    const child = await backend.submitJob({
      jobName: "child",
      jobQueue: "q",
      jobDefinition: "never",
      dependsOn: [{ jobId: failing.jobId }],
    });
    const grandchild = await backend.submitJob({
      jobName: "grandchild",
      jobQueue: "q",
      jobDefinition: "never",
      dependsOn: [{ jobId: child.jobId }],
    });
    const [, c, g] = await waitDone(backend, [failing.jobId, child.jobId, grandchild.jobId]);
    assert.equal(c!.status, "FAILED");
    assert.match(c!.statusReason!, new RegExp(`^Dependent Job failed: ${failing.jobId}`));
    assert.equal(g!.status, "FAILED");
    assert.deepEqual(await history(dir, child.jobId), ["SUBMITTED", "PENDING", "FAILED"]);
    assert.equal(c!.attempts?.length, 0);
  });
});

Deno.test("LocalBackend.submitJob() rejects unknown definitions, dependencies and bad names", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "ok", "true");
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "missing" }),
      (error) =>
        error instanceof NotFoundError && error.resource === "job-definition" &&
        /Job definition 'missing' does not exist/.test(error.message),
    );
    await backend.deregisterJobDefinition("ok:1");
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "ok" }),
      (error) => error instanceof NotFoundError && error.resource === "job-definition",
      "an INACTIVE definition is not found either, as on AWS",
    );
    await define(backend, "ok", "true");
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "ok", dependsOn: [{ jobId: "nope" }] }),
      /Dependency job 'nope' does not exist/,
    );
    await assert.rejects(backend.submitJob({ jobName: "-bad", jobQueue: "q", jobDefinition: "ok" }), /Job name '-bad'/);
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "ok", arrayProperties: { size: 1 } }),
      /Array size 1 is invalid/,
    );
  });
});

Deno.test("LocalBackend in-process: concurrent first submissions share one supervisor", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "many", "true");
    const submitted = await Promise.all(
      Array.from(
        { length: 6 },
        (_, i) => backend.submitJob({ jobName: `many${i}`, jobQueue: "q", jobDefinition: "many" }),
      ),
    );
    const jobs = await waitDone(backend, submitted.map((s) => s.jobId));
    assert.deepEqual(jobs.map((j) => j.status), Array(6).fill("SUCCEEDED"));
  });
});
