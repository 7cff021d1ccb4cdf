import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { AwsCallError } from "../../core/errors.ts";
import { run } from "./_run.ts";

const HELLO = new URL("../../examples/hello.toml", import.meta.url).pathname;

async function withQueue(backend = new MemoryBackend({ checkDefinitions: true })) {
  await backend.createJobQueue({ jobQueueName: "q", priority: 1, computeEnvironmentOrder: [] });
  return backend;
}

Deno.test("workflow submit prints the run id and job ids, and --json gives the run", async () => {
  const backend = await withQueue();
  const r = await run(["workflow", "submit", HELLO, "--queue", "q", "--run-id", "r1"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    "Run 'r1' of workflow 'hello': 2 jobs submitted to 'q' (job definitions: 1 registered, 0 reused).\n" +
      "JOB      JOB ID      AWS JOB NAME\n" +
      "greet    job-000001  hello-r1-greet\n" +
      "goodbye  job-000002  hello-r1-goodbye\n",
  );
  assert.deepEqual(backend.jobs.get("job-000002")!.dependsOn, [{ jobId: "job-000001" }]);
  assert.equal(backend.jobs.get("job-000001")!.tags!["ezbatch:run"], "r1");
  const again = JSON.parse((await run(["wf", "submit", HELLO, "--queue", "q", "--json"], { backend })).stdout);
  assert.deepEqual(again.definitions.registered, []);
  assert.equal(again.definitions.reused.length, 1);
  assert.deepEqual(Object.keys(again.jobs), ["greet", "goodbye"]);
});

Deno.test("workflow submit --watch follows the run to the end and exits 1 when a job failed", async () => {
  for (const outcome of ["SUCCEEDED", "FAILED"] as const) {
    const backend = await withQueue();
    let polls = 0;
    const sleep = () => {
      polls++;
      for (const [id, job] of backend.jobs) {
        if (job.status === "SUBMITTED") backend.setJobStatus(id, "RUNNING");
        else if (job.status === "RUNNING") {
          const fail = outcome === "FAILED" && job.jobName.endsWith("goodbye");
          backend.setJobStatus(id, fail ? "FAILED" : "SUCCEEDED", { exitCode: fail ? 2 : 0, reason: "done" });
        }
      }
      return Promise.resolve();
    };
    const r = await run(["wf", "submit", HELLO, "--queue", "q", "--run-id", "w1", "--watch"], { backend, sleep });
    assert.equal(r.code, outcome === "FAILED" ? 1 : 0, r.stderr);
    assert.ok(polls >= 2);
    assert.match(r.stdout, /\nJOB +JOB ID +STATUS +CHILDREN +EXIT +DURATION +REASON\n/);
    assert.match(r.stdout, outcome === "FAILED" ? /Run 'w1' failed: .*1 FAILED/ : /Run 'w1' succeeded: 2 SUCCEEDED/);
    assert.match(r.stderr, /greet: SUCCEEDED \(exit 0\)\n/);
  }
});

Deno.test("workflow submit that fails part way terminates what it submitted and says so", async () => {
  const backend = await withQueue(
    new MemoryBackend({
      checkDefinitions: true,
      fault: (op, n) =>
        // 1: refused (no definition yet), 2: 'greet', 3: the next job
        op === "submitJob" && n === 3
          ? new AwsCallError({ service: "Batch", operation: "SubmitJob", code: "ClientException" }, "queue is DISABLED")
          : undefined,
    }),
  );
  const r = await run(["wf", "submit", HELLO, "--queue", "q", "--run-id", "f1"], { backend });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: Submitting run 'f1' of workflow 'hello' failed: .*queue is DISABLED/);
  assert.match(r.stderr, /terminated 1/);
  assert.equal(backend.jobs.get("job-000001")!.isTerminated, true);
  const noQueue = await run(["wf", "submit", HELLO], {
    backend: new MemoryBackend({ checkDefinitions: true }),
  });
  assert.equal(noQueue.code, 1);
  assert.match(noQueue.stderr, /No job queue/);
});

Deno.test("workflow status finds a run's jobs by name and tags and shows each state", async () => {
  const backend = await withQueue();
  await run(["wf", "submit", HELLO, "--queue", "q", "--run-id", "s1"], { backend });
  backend.setJobStatus("job-000001", "RUNNING");
  backend.setJobStatus("job-000001", "SUCCEEDED", { exitCode: 0 });
  const r = await run(["wf", "status", "hello", "s1"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^JOB +JOB ID +STATUS +CHILDREN +EXIT +DURATION +REASON\n/);
  assert.match(r.stdout, /\ngreet +job-000001 +SUCCEEDED +- +0 /);
  assert.match(r.stdout, /\ngoodbye +job-000002 +SUBMITTED /);
  assert.match(r.stdout, /\nRun 's1' is running: 1 SUBMITTED, 1 SUCCEEDED\.\n$/);
  const byFile = JSON.parse((await run(["wf", "status", HELLO, "s1", "--queues", "q", "--json"], { backend })).stdout);
  assert.equal(byFile.jobs.length, 2);
  assert.equal(byFile.summary.finished, false);
  const missing = await run(["wf", "status", "hello", "nope"], { backend });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No job of run 'nope' of workflow 'hello'/);
  const bad = await run(["wf", "status", "no/such", "x"], { backend });
  assert.equal(bad.code, 2);
});

Deno.test("workflow cancel stops the unfinished jobs of a run by state", async () => {
  let tick = 0; // each job gets its own creation time: the run lists them in submission order
  const backend = await withQueue(new MemoryBackend({ checkDefinitions: true, now: () => 1_700_000_000_000 + ++tick }));
  await run(["wf", "submit", HELLO, "--queue", "q", "--run-id", "c1"], { backend });
  backend.setJobStatus("job-000001", "RUNNING");
  const r = await run(["wf", "cancel", "hello", "c1"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    "Terminated job 'hello-c1-greet' (was RUNNING)\nCancelled job 'hello-c1-goodbye' (was SUBMITTED)\n",
  );
  assert.equal(backend.jobs.get("job-000002")!.statusReason, "Run cancelled with ezbatch");
  const again = await run(["wf", "cancel", "hello", "c1"], { backend });
  assert.equal(again.stdout, "Nothing to stop: every job of run 'c1' has finished.\n");
});

Deno.test("workflow submit --watch shows a live summary on a terminal and stops on Ctrl-C with exit 130", async () => {
  const backend = await withQueue();
  const chunks: string[] = [];
  const controller = new AbortController();
  let polls = 0;
  const sleep = (_ms: number, signal?: AbortSignal) => {
    if (++polls === 2) controller.abort(new DOMException("Interrupted", "AbortError"));
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  };
  const r = await run(["wf", "submit", HELLO, "--queue", "q", "--run-id", "i1", "--watch"], {
    backend,
    sleep,
    signal: controller.signal,
    stderr: { isTTY: true, write: (s) => void chunks.push(s) },
  });
  assert.equal(r.code, 130);
  const text = chunks.join("");
  assert.ok(text.includes("\r\x1b[K2 jobs: 2 SUBMITTED"), text);
  assert.ok(text.endsWith("error: Interrupted.\x1b[39m\n"), text);
});

Deno.test("workflow submit --rate above 50 is allowed; warned about only when the calls go to AWS itself", async () => {
  const local = await withQueue();
  const quiet = await run(["wf", "submit", HELLO, "--queue", "q", "--rate", "200"], { backend: local });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /quota/);
  const aws = await withQueue();
  Object.defineProperty(aws, "kind", { value: "aws" }); // as AwsBackend: the quota applies
  const args = ["wf", "submit", HELLO, "--queue", "q", "--rate", "200", "--execution-role", "arn:aws:iam::1:role/x"];
  const warned = await run(args, { backend: aws });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: --rate 200 is above AWS Batch's SubmitJob quota of about 50 per second/);
  const emulator = await run(args, { backend: aws, env: { AWS_ENDPOINT_URL: "http://localhost:4566" } });
  assert.equal(emulator.code, 0, emulator.stderr);
  assert.doesNotMatch(emulator.stderr, /quota/);
});
