import assert from "node:assert/strict";
import { define, history, logLines, waitDone, waitFor, withBackend } from "./_support.ts";

Deno.test("LocalBackend array job: children <id>:<i> see their index and size; the parent summarises them", async () => {
  await withBackend({}, async (backend, dir) => {
    await define(
      backend,
      "sweep",
      "echo index=$AWS_BATCH_JOB_ARRAY_INDEX size=$AWS_BATCH_JOB_ARRAY_SIZE id=$AWS_BATCH_JOB_ID",
    );
    const { jobId } = await backend.submitJob({
      jobName: "sweep",
      jobQueue: "q",
      jobDefinition: "sweep",
      arrayProperties: { size: 3 },
    });
    const ids = [0, 1, 2].map((i) => `${jobId}:${i}`);
    const [parent, ...children] = await waitDone(backend, [jobId, ...ids]);
    assert.equal(parent!.status, "SUCCEEDED");
    assert.deepEqual(parent!.arrayProperties, { size: 3, statusSummary: { SUCCEEDED: 3 } });
    for (const [i, child] of children.entries()) {
      assert.equal(child.arrayProperties?.index, i);
      assert.deepEqual(await logLines(backend, child.container?.logStreamName), [`index=${i} size=3 id=${jobId}:${i}`]);
    }
    const statuses = new Set(await history(dir, jobId));
    for (const s of ["RUNNABLE", "STARTING", "RUNNING"] as const) assert.ok(!statuses.has(s), `parent went ${s}`);
    const listed = await backend.listJobs({ arrayJobId: jobId, jobStatus: "SUCCEEDED" });
    assert.deepEqual(listed.jobs.map((j) => j.jobId), ids);
  });
});

Deno.test("LocalBackend array parent FAILS once every child ended and one failed", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "one-fails", '[ "$AWS_BATCH_JOB_ARRAY_INDEX" = 1 ] && exit 4; sleep 0.2');
    const { jobId } = await backend.submitJob({
      jobName: "mixed",
      jobQueue: "q",
      jobDefinition: "one-fails",
      arrayProperties: { size: 3 },
    });
    const [parent, c0, c1, c2] = await waitDone(backend, [jobId, `${jobId}:0`, `${jobId}:1`, `${jobId}:2`]);
    assert.equal(parent!.status, "FAILED");
    assert.match(parent!.statusReason!, /1 of 3 children failed/);
    assert.deepEqual([c0!.status, c1!.status, c2!.status], ["SUCCEEDED", "FAILED", "SUCCEEDED"]);
    assert.ok(parent!.stoppedAt! >= Math.max(c0!.stoppedAt!, c2!.stoppedAt!));
  });
});

Deno.test("LocalBackend N_TO_N pairs child i with child i: one failed child fails only its pair", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "first", '[ "$AWS_BATCH_JOB_ARRAY_INDEX" = 2 ] && exit 1; sleep 0.1; date +%s%N');
    await define(backend, "second", "date +%s%N");
    const a = await backend.submitJob({
      jobName: "a",
      jobQueue: "q",
      jobDefinition: "first",
      arrayProperties: { size: 3 },
    });
    const b = await backend.submitJob({
      jobName: "b",
      jobQueue: "q",
      jobDefinition: "second",
      arrayProperties: { size: 3 },
      dependsOn: [{ jobId: a.jobId, type: "N_TO_N" }],
    });
    const ids = [0, 1, 2].flatMap((i) => [`${a.jobId}:${i}`, `${b.jobId}:${i}`]);
    const jobs = await waitDone(backend, ids);
    const byId = new Map(jobs.map((j) => [j.jobId, j]));
    for (const i of [0, 1]) {
      const left = byId.get(`${a.jobId}:${i}`)!;
      const right = byId.get(`${b.jobId}:${i}`)!;
      assert.equal(right.status, "SUCCEEDED");
      assert.ok(right.startedAt! >= left.stoppedAt!, `child ${i} of b started before its pair ended`);
    }
    const failedPair = byId.get(`${b.jobId}:2`)!;
    assert.equal(failedPair.status, "FAILED");
    assert.equal(failedPair.statusReason, `Dependent Job failed: ${a.jobId}:2`);
    await assert.rejects(
      backend.submitJob({
        jobName: "c",
        jobQueue: "q",
        jobDefinition: "second",
        arrayProperties: { size: 2 },
        dependsOn: [{ jobId: a.jobId, type: "N_TO_N" }],
      }),
      /same size: 3 and 2/,
    );
  });
});

Deno.test("LocalBackend SEQUENTIAL runs array children one after another in index order", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "seq", "sleep 0.1");
    const { jobId } = await backend.submitJob({
      jobName: "seq",
      jobQueue: "q",
      jobDefinition: "seq",
      arrayProperties: { size: 3 },
      dependsOn: [{ type: "SEQUENTIAL" }],
    });
    const ids = [0, 1, 2].map((i) => `${jobId}:${i}`);
    const children = await waitDone(backend, ids);
    for (let i = 1; i < 3; i++) {
      assert.ok(children[i]!.startedAt! >= children[i - 1]!.stoppedAt!, `child ${i} overlapped child ${i - 1}`);
    }
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "seq", dependsOn: [{ type: "SEQUENTIAL" }] }),
      /SEQUENTIAL dependency needs an array job/,
    );
  });
});

Deno.test("LocalBackend budget: jobs wait in RUNNABLE while the vCPUs are taken, and too-big jobs fail", async () => {
  await withBackend({ vcpus: 2, memory: 4096 }, async (backend) => {
    await define(backend, "busy", "sleep 0.4");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await backend.submitJob({
          jobName: `busy${i}`,
          jobQueue: "q",
          jobDefinition: "busy",
          containerOverrides: { resourceRequirements: [{ type: "VCPU", value: "1" }] },
        })).jobId,
      );
    }
    const seen = await waitFor(backend, ids, (jobs) => jobs.filter((j) => j.status === "RUNNING").length === 2);
    assert.deepEqual(seen.filter((j) => j.status !== "RUNNING").map((j) => j.status), ["RUNNABLE"]);
    let maxRunning = 0;
    const done = await waitFor(backend, ids, (jobs) => {
      maxRunning = Math.max(maxRunning, jobs.filter((j) => j.status === "RUNNING" || j.status === "STARTING").length);
      return jobs.every((j) => j.status === "SUCCEEDED");
    });
    assert.equal(maxRunning, 2);
    assert.equal(done.length, 3);
    const big = await backend.submitJob({
      jobName: "big",
      jobQueue: "q",
      jobDefinition: "busy",
      containerOverrides: { resourceRequirements: [{ type: "VCPU", value: "4" }] },
    });
    const [failed] = await waitDone(backend, [big.jobId]);
    assert.equal(failed!.status, "FAILED");
    assert.match(failed!.statusReason!, /asks for 4 vCPU .* local budget is 2 vCPU/);
  });
});

Deno.test("LocalBackend cancel and terminate of an array parent reach its children", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "long", "sleep 30");
    const blocker = await backend.submitJob({ jobName: "blocker", jobQueue: "q", jobDefinition: "long" });
    const waiting = await backend.submitJob({
      jobName: "waiting",
      jobQueue: "q",
      jobDefinition: "long",
      arrayProperties: { size: 2 },
      dependsOn: [{ jobId: blocker.jobId }],
    });
    const running = await backend.submitJob({
      jobName: "running",
      jobQueue: "q",
      jobDefinition: "long",
      arrayProperties: { size: 2 },
      containerOverrides: { resourceRequirements: [{ type: "VCPU", value: "0.25" }] },
    });
    await waitFor(
      backend,
      [`${running.jobId}:0`, `${running.jobId}:1`],
      (jobs) => jobs.every((j) => j.status === "RUNNING"),
    );
    await backend.cancelJob(waiting.jobId, "Cancelled by test");
    await backend.terminateJob(running.jobId, "Terminated by test");
    await backend.terminateJob(blocker.jobId, "Done");
    const ids = [waiting.jobId, `${waiting.jobId}:0`, running.jobId, `${running.jobId}:0`, `${running.jobId}:1`];
    const [wParent, wChild, rParent, r0, r1] = await waitDone(backend, ids);
    assert.equal(wChild!.isCancelled, true);
    assert.equal(wChild!.statusReason, "Cancelled by test");
    assert.equal(wParent!.status, "FAILED");
    for (const child of [r0!, r1!]) {
      assert.equal(child.status, "FAILED");
      assert.equal(child.isTerminated, true);
      assert.equal(child.statusReason, "Terminated by test");
    }
    assert.equal(rParent!.status, "FAILED");
  });
});
