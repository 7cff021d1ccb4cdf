import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { AwsCallError } from "../../core/errors.ts";
import { run } from "./_run.ts";
import { containerLaunch } from "../../preloader/launch.ts";
import { job } from "../support/jobs.ts";

const T0 = 1_700_000_000_000;

async function backendWithJobs(count: number, status: "RUNNING" | "SUCCEEDED" | "FAILED" = "SUCCEEDED") {
  let now = T0;
  const backend = new MemoryBackend({ now: () => now });
  for (let i = 0; i < count; i++) {
    now = T0 + i * 1000;
    const { jobId } = await backend.submitJob({ jobName: `job-${i}`, jobQueue: "q", jobDefinition: "d:1" });
    backend.setJobStatus(jobId, "RUNNING");
    now += 500;
    if (status !== "RUNNING") backend.setJobStatus(jobId, status, { exitCode: status === "FAILED" ? 3 : 0 });
  }
  return backend;
}

Deno.test("jobs list reads every page and state, newest first, as the exact table and JSON", async () => {
  const backend = await backendWithJobs(3);
  backend.setJobStatus(
    (await backend.submitJob({ jobName: "waiting", jobQueue: "q", jobDefinition: "d:1" })).jobId,
    "RUNNABLE",
  );
  const r = await run(["jobs", "list", "-q", "q"], { backend, now: () => T0 + 10_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "JOB ID      NAME     STATUS     CREATED               DURATION  EXIT",
      "job-000004  waiting  RUNNABLE   2023-11-14 22:13:22Z  -         -",
      "job-000003  job-2    SUCCEEDED  2023-11-14 22:13:22Z  1s        0",
      "job-000002  job-1    SUCCEEDED  2023-11-14 22:13:21Z  1s        0",
      "job-000001  job-0    SUCCEEDED  2023-11-14 22:13:20Z  1s        0",
      "",
    ].join("\n"),
  );
  const json = JSON.parse((await run(["jobs", "list", "-q", "q", "--json"], { backend })).stdout);
  assert.equal(json.length, 4);
  assert.equal(json[1].jobId, "job-000003");

  const many = await backendWithJobs(250, "FAILED");
  const all = JSON.parse(
    (await run(["jobs", "list", "-q", "q", "--status", "failed", "--json"], { backend: many })).stdout,
  );
  assert.equal(all.length, 250);
  assert.equal(many.calls.listJobs, 3);
  const limited = JSON.parse(
    (await run(["jobs", "list", "-q", "q", "--limit", "2", "--json"], { backend: many })).stdout,
  );
  assert.deepEqual(limited.map((j: { jobName: string }) => j.jobName), ["job-249", "job-248"]);
});

Deno.test("jobs list filters by name prefix and creation time, one filter on the server and the rest here", async () => {
  const backend = await backendWithJobs(5);
  const byName = await run(["jobs", "list", "-q", "q", "--name", "JOB-1*", "--json"], { backend });
  assert.deepEqual(JSON.parse(byName.stdout).map((j: { jobName: string }) => j.jobName), ["job-1"]);
  const since = await run(["jobs", "list", "-q", "q", "--since", "2023-11-14T22:13:22Z", "--json"], { backend });
  assert.deepEqual(JSON.parse(since.stdout).map((j: { jobName: string }) => j.jobName), ["job-4", "job-3"]);
  const both = await run(
    ["jobs", "list", "-q", "q", "--name", "job*", "--before", "2023-11-14T22:13:21Z", "--json"],
    { backend },
  );
  assert.deepEqual(JSON.parse(both.stdout).map((j: { jobName: string }) => j.jobName), ["job-0"]);
  const age = await run(["jobs", "list", "-q", "q", "--since", "2s", "--json"], { backend, now: () => T0 + 4600 });
  assert.deepEqual(JSON.parse(age.stdout).map((j: { jobName: string }) => j.jobName), ["job-4", "job-3"]);
});

Deno.test("jobs list refuses bad flags with exit 2 and retries a throttled page", async () => {
  for (
    const [args, pattern] of [
      [["jobs", "list"], /Say which job queue/],
      [["jobs", "list", "-q", "q", "--status", "DONE"], /Expected one of SUBMITTED, PENDING/],
      [["jobs", "list", "-q", "q", "--since", "yesterday"], /Expected a date/],
      [["jobs", "list", "-q", "q", "--array", "x"], /--queue or --array, not both/],
    ] as [string[], RegExp][]
  ) {
    const r = await run(args, { backend: new MemoryBackend() });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  const throttled = new MemoryBackend({
    fault: (op, n) =>
      op === "listJobs" && n === 1
        ? new AwsCallError({ service: "Batch", operation: "ListJobs", code: "TooManyRequestsException" }, "Rate")
        : undefined,
  });
  const r = await run(["jobs", "list", "-q", "q", "--status", "RUNNING", "--json"], { backend: throttled });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(throttled.calls.listJobs, 2);
});

Deno.test("jobs describe shows attempts and exit code, and for a RUNNABLE job why it may wait", async () => {
  const backend = await backendWithJobs(1, "FAILED");
  const done = await run(["jobs", "describe", "job-000001"], { backend });
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /^Job: +job-0 \(job-000001\)\n/);
  assert.match(done.stdout, /\nStatus: +FAILED\n/);
  assert.match(done.stdout, /\nExit code: +3\n/);
  assert.match(done.stdout, /\nLog: +\/aws\/batch\/job ezbatch\/default\/job-000001\n/);
  assert.match(
    done.stdout,
    /\nATTEMPT +STARTED +STOPPED +EXIT +REASON +LOG STREAM\n1 +2023-11-14 22:13:20Z +2023-11-14 22:13:20Z +3 /,
  );

  await backend.createComputeEnvironment({
    computeEnvironmentName: "ce",
    type: "MANAGED",
    state: "DISABLED",
    computeResources: { type: "FARGATE", maxvCpus: 0, subnets: [] },
  });
  await backend.createJobQueue({
    jobQueueName: "q2",
    state: "ENABLED",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "ce" }],
  });
  const { jobId } = await backend.submitJob({ jobName: "stuck", jobQueue: "q2", jobDefinition: "d:1" });
  backend.setJobStatus(jobId, "RUNNABLE");
  const stuck = await run(["jobs", "describe", jobId], { backend });
  assert.match(stuck.stdout, /Why it may be waiting in RUNNABLE:\n {2}! Compute environment 'ce' is DISABLED/);
  assert.match(stuck.stdout, /! Compute environment 'ce' has maxvCpus 0/);
  assert.match(stuck.stdout, /\ncompute environment +ce +DISABLED +VALID/);
  const json = JSON.parse((await run(["jobs", "describe", jobId, "--json"], { backend })).stdout);
  assert.equal(json.job.status, "RUNNABLE");
  assert.equal(json.runnable.problems.length, 2);
  const missing = await run(["jobs", "describe", "nope"], { backend });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: No job with id 'nope'/);
});

Deno.test("jobs stop, cancel and terminate pick the call by state and report unknown ids", async () => {
  const backend = new MemoryBackend();
  const ids = [];
  for (const status of ["RUNNABLE", "RUNNING", "SUCCEEDED"] as const) {
    const { jobId } = await backend.submitJob({ jobName: status.toLowerCase(), jobQueue: "q", jobDefinition: "d:1" });
    backend.setJobStatus(jobId, status);
    ids.push(jobId);
  }
  const r = await run(["jobs", "stop", ...ids, "--reason", "no longer needed"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    "Cancelled job 'runnable' (was RUNNABLE)\nTerminated job 'running' (was RUNNING)\n" +
      "Left job 'succeeded' alone: it already succeeded\n",
  );
  assert.equal(backend.calls.cancelJob, 1);
  assert.equal(backend.calls.terminateJob, 1);
  assert.equal(backend.jobs.get(ids[0]!)!.statusReason, "no longer needed");
  const { jobId } = await backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "d:1" });
  const partly = await run(["jobs", "cancel", jobId, "ghost"], { backend });
  assert.equal(partly.code, 1);
  assert.equal(partly.stdout, "Cancelled job 'x' (was SUBMITTED)\n");
  assert.equal(partly.stderr, "error: No job with id 'ghost'\n");
  const long = await run(["jobs", "terminate", jobId, "--reason", "x".repeat(1025)], { backend });
  assert.equal(long.code, 2);
  assert.match(long.stderr, /at most 1024/);
});

Deno.test("jobs logs prints the log, follows it until the job ends, and explains an empty one", async () => {
  const backend = new MemoryBackend({ now: () => T0 });
  const { jobId } = await backend.submitJob({ jobName: "j", jobQueue: "q", jobDefinition: "d:1" });
  backend.setJobStatus(jobId, "RUNNING");
  backend.appendLog(`ezbatch/default/${jobId}`, ["one", "two"]);
  const now = await run(["jobs", "logs", jobId], { backend });
  assert.equal(now.code, 0, now.stderr);
  assert.equal(now.stdout, "one\ntwo\n");
  const stamped = await run(["jobs", "logs", jobId, "-t"], { backend });
  assert.equal(stamped.stdout, "2023-11-14 22:13:20Z one\n2023-11-14 22:13:20Z two\n");
  let polls = 0;
  const sleep = () => {
    polls++;
    if (polls === 1) backend.appendLog(`ezbatch/default/${jobId}`, ["three"]);
    if (polls === 2) {
      backend.appendLog(`ezbatch/default/${jobId}`, ["four"]);
      backend.setJobStatus(jobId, "SUCCEEDED", { exitCode: 0 });
    }
    return Promise.resolve();
  };
  const followed = await run(["jobs", "logs", jobId, "--follow"], { backend, sleep });
  assert.equal(followed.stdout, "one\ntwo\nthree\nfour\n");
  const json = await run(["jobs", "logs", jobId, "--json"], { backend });
  assert.deepEqual(JSON.parse(json.stdout.split("\n")[0]!), {
    timestamp: T0,
    message: "one",
    stream: `ezbatch/default/${jobId}`,
  });

  const waiting = await backend.submitJob({ jobName: "w", jobQueue: "q", jobDefinition: "d:1" });
  const empty = await run(["jobs", "logs", waiting.jobId], { backend });
  assert.equal(empty.code, 0);
  assert.equal(empty.stderr, "warning: No log lines for job 'w': it is SUBMITTED and has not run yet\n");
  const array = await backend.submitJob({
    jobName: "arr",
    jobQueue: "q",
    jobDefinition: "d:1",
    arrayProperties: { size: 3 },
  });
  const parent = await run(["jobs", "logs", array.jobId], { backend });
  assert.equal(parent.code, 1);
  assert.match(parent.stderr, /is an array job of 3 children .* --index N \(0 to 2\)/);
  const ghost = await run(["jobs", "logs", "ghost"], { backend });
  assert.equal(ghost.code, 1);
  assert.equal(ghost.stderr, "error: No job with id 'ghost'\n");
});

Deno.test("jobs watch waits for the jobs and exits with the job's exit code, 0 when all succeeded", async () => {
  const backend = new MemoryBackend();
  const a = (await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" })).jobId;
  const b = (await backend.submitJob({ jobName: "b", jobQueue: "q", jobDefinition: "d:1" })).jobId;
  let polls = 0;
  const sleep = () => {
    if (++polls === 2) {
      backend.setJobStatus(a, "SUCCEEDED", { exitCode: 0 });
      backend.setJobStatus(b, "FAILED", { exitCode: 42 });
    }
    return Promise.resolve();
  };
  const one = await run(["jobs", "watch", b], { backend, sleep });
  assert.equal(one.code, 42);
  assert.match(one.stdout, /^JOB ID +NAME +STATUS +EXIT +STOPPED +REASON\njob-000002 +b +FAILED +42 /);
  assert.equal((await run(["jobs", "watch", a], { backend })).code, 0);
  assert.equal((await run(["jobs", "watch", a, b], { backend })).code, 1);
  const ghost = await run(["jobs", "watch", "ghost"], { backend });
  assert.equal(ghost.code, 1);
  assert.match(ghost.stderr, /Job 'ghost' was not found/);
});

Deno.test("jobs describe, jobs list and workflow status show '-' for a start or stop time of 0 or none", async () => {
  const backend = new MemoryBackend({ now: () => T0 });
  const tags = { "ezbatch:workflow": "wf", "ezbatch:run": "r1", "ezbatch:job": "a" };
  const { jobId } = await backend.submitJob({ jobName: "wf-r1-a", jobQueue: "q", jobDefinition: "d:1", tags });
  backend.setJobStatus(jobId, "FAILED", { reason: "Dependent Job failed" });
  const stored = backend.jobs.get(jobId)!;
  stored.startedAt = 0; // as some answers carry it for a job that never ran
  const describe = await run(["jobs", "describe", jobId], { backend, now: () => T0 + 1000 });
  assert.equal(describe.code, 0, describe.stderr);
  assert.doesNotMatch(describe.stdout, /1970|Started|Duration/);
  stored.stoppedAt = 0;
  const list = await run(["jobs", "list", "-q", "q"], { backend, now: () => T0 + 1000 });
  assert.match(list.stdout, /wf-r1-a +FAILED +\S+ \S+ +- +-?\n/);
  assert.doesNotMatch(list.stdout, /\d+h \d+m/);
  const status = await run(["workflow", "status", "wf", "r1", "--queues", "q"], { backend, now: () => T0 + 1000 });
  assert.equal(status.code, 0, status.stderr);
  assert.doesNotMatch(status.stdout, /\d+h \d+m|1970/);
});

Deno.test("jobs describe shows the user's command of a job the preloader runs; --raw shows AWS's", async () => {
  const backend = new MemoryBackend();
  const launch = containerLaunch(job({ command: "python train.py --lr $LR", matrix: { LR: ["0.1", "0.01"] } }));
  const { jobId } = await backend.submitJob({
    jobName: "sweep",
    jobQueue: "q",
    jobDefinition: "d:1",
    arrayProperties: { size: 2 },
    containerOverrides: { command: launch.command },
  });
  const r = await run(["jobs", "describe", jobId], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Command: +\["\/bin\/sh","-c","python train.py --lr \$LR"\], run by the ezbatch preloader \(--raw shows the whole command\)$/m,
  );
  assert.ok(r.stdout.length < 2000, `${r.stdout.length} characters`);
  const raw = await run(["jobs", "describe", jobId, "--raw"], { backend });
  assert.ok(raw.stdout.includes(JSON.stringify(launch.command)));
  const json = JSON.parse((await run(["jobs", "describe", jobId, "--json"], { backend })).stdout);
  assert.deepEqual(json.userCommand, ["/bin/sh", "-c", "python train.py --lr $LR"]);
});
