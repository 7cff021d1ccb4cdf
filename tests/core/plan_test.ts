import assert from "node:assert/strict";
import { WorkflowError } from "../../core/errors.ts";
import { isValidJobName } from "../../core/names.ts";
import { MAX_SUBMIT_BYTES, newRunId, planWorkflow, submitJobRequest } from "../../core/plan.ts";
import { loadWorkflow } from "../../core/load.ts";
import { chain, job, ROLES, runTags, shapedTags, workflow } from "./_jobs.ts";

const fixed = { ...ROLES, runId: "r1", now: () => 1_700_000_000_000 };

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof WorkflowError) return e.issues.map((i) => i.message);
    throw e;
  }
  assert.fail("expected a WorkflowError");
}

Deno.test("planWorkflow() is pure and deterministic given the run id and the clock", () => {
  const wf = workflow({ a: job(), b: job({ command: "echo b" }) }, { b: ["a"] });
  const copy = structuredClone(wf);
  const one = planWorkflow(wf, fixed);
  const two = planWorkflow(wf, fixed);
  assert.deepEqual(one, two);
  assert.deepEqual(wf, copy, "the workflow is not modified");
  assert.equal(one.createdAt, 1_700_000_000_000);
  assert.equal(one.runId, "r1");
});

Deno.test("planWorkflow() makes a random 8-character run id unless given one", () => {
  const wf = workflow({ a: job() });
  const a = planWorkflow(wf, ROLES).runId;
  const b = planWorkflow(wf, ROLES).runId;
  assert.match(a, /^[a-z0-9]{8}$/);
  assert.notEqual(a, b);
  assert.equal(newRunId(() => 0), "aaaaaaaa");
  assert.equal(newRunId(() => 0.999999), "99999999");
  assert.throws(() => planWorkflow(wf, { ...ROLES, runId: "bad id" }), /Run id 'bad id' is not valid/);
});

Deno.test("planWorkflow() shares one definition among jobs that differ only in command, environment and size", () => {
  const plan = planWorkflow(
    workflow({
      a: job({ command: "a", vcpus: 0.5, memory: 1024 }),
      b: job({ command: ["b"], environment: { X: "1" } }),
      c: job({ platform: "EC2", gpus: 1 }),
    }),
    fixed,
  );
  assert.equal(plan.definitions.length, 2);
  assert.deepEqual(plan.definitions.map((d) => d.jobs), [["a", "b"], ["c"]]);
  const [a, b, c] = plan.submissions;
  assert.equal(a!.jobDefinition, b!.jobDefinition);
  assert.notEqual(a!.jobDefinition, c!.jobDefinition);
  assert.deepEqual(a!.containerOverrides, {
    command: ["/bin/sh", "-c", "a"],
    resourceRequirements: [{ type: "VCPU", value: "0.5" }, { type: "MEMORY", value: "1024" }],
  });
  assert.deepEqual(b!.containerOverrides.environment, [{ name: "X", value: "1" }]);
  assert.deepEqual(c!.containerOverrides.resourceRequirements?.at(-1), { type: "GPU", value: "1" });
});

Deno.test("planWorkflow() names, queues and tags every submission", () => {
  const plan = planWorkflow(
    workflow({ a: job({ tags: { team: "x" } }), b: job({ queue: "gpu" }) }, {}, { queue: undefined }),
    { ...fixed, queue: "default-q" },
  );
  const [a, b] = plan.submissions;
  assert.equal(a!.jobName, "wf-r1-a");
  assert.equal(a!.jobQueue, "default-q");
  assert.equal(b!.jobQueue, "gpu");
  assert.deepEqual(shapedTags(a!.tags), { team: "x", ...runTags("wf", "r1", "a", 2) });
  assert.equal(a!.propagateTags, true);
  const wfQueue = planWorkflow(workflow({ a: job({}) }), { ...fixed, queue: "default-q" });
  assert.equal(wfQueue.submissions[0]!.jobQueue, "q", "the workflow's queue wins over the default");
});

Deno.test("planWorkflow() shortens long job names deterministically", () => {
  const long = "x".repeat(130);
  const plan = planWorkflow(workflow({ [long + "a"]: job(), [long + "b"]: job() }), fixed);
  const [a, b] = plan.submissions.map((s) => s.jobName);
  assert.equal(a!.length, 128);
  assert.ok(isValidJobName(a!));
  assert.notEqual(a, b);
  assert.ok(a!.startsWith("wf-r1-xxx"));
});

Deno.test("planWorkflow() reports a job without any queue", () => {
  const issues = issuesOf(() => planWorkflow(workflow({ a: job() }, {}, { queue: undefined }), fixed));
  assert.deepEqual(issues, [
    "No job queue: set 'queue' on the job or the workflow, pass --queue NAME (or set queue in the config), " +
    "or add --local to run it on this machine (queue 'ezbatch-local')",
  ]);
});

Deno.test("planWorkflow() orders submissions so that every job follows the jobs it waits for", () => {
  const wf = workflow(
    { report: job(), train: job(), prepare: job(), other: job() },
    { report: ["train"], train: ["prepare"] },
  );
  const order = planWorkflow(wf, fixed).submissions.map((s) => s.job);
  assert.deepEqual(order, ["prepare", "train", "report", "other"]);
  assert.deepEqual(planWorkflow(chain(5), fixed).submissions.map((s) => s.job), ["j0", "j1", "j2", "j3", "j4"]);
});

Deno.test("planWorkflow() reports cycles and unknown dependencies", () => {
  const cycle = issuesOf(() => planWorkflow(workflow({ a: job(), b: job() }, { a: ["b"], b: ["a"] }), fixed));
  assert.match(cycle[0]!, /cycle: a -> b -> a/);
  const unknown = issuesOf(() => planWorkflow(workflow({ a: job() }, { a: ["nope"] }), fixed));
  assert.match(unknown[0]!, /Unknown job 'nope'/);
});

Deno.test("planWorkflow() turns a matrix into one array job whose children get their values", async () => {
  const plan = planWorkflow(
    workflow({ sweep: job({ command: "echo $LR-$DEPTH", matrix: { LR: ["0.1", "0.01"], DEPTH: ["3", "5", "7"] } }) }),
    fixed,
  );
  assert.equal(plan.submissions.length, 1);
  const s = plan.submissions[0]!;
  assert.deepEqual(s.arrayProperties, { size: 6 });
  const env = Object.fromEntries((s.containerOverrides.environment ?? []).map((kv) => [kv.name, kv.value]));
  const [exe, ...args] = s.containerOverrides.command!;
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) {
    const out = await new Deno.Command(exe!, { args, env: { ...env, AWS_BATCH_JOB_ARRAY_INDEX: String(i) } })
      .output();
    seen.push(new TextDecoder().decode(out.stdout).trim());
  }
  assert.deepEqual(seen, ["0.1-3", "0.1-5", "0.1-7", "0.01-3", "0.01-5", "0.01-7"]);
});

Deno.test("planWorkflow() checks N_TO_N sizes, the number of tags and of dependencies", () => {
  const m = (n: number) => job({ matrix: { I: Array.from({ length: n }, (_, i) => String(i)) } });
  const ok = planWorkflow(workflow({ a: m(3), b: m(3) }, { b: [{ job: "a", type: "N_TO_N" }] }), fixed);
  assert.deepEqual(ok.submissions[1]!.dependsOn, [{ job: "a", type: "N_TO_N" }]);
  const sizes = issuesOf(() =>
    planWorkflow(workflow({ a: m(3), b: m(4) }, { b: [{ job: "a", type: "N_TO_N" }] }), fixed)
  );
  assert.match(sizes[0]!, /same size: 'b' has 4 children, 'a' has 3/);
  const tags = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`t${i}`, "v"]));
  assert.match(issuesOf(() => planWorkflow(workflow({ a: job({ tags }) }), fixed))[0]!, /51 tags \(its own plus 7/);
  const jobs = Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`j${i}`, job()]));
  const deps = { j21: Array.from({ length: 21 }, (_, i) => `j${i}`) };
  assert.match(issuesOf(() => planWorkflow(workflow(jobs, deps), fixed))[0]!, /21 dependencies/);
});

Deno.test("planWorkflow() reports every problem at once, each with its job", () => {
  try {
    planWorkflow(workflow({ a: job(), b: job({ command: undefined, matrix: { "bad key": ["1", "2"] } }) }), {
      runId: "r",
    });
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof WorkflowError);
    const jobs = e.issues.map((i) => i.job);
    assert.ok(jobs.includes("a") && jobs.includes("b"), e.message);
    assert.ok(e.issues.length >= 4, e.message);
  }
});

Deno.test("planWorkflow() refuses a SubmitJob request over 30 KiB", () => {
  const environment = { BIG: "x".repeat(MAX_SUBMIT_BYTES) };
  assert.match(issuesOf(() => planWorkflow(workflow({ a: job({ environment }) }), fixed))[0]!, /too large to submit/);
});

Deno.test("submitJobRequest() wires dependency ids, retry and timeout into the SubmitJob request", () => {
  const wf = workflow({
    a: job({ matrix: { I: ["1", "2"] } }),
    b: job({
      matrix: { I: ["1", "2"] },
      timeout: 600,
      retry: { attempts: 2, evaluate_on_exit: [] },
    }),
  }, { b: [{ job: "a", type: "N_TO_N" }] });
  const plan = planWorkflow(wf, fixed);
  const b = plan.submissions[1]!;
  const request = submitJobRequest(b, { definition: "def:3", jobIds: { a: "id-a" } });
  assert.deepEqual(request.dependsOn, [{ jobId: "id-a", type: "N_TO_N" }]);
  assert.equal(request.jobDefinition, "def:3");
  assert.deepEqual(request.retryStrategy, { attempts: 2 });
  assert.deepEqual(request.timeout, { attemptDurationSeconds: 600 });
  assert.equal("job" in request, false);
  assert.throws(() => submitJobRequest(b, { definition: "def:3", jobIds: {} }), /no id yet/);
});

Deno.test("planWorkflow() wraps preloader jobs with the preloader and passes the upload settings on", () => {
  const staged = job({
    command: "make",
    preloader: true,
    mounts: {
      read: [{ source: "s3://my-bucket/in/", destination: "/data/in", recursive: true }],
      write: [{ source: "/data/out", destination: "s3://my-bucket/out/", recursive: true }],
    },
    environment: { STAGE: "x" },
  });
  const plan = planWorkflow(workflow({ a: staged }), { ...fixed, sse: "aws:kms", sseKmsKeyId: "key-1" });
  const o = plan.submissions[0]!.containerOverrides;
  assert.equal(o.command![0], "/bin/sh");
  assert.deepEqual(o.command!.slice(-3), ["/bin/sh", "-c", "make"]);
  const env = Object.fromEntries(o.environment!.map((kv) => [kv.name, kv.value]));
  assert.equal(env.STAGE, "x");
  assert.ok(env.EZBATCH_READ && env.EZBATCH_WRITE);
  assert.equal(env.EZBATCH_SSE, "aws:kms");
  assert.equal(env.EZBATCH_SSE_KMS_KEY_ID, "key-1");
  const bad = job({
    ...staged,
    mounts: { read: [], write: [{ source: "out", destination: "s3://b/o/", recursive: false }] },
  });
  assert.ok(issuesOf(() => planWorkflow(workflow({ a: bad }), fixed)).length >= 1);
});

Deno.test("planWorkflow() plans the example workflow: 4 submissions, one definition, arrays and N_TO_N", async () => {
  const wf = await loadWorkflow(new URL("../../examples/demo.toml", import.meta.url).pathname);
  const plan = planWorkflow(wf, { ...fixed, queue: "demo-queue" });
  assert.deepEqual(plan.submissions.map((s) => s.job), ["prepare", "sweep", "check", "report"]);
  assert.equal(plan.definitions.length, 1);
  const byJob = Object.fromEntries(plan.submissions.map((s) => [s.job, s]));
  assert.deepEqual(byJob.sweep!.arrayProperties, { size: 4 });
  assert.deepEqual(byJob.check!.dependsOn, [{ job: "sweep", type: "N_TO_N" }]);
  assert.deepEqual(byJob.sweep!.timeout, { attemptDurationSeconds: 600 });
  assert.equal(byJob.report!.arrayProperties, undefined);
});
