import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { FakeClock } from "../support/fake_clock.ts";
import { followLog, type JobLogEvent, logLocationsOf } from "../../core/jobs.ts";
import type { JobDetail } from "../../core/backend_types.ts";
import { AwsCallError, NotFoundError, UsageError } from "../../core/errors.ts";

const BASE: JobDetail = { jobId: "1", jobName: "train", jobQueue: "q", jobDefinition: "d:1", status: "RUNNING" };

Deno.test("logLocationsOf() reads containerProperties streams by attempt, latest by default, with the job's group", () => {
  const detail: JobDetail = {
    ...BASE,
    attempts: [{ container: { logStreamName: "d/default/a1" } }, { container: { logStreamName: "d/default/a2" } }],
    container: {
      logStreamName: "d/default/a3",
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/custom/group" } },
    },
  };
  assert.deepEqual(logLocationsOf(detail), [{ group: "/custom/group", stream: "d/default/a3", attempt: 3 }]);
  assert.deepEqual(logLocationsOf(detail, { attempt: 1 }), [{
    group: "/custom/group",
    stream: "d/default/a1",
    attempt: 1,
  }]);
  assert.deepEqual(logLocationsOf(detail, { attempt: 2, group: "/override" }), [
    { group: "/override", stream: "d/default/a2", attempt: 2 },
  ]);
  assert.throws(
    () => logLocationsOf(detail, { attempt: 4 }),
    (e: unknown) =>
      e instanceof UsageError && e.message === "Job 'train' has no attempt 4: it has had 3 (count from 1)",
  );
  assert.throws(() => logLocationsOf(detail, { attempt: 0 }), UsageError);
});

Deno.test("logLocationsOf() does not count the current stream twice once the attempt is recorded", () => {
  const finished: JobDetail = {
    ...BASE,
    status: "FAILED",
    attempts: [{ container: { logStreamName: "s1" } }],
    container: { logStreamName: "s1" },
  };
  assert.deepEqual(logLocationsOf(finished), [{ group: "/aws/batch/job", stream: "s1", attempt: 1 }]);
  assert.deepEqual(logLocationsOf({ ...BASE, status: "RUNNABLE" }), [], "no stream before RUNNING");
});

Deno.test("logLocationsOf() reads ecsProperties containers, each with its own group, and filters by name", () => {
  const detail: JobDetail = {
    ...BASE,
    ecsProperties: {
      taskProperties: [{
        containers: [
          { name: "main", logStreamName: "ecs/main/t1" },
          {
            name: "sidecar",
            logStreamName: "ecs/sidecar/t1",
            logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/side" } },
          },
          { name: "init" },
        ],
      }],
    },
  };
  assert.deepEqual(logLocationsOf(detail), [
    { group: "/aws/batch/job", stream: "ecs/main/t1", container: "main" },
    { group: "/side", stream: "ecs/sidecar/t1", container: "sidecar" },
  ]);
  assert.deepEqual(logLocationsOf(detail, { container: "sidecar" }), [
    { group: "/side", stream: "ecs/sidecar/t1", container: "sidecar" },
  ]);
});

async function collect(iterator: AsyncIterable<JobLogEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of iterator) out.push(event.message);
  return out;
}

Deno.test("followLog() waits for the stream, reads each line once, and ends when the job finished and the token stopped", async () => {
  const backend = new MemoryBackend();
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" });
  const stream = `ezbatch/default/${jobId}`;
  backend.setJobStatus(jobId, "RUNNABLE");
  const clock = new FakeClock([
    () => backend.setJobStatus(jobId, "RUNNING"), // a stream name, but no stream yet
    () => backend.appendLog(stream, ["one", "two"]),
    () => {}, // nothing new
    () => {
      backend.appendLog(stream, ["three"]);
      backend.setJobStatus(jobId, "SUCCEEDED", { exitCode: 0 });
    },
  ]);
  const seen: { nextToken?: string; startFromHead?: boolean }[] = [];
  const getLogEvents = backend.getLogEvents.bind(backend);
  backend.getLogEvents = (location, options) => {
    seen.push({ nextToken: options?.nextToken, startFromHead: options?.startFromHead });
    return getLogEvents(location, options);
  };
  assert.deepEqual(await collect(followLog(backend, jobId, { clock, pollMs: 1000 })), ["one", "two", "three"]);
  assert.deepEqual(clock.sleeps, [1000, 1000, 1000, 1000]);
  assert.ok(seen.every((s) => s.startFromHead === true));
  assert.equal(seen[0]!.nextToken, undefined, "the first read starts at the head");
  assert.equal(seen.at(-1)!.nextToken, "f/3", "the last read repeats the token: it stopped moving");
});

Deno.test("followLog() with follow: false reads what is there and stops; a job without logs gives nothing", async () => {
  const backend = new MemoryBackend();
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" });
  const clock = new FakeClock();
  assert.deepEqual(await collect(followLog(backend, jobId, { clock, follow: false })), []);
  backend.setJobStatus(jobId, "RUNNING");
  backend.appendLog(`ezbatch/default/${jobId}`, ["x", "y"]);
  assert.deepEqual(await collect(followLog(backend, jobId, { clock, follow: false })), ["x", "y"]);
  assert.deepEqual(clock.sleeps, []);
  backend.setJobStatus(jobId, "FAILED", { exitCode: 1 });
  assert.deepEqual(await collect(followLog(backend, jobId, { clock })), ["x", "y"], "finished: read and stop");
});

Deno.test("followLog() backs off while throttled and then goes on", async () => {
  const throttled = () =>
    new AwsCallError({ service: "CloudWatchLogs", operation: "GetLogEvents", code: "ThrottlingException" }, "Rate");
  const backend = new MemoryBackend({
    fault: (operation, n) => operation === "getLogEvents" && (n === 1 || n === 2) ? throttled() : undefined,
  });
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" });
  backend.setJobStatus(jobId, "RUNNING");
  backend.appendLog(`ezbatch/default/${jobId}`, ["hello"]);
  backend.setJobStatus(jobId, "SUCCEEDED");
  const clock = new FakeClock();
  assert.deepEqual(await collect(followLog(backend, jobId, { clock, pollMs: 500 })), ["hello"]);
  assert.deepEqual(clock.sleeps, [500, 1000], "doubling waits while throttled");
});

Deno.test("followLog() moves on to the stream of the next attempt after a retry", async () => {
  const backend = new MemoryBackend();
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" });
  const job = backend.jobs.get(jobId)!;
  job.status = "RUNNING";
  job.container = { logStreamName: "s1" };
  backend.appendLog("s1", ["first try"]);
  const clock = new FakeClock([() => {
    backend.appendLog("s1", ["first try ends"]);
    job.attempts = [{ container: { logStreamName: "s1", exitCode: 137 } }];
    job.container = { logStreamName: "s2" };
    backend.appendLog("s2", ["second try"]);
    job.status = "SUCCEEDED";
  }]);
  const events: JobLogEvent[] = [];
  for await (const event of followLog(backend, jobId, { clock })) events.push(event);
  assert.deepEqual(events.map((e) => `${e.stream}: ${e.message}`), [
    "s1: first try",
    "s1: first try ends",
    "s2: second try",
  ]);
});

Deno.test("followLog() fails for an unknown job and stops when its signal aborts", async () => {
  const backend = new MemoryBackend();
  await assert.rejects(collect(followLog(backend, "ghost", { clock: new FakeClock() })), NotFoundError);
  const { jobId } = await backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d:1" });
  const controller = new AbortController();
  const clock = new FakeClock([() => controller.abort(new Error("stop following"))]);
  await assert.rejects(collect(followLog(backend, jobId, { clock, signal: controller.signal })), /stop following/);
});

Deno.test("followLog() reads every container of an ecsProperties job, each poll merged by time", async () => {
  let now = 1000;
  const backend = new MemoryBackend({ now: () => now });
  const { jobId } = await backend.submitJob({ jobName: "multi", jobQueue: "q", jobDefinition: "d:1" });
  const job = backend.jobs.get(jobId)!;
  job.status = "RUNNING";
  job.ecsProperties = {
    taskProperties: [{
      containers: [{ name: "app", logStreamName: "m/app" }, { name: "side", logStreamName: "m/side" }],
    }],
  };
  const at = (t: number, stream: string, line: string) => {
    now = t;
    backend.appendLog(stream, [line]);
  };
  at(1, "m/side", "side starts");
  at(2, "m/app", "app starts");
  at(3, "m/side", "side ready");
  const clock = new FakeClock([() => {
    at(5, "m/app", "app done");
    at(4, "m/side", "side done");
    job.status = "SUCCEEDED";
  }]);
  const events: JobLogEvent[] = [];
  for await (const event of followLog(backend, jobId, { clock })) events.push(event);
  assert.deepEqual(events.map((e) => `${e.stream}: ${e.message}`), [
    "m/side: side starts",
    "m/app: app starts",
    "m/side: side ready",
    "m/side: side done",
    "m/app: app done",
  ]);
  const onlyApp: string[] = [];
  for await (const e of followLog(backend, jobId, { clock: new FakeClock(), container: "app" })) {
    onlyApp.push(e.message);
  }
  assert.deepEqual(onlyApp, ["app starts", "app done"]);
});
