import assert from "node:assert/strict";
import { AwsCallError } from "../../core/errors.ts";
import { DESCRIBE_BATCH, fetchSnapshot, isThrottle, runOf } from "../../tui/monitor/data.ts";
import { LogFollower, Refresher } from "../../tui/monitor/poller.ts";
import type { Snapshot } from "../../tui/monitor/state.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { tick, waitFor } from "./_wait.ts";

async function backendWithQueue(jobs: number): Promise<MemoryBackend> {
  const backend = new MemoryBackend();
  await backend.createComputeEnvironment({
    computeEnvironmentName: "env",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["s"] },
  });
  backend.computeEnvironments.get("env")!.statusReason = "CLIENT_ERROR - no subnet";
  await backend.createJobQueue({
    jobQueueName: "q",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "arn:aws:batch:us-east-1:1:compute-environment/env" }],
  });
  for (let i = 0; i < jobs; i++) {
    await backend.submitJob({ jobName: `job-${i}`, jobQueue: "q", jobDefinition: "d:1" });
  }
  return backend;
}

const throttled = () =>
  new AwsCallError({ service: "Batch", operation: "x", code: "TooManyRequestsException" }, "slow");

Deno.test("fetchSnapshot() lists every state, describes in calls of 100 ids, and skips ended jobs next time", async () => {
  const backend = await backendWithQueue(250);
  const ids = [...backend.jobs.keys()];
  for (const id of ids.slice(0, 200)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  const cache = new Map();
  const first = await fetchSnapshot(backend, { cache });
  assert.equal(first.queue, "q");
  assert.equal(first.jobs.length, 250);
  assert.equal(backend.calls.listJobs, 7, "one listing per state");
  assert.equal(backend.calls.describeJobs, Math.ceil(250 / DESCRIBE_BATCH));
  assert.deepEqual(first.queues[0]!.environments, [
    { name: "env", state: "ENABLED", status: "VALID", statusReason: "CLIENT_ERROR - no subnet" },
  ]);
  await fetchSnapshot(backend, { cache });
  assert.equal(backend.calls.describeJobs, 3 + 1, "only the 50 unfinished jobs are described again");
  const ended = (await fetchSnapshot(backend, { cache })).jobs.find((j) => j.jobId === ids[0]);
  assert.equal(ended?.exitCode, 0);
});

Deno.test("fetchSnapshot() with no queue returns only queues, and an unknown queue falls back to the first", async () => {
  const empty = await fetchSnapshot(new MemoryBackend(), { cache: new Map() });
  assert.deepEqual([empty.queues, empty.jobs, empty.queue], [[], [], undefined]);
  const backend = await backendWithQueue(1);
  assert.equal((await fetchSnapshot(backend, { cache: new Map(), queue: "nope" })).queue, "q");
});

Deno.test("runOf() reads the ezbatch tags: run, job, attempt and job count; an array child is not the run's job", () => {
  assert.deepEqual(
    runOf({
      jobId: "1",
      jobName: "n",
      jobQueue: "q",
      status: "RUNNING",
      jobDefinition: "d",
      tags: { "ezbatch:workflow": "w", "ezbatch:run": "r", "ezbatch:job": "j" },
    }),
    { workflow: "w", run: "r", job: "j", attempt: 1 },
  );
  const tags = { "ezbatch:workflow": "w", "ezbatch:run": "r", "ezbatch:job": "j", "ezbatch:jobs": "12" };
  const detail = { jobId: "p", jobName: "n", jobQueue: "q", status: "RUNNING" as const, jobDefinition: "d" };
  assert.deepEqual(runOf({ ...detail, tags: { ...tags, "ezbatch:attempt": "2" } }), {
    workflow: "w",
    run: "r",
    job: "j",
    attempt: 2,
    jobs: 12,
  });
  assert.equal(runOf({ ...detail, jobId: "p:3", tags }), undefined);
  assert.equal(runOf({ jobId: "1", jobName: "n", jobQueue: "q", status: "RUNNING", jobDefinition: "d" }), undefined);
});

Deno.test("Refresher backs off while throttled, reports each failure, and returns to the interval after success", async () => {
  let failing = true;
  const faulty = new MemoryBackend({
    fault: (op) => (failing && op === "describeJobQueues" ? throttled() : undefined),
  });
  const errors: string[] = [];
  const snapshots: Snapshot[] = [];
  const instant = { now: () => Date.now(), sleep: () => Promise.resolve() };
  const refresher = new Refresher(faulty, {
    intervalMs: 10,
    maxIntervalMs: 40,
    clock: instant,
    queue: () => undefined,
    onSnapshot: (s) => snapshots.push(s),
    onError: (text) => errors.push(text),
  });
  refresher.start();
  const gaveUp = () => errors.filter((e) => e.startsWith("Throttled by the service; next refresh in"));
  await waitFor(() => gaveUp().length >= 3, "three throttled refreshes");
  assert.equal(refresher.delayMs, 40, "doubled twice then capped");
  assert.equal(gaveUp()[0], "Throttled by the service; next refresh in 1s");
  assert.match(errors[0]!, /^Throttled by the service; trying again in \d+s$/, "each wait is shown while it retries");
  failing = false;
  await waitFor(() => snapshots.length > 0, "a good refresh");
  assert.equal(refresher.delayMs, 10);
  refresher.stop();
  const count = faulty.calls.describeJobQueues;
  await tick(60);
  assert.equal(faulty.calls.describeJobQueues, count, "no refresh after stop");
  assert.ok(isThrottle(throttled()));
  assert.ok(!isThrottle(new Error("x")));
});

Deno.test("Refresher reports other failures in words and never runs two refreshes at once", async () => {
  let inFlight = 0;
  let most = 0;
  const backend = new MemoryBackend({
    latencyMs: 15,
    fault: (op, n) => (op === "describeJobQueues" && n === 1 ? new Error("Network is down") : undefined),
  });
  const original = backend.describeJobQueues.bind(backend);
  backend.describeJobQueues = async (...args) => {
    most = Math.max(most, ++inFlight);
    try {
      return await original(...args);
    } finally {
      inFlight--;
    }
  };
  const errors: string[] = [];
  let good = 0;
  const refresher = new Refresher(backend, {
    intervalMs: 5,
    queue: () => undefined,
    onSnapshot: () => good++,
    onError: (text) => errors.push(text),
  });
  refresher.start();
  for (let i = 0; i < 5; i++) refresher.refreshNow();
  await waitFor(() => good >= 2, "two good refreshes");
  refresher.stop();
  assert.equal(most, 1);
  assert.match(errors[0]!, /^Refresh failed: Network is down \(retrying in 1s\)$/);
});

Deno.test("LogFollower reads from the start, follows new lines, and is done once the job ended", async () => {
  const backend = await backendWithQueue(1);
  const [id] = [...backend.jobs.keys()];
  const got: { lines: string[]; exists: boolean; done: boolean }[] = [];
  const follower = new LogFollower(backend, {
    intervalMs: 5,
    onLines: (_, lines, exists, done) => got.push({ lines, exists, done }),
    onError: (text) => assert.fail(text),
  });
  follower.follow(id!);
  await waitFor(() => got.length > 0, "a first read");
  assert.deepEqual(got[0], { lines: [], exists: false, done: false });
  backend.setJobStatus(id!, "RUNNING");
  backend.appendLog(`ezbatch/default/${id}`, ["one", "two"]);
  await waitFor(() => got.flatMap((g) => g.lines).length === 2, "two lines");
  backend.appendLog(`ezbatch/default/${id}`, ["three"]);
  await waitFor(() => got.flatMap((g) => g.lines).includes("three"), "the third line");
  backend.setJobStatus(id!, "SUCCEEDED", { exitCode: 0 });
  await waitFor(() => got.at(-1)?.done === true, "the end of the log");
  const reads = backend.calls.getLogEvents;
  await tick(40);
  assert.equal(backend.calls.getLogEvents, reads, "no reads after the end");
  assert.deepEqual(got.flatMap((g) => g.lines), ["one", "two", "three"]);
  follower.stop();
});

Deno.test("fetchSnapshot() with pickBusy starts on the first queue that has jobs", async () => {
  const backend = await backendWithQueue(0);
  await backend.createJobQueue({ jobQueueName: "z-busy", priority: 1, computeEnvironmentOrder: [] });
  await backend.submitJob({ jobName: "work", jobQueue: "z-busy", jobDefinition: "d:1" });
  assert.equal((await fetchSnapshot(backend, { cache: new Map(), pickBusy: true })).queue, "z-busy");
  assert.equal((await fetchSnapshot(backend, { cache: new Map() })).queue, "q");
  const idle = await backendWithQueue(0);
  assert.equal((await fetchSnapshot(idle, { cache: new Map(), pickBusy: true })).queue, "q");
});

Deno.test("fetchSnapshot() with pickBusy and a run id starts on the queue that has the run's jobs", async () => {
  const backend = await backendWithQueue(1);
  await backend.createJobQueue({ jobQueueName: "z-run", priority: 1, computeEnvironmentOrder: [] });
  await backend.submitJob({ jobName: "wf-r1x2-train", jobQueue: "z-run", jobDefinition: "d:1" });
  const cache = new Map();
  assert.equal((await fetchSnapshot(backend, { cache, pickBusy: true, runId: "r1x2" })).queue, "z-run");
  assert.equal((await fetchSnapshot(backend, { cache, pickBusy: true, runId: "nope" })).queue, "q");
});
