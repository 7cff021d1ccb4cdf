import assert from "node:assert/strict";
import { processAlive } from "../../../core/local/process_tree.ts";
import { define, history, logLines, waitDone, waitFor, withBackend } from "./_support.ts";

Deno.test("LocalBackend retries by exit code: RETRY on 3, EXIT otherwise; each attempt has its own log", async () => {
  await withBackend({}, async (backend, dir) => {
    // Exits 3 on attempts 1 and 2, then 5 on attempt 3: two retries, then the EXIT rule ends it.
    await define(
      backend,
      "flaky",
      "echo attempt $AWS_BATCH_JOB_ATTEMPT; [ $AWS_BATCH_JOB_ATTEMPT -lt 3 ] && exit 3; exit 5",
      {
        retryStrategy: {
          attempts: 5,
          evaluateOnExit: [{ onExitCode: "3", action: "RETRY" }, { onExitCode: "*", action: "EXIT" }],
        },
      },
    );
    const { jobId } = await backend.submitJob({ jobName: "flaky", jobQueue: "q", jobDefinition: "flaky" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.deepEqual(job!.attempts!.map((a) => a.container?.exitCode), [3, 3, 5]);
    const streams = job!.attempts!.map((a) => a.container?.logStreamName);
    assert.equal(new Set(streams).size, 3);
    for (const [i, stream] of streams.entries()) {
      assert.deepEqual(await logLines(backend, stream), [`attempt ${i + 1}`]);
    }
    assert.equal((await history(dir, jobId)).filter((s) => s === "RUNNABLE").length, 3);
  });
});

Deno.test("LocalBackend retries until success, and stops at the attempts limit", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "second-time", "[ $AWS_BATCH_JOB_ATTEMPT -ge 2 ]");
    const ok = await backend.submitJob({
      jobName: "ok",
      jobQueue: "q",
      jobDefinition: "second-time",
      retryStrategy: { attempts: 3 },
    });
    await define(backend, "always", "exit 9");
    const never = await backend.submitJob({
      jobName: "never",
      jobQueue: "q",
      jobDefinition: "always",
      retryStrategy: { attempts: 2, evaluateOnExit: [{ onStatusReason: "Essential*", action: "RETRY" }] },
    });
    const [a, b] = await waitDone(backend, [ok.jobId, never.jobId]);
    assert.equal(a!.status, "SUCCEEDED");
    assert.equal(a!.attempts!.length, 2);
    assert.equal(b!.status, "FAILED");
    assert.equal(b!.attempts!.length, 2);
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "always", retryStrategy: { attempts: 11 } }),
      /Retry attempts 11 is invalid/,
    );
  });
});

Deno.test("LocalBackend timeout kills the attempt, says so, and is not retried", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "slow", "echo started; sleep 30");
    const { jobId } = await backend.submitJob({
      jobName: "slow",
      jobQueue: "q",
      jobDefinition: "slow",
      timeout: { attemptDurationSeconds: 0.5 },
      retryStrategy: { attempts: 3 },
    });
    const started = Date.now();
    const [job] = await waitDone(backend, [jobId]);
    assert.ok(Date.now() - started < 5000);
    assert.equal(job!.status, "FAILED");
    assert.equal(job!.statusReason, "Job attempt duration exceeded timeout");
    assert.equal(job!.attempts!.length, 1);
    assert.equal(job!.attempts![0]!.statusReason, "Job attempt duration exceeded timeout");
    assert.deepEqual(await logLines(backend, job!.container?.logStreamName), ["started"]);
  });
});

Deno.test("LocalBackend.terminateJob() kills a running job and the processes it started", async () => {
  await withBackend({}, async (backend, dir) => {
    const pidFile = `${dir}/child.pid`;
    const escapedFile = `${dir}/escaped.pid`;
    // One child in the job's process group, one that left it with setsid: both must die.
    await define(
      backend,
      "tree",
      `setsid sh -c 'sleep 30' & echo $! > ${escapedFile}; sh -c 'sleep 30' & echo $! > ${pidFile}; sleep 30 & wait`,
    );
    const { jobId } = await backend.submitJob({ jobName: "tree", jobQueue: "q", jobDefinition: "tree" });
    await waitFor(backend, [jobId], ([j]) => j!.status === "RUNNING");
    let childPid = 0;
    for (let i = 0; i < 100 && !childPid; i++) {
      childPid = Number(await Deno.readTextFile(pidFile).catch(() => "0"));
      if (!childPid) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(childPid > 0 && processAlive(childPid), "the job's child is running");
    const escapedPid = Number(await Deno.readTextFile(escapedFile));
    assert.ok(processAlive(escapedPid), "the setsid child is running");
    await backend.terminateJob(jobId, "Stopped by test");
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "FAILED");
    assert.equal(job!.statusReason, "Stopped by test");
    assert.equal(job!.isTerminated, true);
    assert.equal(processAlive(childPid), false, `child pid ${childPid} survived`);
    assert.equal(processAlive(escapedPid), false, `setsid child pid ${escapedPid} survived`);
    await assert.rejects(backend.terminateJob("no-such-job", "x"), /Job 'no-such-job' does not exist/);
  });
});

Deno.test("LocalBackend kills what a job left running in the background when its main process ends", async () => {
  await withBackend({}, async (backend, dir) => {
    const pidFile = `${dir}/daemon.pid`;
    await define(backend, "leaves", `setsid sh -c 'sleep 30' >/dev/null 2>&1 & echo $! > ${pidFile}; echo bye`);
    const { jobId } = await backend.submitJob({ jobName: "leaves", jobQueue: "q", jobDefinition: "leaves" });
    const [job] = await waitDone(backend, [jobId]);
    assert.equal(job!.status, "SUCCEEDED");
    const pid = Number(await Deno.readTextFile(pidFile));
    assert.ok(pid > 0);
    assert.equal(processAlive(pid), false, `background pid ${pid} survived the job`);
  });
});

Deno.test("LocalBackend kills a background process even when it is still starting as the job ends", async () => {
  // The job ends right after starting it, while it execs (its environment reads empty then): one sweep for the
  // attempt marker misses it now and then, so forty jobs, one at a time, show whether the runner sweeps again.
  await withBackend({ vcpus: 1 }, async (backend, dir) => {
    await define(backend, "starts", `setsid sh -c 'sleep 30' >/dev/null 2>&1 & echo $! > ${dir}/$AWS_BATCH_JOB_ID`);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push((await backend.submitJob({ jobName: `s${i}`, jobQueue: "q", jobDefinition: "starts" })).jobId);
    }
    await waitDone(backend, ids, 20_000);
    const pids = await Promise.all(ids.map(async (id) => Number(await Deno.readTextFile(`${dir}/${id}`))));
    await new Promise((r) => setTimeout(r, 200)); // time for a SIGKILL to land
    const alive = pids.filter((pid) => processAlive(pid));
    for (const pid of alive) Deno.kill(-pid, "SIGKILL"); // its own group, after setsid
    assert.deepEqual(alive, []);
  });
});

Deno.test("LocalBackend.cancelJob() fails waiting jobs and leaves running ones alone", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "wait", "sleep 0.5");
    const running = await backend.submitJob({ jobName: "running", jobQueue: "q", jobDefinition: "wait" });
    const waiting = await backend.submitJob({
      jobName: "waiting",
      jobQueue: "q",
      jobDefinition: "wait",
      dependsOn: [{ jobId: running.jobId }],
    });
    const dependent = await backend.submitJob({
      jobName: "dependent",
      jobQueue: "q",
      jobDefinition: "wait",
      dependsOn: [{ jobId: waiting.jobId }],
    });
    await waitFor(backend, [running.jobId], ([j]) => j!.status === "RUNNING");
    await backend.cancelJob(waiting.jobId, "Not needed");
    await backend.cancelJob(running.jobId, "Too late");
    const [r, w, d] = await waitDone(backend, [running.jobId, waiting.jobId, dependent.jobId]);
    assert.equal(r!.status, "SUCCEEDED");
    assert.equal(w!.status, "FAILED");
    assert.equal(w!.isCancelled, true);
    assert.equal(w!.statusReason, "Not needed");
    assert.equal(d!.status, "FAILED");
    assert.match(d!.statusReason!, /Dependent Job failed/);
  });
});

Deno.test("LocalBackend.close() terminates what the in-process supervisor still runs", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "forever", "sleep 30");
    const { jobId } = await backend.submitJob({ jobName: "forever", jobQueue: "q", jobDefinition: "forever" });
    await waitFor(backend, [jobId], ([j]) => j!.status === "RUNNING");
    await backend.close();
    const [job] = await backend.describeJobs([jobId]);
    assert.equal(job!.status, "FAILED");
    assert.match(job!.statusReason!, /supervisor stopped while the job was running/);
  });
});
