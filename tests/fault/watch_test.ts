import assert from "node:assert/strict";
import { followLog, type JobsSnapshot, watchJobs } from "../../core/jobs.ts";
import type { JobStatus } from "../../core/backend_types.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { FakeClock } from "../support/fake_clock.ts";
import { chaos } from "./_chaos.ts";

async function seed(backend: MemoryBackend, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await backend.submitJob({ jobName: `w-r-j${i}`, jobQueue: "q", jobDefinition: "d:1" })).jobId);
  }
  return ids;
}

Deno.test("watchJobs() survives 30% throttling, batches by 100 and ends when the last of 250 jobs ends", async () => {
  const memory = new MemoryBackend();
  const ids = await seed(memory, 250);
  const lifecycle: JobStatus[] = ["RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"];
  let tick = 0;
  // Every wait of the watcher (poll interval or throttling backoff) moves a slice of the jobs one state on.
  const step = () => {
    tick++;
    ids.forEach((id, i) => {
      const stage = Math.min(lifecycle.length - 1, Math.floor((tick * 25 - i) / 60));
      if (stage >= 0) memory.setJobStatus(id, i % 50 === 7 && stage === 3 ? "FAILED" : lifecycle[stage]!);
    });
  };
  const clock = new FakeClock(Array.from({ length: 200 }, () => step));
  const { backend, log } = chaos(memory, { seed: 21, throttle: 0.3 });
  const snapshots: JobsSnapshot[] = [];
  for await (const snapshot of watchJobs(backend, ids, { clock, intervalMs: 1000 })) snapshots.push(snapshot);
  const last = snapshots.at(-1)!;
  assert.equal(last.done, true);
  assert.equal(last.counts.SUCCEEDED, 245);
  assert.equal(last.counts.FAILED, 5);
  assert.ok(log.describeJobs!.throttled >= 3, `throttled ${log.describeJobs!.throttled} polls`);
  // Each served poll made at most ceil(open / 100) calls: never more than 3 for 250 jobs.
  const served = log.describeJobs!.ok;
  assert.ok(memory.calls.describeJobs! <= served * 3, `${memory.calls.describeJobs} calls in ${served} polls`);
  assert.ok(snapshots.every((s, i) => i === 0 || s.at >= snapshots[i - 1]!.at));
});

Deno.test("followLog() waits through a missing stream and throttling, yields each line once, and ends with the job", async () => {
  const memory = new MemoryBackend();
  const [id] = await seed(memory, 1);
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  let written = 0;
  const steps = [
    () => memory.setJobStatus(id!, "RUNNABLE"),
    () => memory.setJobStatus(id!, "STARTING"),
    () => memory.setJobStatus(id!, "RUNNING"), // the stream name is known now, but nothing is written yet
    ...Array.from({ length: 8 }, () => () => {
      memory.appendLog(`ezbatch/default/${id}`, lines.slice(written, written + 5));
      written += 5;
    }),
    () => memory.setJobStatus(id!, "SUCCEEDED", { exitCode: 0 }),
  ];
  const clock = new FakeClock(steps);
  const { backend, log } = chaos(memory, { seed: 5, throttle: 0.3 });
  const seen: string[] = [];
  for await (const event of followLog(backend, id!, { clock, pollMs: 500 })) seen.push(event.message);
  assert.deepEqual(seen, lines);
  assert.ok((log.getLogEvents?.throttled ?? 0) + (log.describeJobs?.throttled ?? 0) > 0, "some polls were throttled");
  assert.ok((memory.calls.getLogEvents ?? 0) > 8, "it polled while the job ran");
});

Deno.test("followLog() of a job that ends without ever writing a log ends too", async () => {
  const memory = new MemoryBackend();
  const [id] = await seed(memory, 1);
  const clock = new FakeClock([
    () => memory.setJobStatus(id!, "RUNNING"),
    () => memory.setJobStatus(id!, "FAILED", { exitCode: 1, reason: "Essential container in task exited" }),
  ]);
  const { backend } = chaos(memory, { seed: 9, throttle: 0.3 });
  const seen = [];
  for await (const event of followLog(backend, id!, { clock, pollMs: 500 })) seen.push(event);
  assert.deepEqual(seen, []);
});

Deno.test("watchJobs() and followLog() stop when aborted", async () => {
  const memory = new MemoryBackend();
  const ids = await seed(memory, 3);
  const controller = new AbortController();
  const clock = new FakeClock([() => controller.abort(new Error("stopped by the user"))]);
  const watched = (async () => {
    for await (const _ of watchJobs(memory, ids, { clock, signal: controller.signal })) { /* keep polling */ }
  })();
  await assert.rejects(watched, /stopped by the user/);
  const other = new AbortController();
  const logClock = new FakeClock([() => other.abort(new Error("stopped too"))]);
  const followed = (async () => {
    for await (const _ of followLog(memory, ids[0]!, { clock: logClock, signal: other.signal })) { /* follow */ }
  })();
  await assert.rejects(followed, /stopped too/);
});
