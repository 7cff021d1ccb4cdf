/** jobs submit through the CLI; jobs list, describe, stop, logs and watch are in jobs_test.ts. */
import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";

const T0 = 1_700_000_000_000;

Deno.test("jobs submit with an image registers a shared definition once and sends the job's overrides", async () => {
  const backend = new MemoryBackend();
  const args = ["jobs", "submit", "-q", "q", "--image", "alpine:3.20", "--vcpus", "0.5", "--memory", "1024"];
  const r = await run([...args, "--name", "hello", "--env", "A=1", "--", "echo", "hi"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "job-000001\n");
  const job = backend.jobs.get("job-000001")!;
  assert.equal(job.jobName, "hello");
  assert.equal(job.input!.jobQueue, "q");
  assert.match(job.input!.jobDefinition, /^ezbatch-alpine-3-20-[0-9a-f]{12}:1$/);
  assert.deepEqual(job.input!.containerOverrides, {
    command: ["echo", "hi"],
    environment: [{ name: "A", value: "1" }],
    resourceRequirements: [{ type: "VCPU", value: "0.5" }, { type: "MEMORY", value: "1024" }],
  });
  const second = await run([...args, "--command", "echo again", "--json"], { backend, now: () => T0 });
  const out = JSON.parse(second.stdout);
  assert.equal(out.definitionReused, true);
  assert.equal(out.jobName, "alpine-3-20-20231114221320");
  assert.equal(backend.calls.registerJobDefinition, 1);
  assert.deepEqual(backend.jobs.get(out.jobId)!.input!.containerOverrides!.command, ["/bin/sh", "-c", "echo again"]);
});

Deno.test("jobs submit runs an existing definition with overrides, array size, dependencies and tags", async () => {
  const backend = new MemoryBackend();
  await backend.registerJobDefinition({
    jobDefinitionName: "d",
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: { image: "alpine" },
  });
  const r = await run([
    "jobs",
    "submit",
    "--definition",
    "d",
    "--name",
    "n",
    "--env",
    "X=1",
    "--vcpus",
    "2",
    "--memory",
    "4096",
    "--array-size",
    "5",
    "--depends-on",
    "job-a",
    "--depends-on",
    "job-b:N_TO_N",
    "--tag",
    "team=x",
    "--retry",
    "2",
    "--timeout",
    "5m",
    "--",
    "run.sh",
  ], { backend, settings: { queue: "default-q" } });
  assert.equal(r.code, 0, r.stderr);
  const { input } = backend.jobs.get(r.stdout.trim())!;
  assert.deepEqual(input, {
    jobName: "n",
    jobQueue: "default-q",
    jobDefinition: "d:1",
    retryStrategy: { attempts: 2 },
    timeout: { attemptDurationSeconds: 300 },
    containerOverrides: {
      command: ["run.sh"],
      environment: [{ name: "X", value: "1" }],
      resourceRequirements: [{ type: "VCPU", value: "2" }, { type: "MEMORY", value: "4096" }],
    },
    arrayProperties: { size: 5 },
    dependsOn: [{ jobId: "job-a" }, { jobId: "job-b", type: "N_TO_N" }],
    tags: { team: "x" },
    propagateTags: true,
  });
});

Deno.test("jobs submit refuses bad input with one line, submitting nothing", async () => {
  const usage: [string[], RegExp][] = [
    [["jobs", "submit", "--image", "a"], /Say which job queue: --queue NAME/],
    [["jobs", "submit", "-q", "q"], /Say what to run: --image IMAGE/],
    [["jobs", "submit", "-q", "q", "--image", "a", "--name", "-bad"], /Job name '-bad' is not valid/],
    [["jobs", "submit", "-q", "q", "--definition", "d", "--image", "a"], /With --definition only/],
    [["jobs", "submit", "-q", "q", "--definition", "d", "--vcpus", "2"], /give both --vcpus and --memory/],
    [["jobs", "submit", "-q", "q", "--image", "a", "--array-size", "1"], /from 2 to 10000/],
    [["jobs", "submit", "-q", "q", "--image", "a", "--memory", "lots"], /Expected a whole number/],
  ];
  for (const [args, pattern] of usage) {
    const backend = new MemoryBackend();
    const r = await run(args, { backend });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(backend.calls.submitJob, undefined);
  }
  const missing = await run(["jobs", "submit", "-q", "q", "--definition", "nope"], { backend: new MemoryBackend() });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No ACTIVE revision of job definition 'nope' exists/);
});

Deno.test("jobs submit --watch waits for the job and exits with its exit code", async () => {
  const backend = new MemoryBackend();
  let polls = 0;
  const sleep = () => {
    polls++;
    const id = [...backend.jobs.keys()][0]!;
    if (polls === 1) backend.setJobStatus(id, "RUNNING");
    if (polls === 2) backend.setJobStatus(id, "FAILED", { exitCode: 7, reason: "Essential container exited" });
    return Promise.resolve();
  };
  const r = await run(["jobs", "submit", "-q", "q", "--image", "a", "--watch", "--", "false"], { backend, sleep });
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout, "job-000001\n");
  // stderr is no terminal here (CI, redirection): the outcome is still there.
  assert.match(
    r.stderr,
    /^JOB ID +NAME +STATUS +EXIT +STOPPED +REASON\njob-000001 +a-\d+ +FAILED +7 +\S+ \S+ +Essential container exited\n/m,
  );
});

Deno.test("jobs submit --watch of a job that failed without an exit code exits 1 and says why", async () => {
  const backend = new MemoryBackend();
  const sleep = () => {
    backend.setJobStatus([...backend.jobs.keys()][0]!, "FAILED", { reason: "Dependent Job failed" });
    return Promise.resolve();
  };
  const r = await run(["jobs", "submit", "-q", "q", "--image", "a", "--watch", "--", "true"], { backend, sleep });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FAILED +- +\S+ \S+ +Dependent Job failed\n/);
  assert.match(
    r.stderr,
    /warning: Job 'a-\d+' FAILED without an exit code from AWS \(Dependent Job failed\): exiting with 1\n/,
  );
});
