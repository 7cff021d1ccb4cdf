/**
 * `ezbatch jobs watch` and `ezbatch jobs logs --follow` through the CLI (in-process, over the in-memory backend)
 * on a bad day: throttled calls, the first one included, and a log stream that does not exist yet.
 */
import assert from "node:assert/strict";
import { AwsCallError } from "../../core/errors.ts";
import { run } from "../commands/_run.ts";
import { FakeClock } from "../support/fake_clock.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { chaos } from "./_chaos.ts";

/** Throttles the first `n` calls of `operation`, as AWS does to a burst of pollers. */
function throttleFirst(operation: string, n: number) {
  return (op: string, call: number) =>
    op === operation && call <= n
      ? new AwsCallError({ service: "Batch", operation: op, code: "TooManyRequestsException" }, "Rate exceeded")
      : undefined;
}

/** Runs the CLI over `backend` with `clock`: each wait of a poller runs the clock's next step. */
function cli(args: string[], backend: MemoryBackend, clock: FakeClock, seed: number) {
  const flaky = chaos(backend, { seed, throttle: 0.3 });
  const result = run(args, {
    createBackend: () => Promise.resolve(flaky.backend),
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
  });
  return result.then((r) => ({ ...r, log: flaky.log }));
}

async function submitted(backend: MemoryBackend): Promise<string> {
  return (await backend.submitJob({ jobName: "w-r-train", jobQueue: "q", jobDefinition: "d:1" })).jobId;
}

Deno.test("ezbatch jobs watch survives throttling and exits with the job's exit code when it ends", async () => {
  const memory = new MemoryBackend({ fault: throttleFirst("describeJobs", 2) });
  const id = await submitted(memory);
  const clock = new FakeClock([
    () => memory.setJobStatus(id, "RUNNABLE"),
    () => memory.setJobStatus(id, "STARTING"),
    () => memory.setJobStatus(id, "RUNNING"),
    () => {},
    () => memory.setJobStatus(id, "FAILED", { exitCode: 3, reason: "Essential container in task exited" }),
  ]);
  const r = await cli(["jobs", "watch", id], memory, clock, 11);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, new RegExp(`${id}\\s+w-r-train\\s+FAILED\\s+3\\s`));
  assert.equal(r.stderr, "", "no error, and no progress on a pipe");
  assert.ok(clock.sleeps.length >= 5, "it waited through the job's life");
  assert.ok(r.log.describeJobs!.throttled > 0, "some polls were throttled on the way");
});

Deno.test("ezbatch jobs watch exits 0 for a job that succeeds, after throttled polls", async () => {
  const memory = new MemoryBackend({ fault: throttleFirst("describeJobs", 3) });
  const id = await submitted(memory);
  const clock = new FakeClock([
    () => memory.setJobStatus(id, "RUNNING"),
    () => memory.setJobStatus(id, "SUCCEEDED", { exitCode: 0 }),
  ]);
  const r = await cli(["jobs", "watch", id, "--json"], memory, clock, 4);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout)[0].status, "SUCCEEDED");
});

Deno.test("ezbatch jobs logs --follow waits for a stream that does not exist yet and ends with the job", async () => {
  const memory = new MemoryBackend({ fault: throttleFirst("describeJobs", 1) });
  const id = await submitted(memory);
  const stream = `ezbatch/default/${id}`;
  const lines = Array.from({ length: 12 }, (_, i) => `epoch ${i}`);
  const clock = new FakeClock([
    () => memory.setJobStatus(id, "RUNNABLE"),
    () => memory.setJobStatus(id, "RUNNING"), // the stream has a name now, but CloudWatch has no such stream yet
    () => {},
    () => memory.appendLog(stream, lines.slice(0, 4)),
    () => {},
    () => memory.appendLog(stream, lines.slice(4, 10)),
    () => {
      memory.appendLog(stream, lines.slice(10));
      memory.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
    },
  ]);
  const r = await cli(["jobs", "logs", id, "--follow"], memory, clock, 5);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, lines.map((l) => `${l}\n`).join(""), "every line once, in order, the last ones included");
  assert.equal(r.stderr, "");
  assert.ok((memory.calls["getLogEvents"] ?? 0) > 3, "it polled the stream while the job ran");
  const throttled = (r.log.getLogEvents?.throttled ?? 0) + r.log.describeJobs!.throttled;
  assert.ok(throttled > 0, "some polls were throttled on the way");
});

Deno.test("ezbatch jobs logs --follow of a job that fails before writing a line ends and says why", async () => {
  const memory = new MemoryBackend();
  const id = await submitted(memory);
  const clock = new FakeClock([
    () => memory.setJobStatus(id, "RUNNING"),
    () => memory.setJobStatus(id, "FAILED", { exitCode: 1, reason: "CannotPullContainerError" }),
  ]);
  const r = await cli(["jobs", "logs", id, "--follow"], memory, clock, 9);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    "warning: No log lines for job 'w-r-train': it FAILED without writing any (CannotPullContainerError)\n",
  );
});
