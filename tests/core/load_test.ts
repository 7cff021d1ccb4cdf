import assert from "node:assert/strict";
import {
  defineWorkflow,
  type EZBatchWorkflow,
  loadWorkflow,
  NotFoundError,
  parseWorkflow,
  WorkflowError,
} from "../../mod.ts";

const ALPINE = "public.ecr.aws/docker/library/alpine:3.20";

/** The issues of a parse that must fail, as `line: field: message` strings. */
function issuesOf(text: string, options: { file?: string; format?: "toml" | "json" } = {}): string[] {
  try {
    parseWorkflow(text, options);
  } catch (error) {
    assert.ok(error instanceof WorkflowError, `expected a WorkflowError, got ${error}`);
    return error.issues.map((i) => `${i.line ?? "-"}: ${i.field ?? "-"}: ${i.message}`);
  }
  assert.fail("parseWorkflow() accepted the document");
}

Deno.test("parseWorkflow() fills in every default of a minimal job", () => {
  const wf = parseWorkflow(`name = "min"\n[jobs.one]\nimage = "${ALPINE}"\n`);
  const expected: EZBatchWorkflow = {
    name: "min",
    jobs: {
      one: {
        image: ALPINE,
        environment: {},
        secrets: {},
        mounts: { read: [], write: [] },
        vcpus: 1,
        memory: 2048,
        gpus: 0,
        platform: "FARGATE",
        tags: {},
        preloader: false,
      },
    },
    dependencies: {},
  };
  assert.deepEqual(wf, expected);
});

Deno.test("parseWorkflow() reads the DESIGN.md example with conversions of numbers, booleans and durations", () => {
  const wf = parseWorkflow(
    `
name = "demo"
queue = "my-queue"

[jobs.prepare]
image = "${ALPINE}"
command = "echo preparing && ls /data/in"
environment = { STAGE = "prepare", LEVEL = 3, DEBUG = true }
secrets = { API_TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:token" }
tags = { team = "genomics", cost = 12.5 }

[[jobs.prepare.mounts.read]]
source = "s3://my-bucket/raw/"
destination = "/data/in"
recursive = true

[[jobs.prepare.mounts.write]]
source = "/data/out"
destination = "s3://my-bucket/prepared/"
sse = "aws:kms"
sse_kms_key_id = "alias/data"

[jobs.train]
image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.4"
command = ["python", "train.py"]
platform = "EC2"
vcpus = 4
memory = 16384
gpus = 1
timeout = "1h30m"
retry = { attempts = 3, evaluate_on_exit = [{ on_exit_code = "137", action = "RETRY" }, { on_reason = "*", action = "EXIT" }] }
matrix = { LR = [0.1, 0.01], DEPTH = [3, 5], FAST = [true, false] }

[jobs.report]
image = "${ALPINE}"
command = "echo done"
queue = "arn:aws:batch:us-east-1:123456789012:job-queue/other"
timeout = 600

[dependencies]
train = ["prepare"]
report = [{ job = "train" }, "prepare"]
`,
  );
  assert.equal(wf.queue, "my-queue");
  const prepare = wf.jobs.prepare!;
  assert.deepEqual(prepare.environment, { STAGE: "prepare", LEVEL: "3", DEBUG: "true" });
  assert.deepEqual(prepare.tags, { team: "genomics", cost: "12.5" });
  assert.equal(prepare.preloader, true);
  assert.deepEqual(prepare.mounts, {
    read: [{ source: "s3://my-bucket/raw/", destination: "/data/in", recursive: true }],
    write: [{
      source: "/data/out",
      destination: "s3://my-bucket/prepared/",
      recursive: false,
      sse: "aws:kms",
      sse_kms_key_id: "alias/data",
    }],
  });
  const train = wf.jobs.train!;
  assert.equal(train.timeout, 5400);
  assert.deepEqual(train.command, ["python", "train.py"]);
  assert.deepEqual(train.matrix, { LR: ["0.1", "0.01"], DEPTH: ["3", "5"], FAST: ["true", "false"] });
  assert.deepEqual(train.retry, {
    attempts: 3,
    evaluate_on_exit: [{ on_exit_code: "137", action: "RETRY" }, { on_reason: "*", action: "EXIT" }],
  });
  assert.equal(wf.jobs.report!.timeout, 600);
  assert.deepEqual(wf.dependencies, { train: [{ job: "prepare" }], report: [{ job: "train" }, { job: "prepare" }] });
  assert.deepEqual(Object.keys(wf.jobs), ["prepare", "train", "report"]);
});

Deno.test("parseWorkflow() reports every problem at once, in file order, with file, line, job and field", () => {
  let caught: unknown;
  try {
    parseWorkflow(
      `name = "ok"\n[jobs.train]\nimage = "a"\nvcpu = 2\n[jobs.b]\nimage = "b"\nvcpus = 3\n`,
      { file: "wf.toml" },
    );
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WorkflowError);
  assert.deepEqual(caught.issues, [
    {
      file: "wf.toml",
      line: 4,
      job: "train",
      field: "jobs.train.vcpu",
      message: "Unknown key 'vcpu' (did you mean 'vcpus'?)",
    },
    {
      file: "wf.toml",
      line: 7,
      job: "b",
      field: "jobs.b.vcpus",
      message: "Job 'b' asks for 3 vCPU on Fargate: allowed are 0.25, 0.5, 1, 2, 4, 8, 16",
    },
  ]);
  assert.equal(
    caught.message,
    "wf.toml:4: job 'train', field 'jobs.train.vcpu': Unknown key 'vcpu' (did you mean 'vcpus'?)\n" +
      "wf.toml:7: job 'b', field 'jobs.b.vcpus': Job 'b' asks for 3 vCPU on Fargate: allowed are 0.25, 0.5, 1, 2, 4, 8, 16",
  );
});

Deno.test("parseWorkflow() turns TOML and JSON syntax errors into located WorkflowErrors", () => {
  assert.deepEqual(issuesOf(`name = "x"\nimage = \n`, { file: "bad.toml" }), [
    "2: -: Invalid TOML: invalid value (column 9)",
  ]);
  assert.deepEqual(issuesOf(`{\n "name": "x",\n}`, { file: "bad.json" }), [
    "3: -: Invalid JSON: Expected double-quoted property name (column 1)",
  ]);
  assert.deepEqual(issuesOf(`{"name": "x", "jobs": {`, { format: "json" }), [
    "1: -: Invalid JSON: Expected property name or '}' (column 24)",
  ]);
  assert.deepEqual(issuesOf(`[1, 2]`, { format: "json" }), ["-: -: Expected a table at the top level of the workflow"]);
});

Deno.test("defineWorkflow() applies the same rules to plain objects", () => {
  const wf = defineWorkflow({ name: "lib", jobs: { a: { image: ALPINE, matrix: { N: [1, 2, 3] } } } });
  assert.deepEqual(wf.jobs.a!.matrix, { N: ["1", "2", "3"] });
  assert.throws(
    () => defineWorkflow({ name: "lib", jobs: { a: { image: ALPINE, gpus: 1 } } }),
    (e: unknown) =>
      e instanceof WorkflowError && e.issues.length === 1 && e.issues[0]!.field === "jobs.a.gpus" &&
      e.issues[0]!.message === "Job 'a' asks for 1 GPU on Fargate: GPUs need platform = 'EC2'" &&
      e.issues[0]!.line === undefined,
  );
  assert.throws(
    () => defineWorkflow({ name: "lib", jobs: new Map() as never }),
    (e: unknown) => e instanceof WorkflowError && e.message === "field 'jobs': Expected a table, got a Map object",
  );
  // A validated workflow is valid input and comes back unchanged.
  assert.deepEqual(defineWorkflow(wf), wf);
});

Deno.test("loadWorkflow() reads TOML files and says when a file does not exist", async () => {
  const url = new URL("../../examples/hello.toml", import.meta.url);
  const wf = await loadWorkflow(url.pathname);
  assert.equal(wf.name, "hello");
  await assert.rejects(() => loadWorkflow("/nonexistent/wf.toml"), NotFoundError);
});
