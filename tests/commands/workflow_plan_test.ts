import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { parseWorkflow } from "../../core/load.ts";
import { planWorkflow } from "../../core/plan.ts";
import { run } from "./_run.ts";

const HELLO = new URL("../../examples/hello.toml", import.meta.url).pathname;
const ROLE = "arn:aws:iam::123456789012:role/exec";
const SWEEP = `name = "sweep"
queue = "q"

[jobs.prep]
image = "alpine:3.20"
command = "echo prep"

[jobs.fit]
image = "alpine:3.20"
command = "echo $LR"
matrix = { LR = ["0.1", "0.01", "0.001"] }

[jobs.check]
image = "alpine:3.20"
command = "echo check"
matrix = { PART = ["1", "2", "3"] }

[dependencies]
fit = ["prep"]
check = [{ job = "fit", type = "N_TO_N" }]
`;

function stdinOf(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

Deno.test("workflow plan prints the exact plan offline, without creating a backend", async () => {
  const r = await run(["workflow", "plan", HELLO, "--queue", "q", "--run-id", "r1", "--execution-role", ROLE]);
  assert.equal(r.code, 0, r.stderr);
  const def = planWorkflow(parseWorkflow(await Deno.readTextFile(HELLO)), {
    queue: "q",
    runId: "r1",
    executionRoleArn: ROLE,
    jobRoleArn: ROLE,
  }).definitions[0]!.name;
  assert.equal(
    r.stdout,
    [
      "Workflow 'hello', run 'r1': 2 submissions, 1 job definition.",
      "",
      `JOB DEFINITION${" ".repeat(def.length - 14)}  PLATFORM  ACTION             USED BY`,
      `${def}  FARGATE   reuse or register  greet, goodbye`,
      "",
      "JOB      AWS JOB NAME      QUEUE  ARRAY  DEPENDS ON",
      "greet    hello-r1-greet    q      -      -",
      "goodbye  hello-r1-goodbye  q      -      greet",
      "",
      "Estimated cost: unbounded, as no job has a timeout (set `timeout` to bound it).",
      "",
    ].join("\n"),
  );
  assert.equal(r.stderr, "");
});

Deno.test("workflow plan shows array sizes and N_TO_N dependencies, and the full requests with --json", async () => {
  const r = await run(["wf", "plan", "-", "--run-id", "abc", "--json"], {
    stdin: stdinOf(SWEEP),
    settings: { executionRoleArn: ROLE },
  });
  assert.equal(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.equal(plan.runId, "abc");
  assert.deepEqual(
    plan.submissions.map((s: { job: string; arrayProperties?: { size: number } }) => [s.job, s.arrayProperties?.size]),
    [["prep", undefined], ["fit", 3], ["check", 3]],
  );
  assert.deepEqual(plan.submissions[2].dependsOn, [{ job: "fit", type: "N_TO_N" }]);
  assert.equal(plan.definitions[0].input.containerProperties.executionRoleArn, ROLE);
  const text = await run(["wf", "plan", "-", "--run-id", "abc"], {
    stdin: stdinOf(SWEEP),
    settings: { executionRoleArn: ROLE },
  });
  assert.match(text.stdout, /^Workflow 'sweep', run 'abc': 3 submissions \(6 array children\), 1 job definition\.\n/);
  assert.match(text.stdout, /\ncheck +sweep-abc-check +q +3 +fit \(N_TO_N\)\n/);
});

Deno.test("workflow plan warns and uses a stand-in role when none is configured", async () => {
  const r = await run(["wf", "plan", HELLO, "--queue", "q", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: No execution role is configured: the plan uses a stand-in/);
  assert.equal(
    JSON.parse(r.stdout).definitions[0].input.containerProperties.executionRoleArn,
    "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
  );
});

Deno.test("workflow plan --check asks the backend which definitions exist", async () => {
  const backend = new MemoryBackend();
  const first = await run(["wf", "plan", HELLO, "--queue", "q", "--execution-role", ROLE, "--check"], { backend });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, / register /);
  const plan = planWorkflow(parseWorkflow(await Deno.readTextFile(HELLO)), {
    queue: "q",
    executionRoleArn: ROLE,
    jobRoleArn: ROLE,
  });
  await backend.registerJobDefinition(plan.definitions[0]!.input);
  const second = await run(["wf", "plan", HELLO, "--queue", "q", "--execution-role", ROLE, "--check", "--json"], {
    backend,
  });
  assert.equal(JSON.parse(second.stdout).definitions[0].exists, true);
  assert.equal(backend.calls.describeJobDefinitions, 2);
});

Deno.test("workflow plan reports a workflow without a queue, or an invalid file, as one error and exit 1", async () => {
  const r = await run(["wf", "plan", HELLO, "--execution-role", ROLE]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: 2 problems found:\n {2}job 'greet', field 'queue': No job queue/);
  assert.match(r.stderr, /--queue NAME/, "names the flag that fixes it");
  assert.match(r.stderr, /--local/, "and the way to try it without AWS");
  const local = await run(["wf", "plan", HELLO, "--local", "--run-id", "r1"]);
  assert.equal(local.code, 0, local.stderr);
  assert.match(local.stdout, /greet +hello-r1-greet +ezbatch-local /, "--local has a queue of its own");
  const bad = await run(["wf", "plan", "-"], { stdin: stdinOf('name = "x"\n[jobs.a]\nvcpus = 1\n') });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: 2: job 'a', field 'jobs\.a\.image': Missing required key 'image'\n$/);
  const badId = await run(["wf", "plan", HELLO, "--queue", "q", "--run-id", "no-dashes", "--execution-role", ROLE]);
  assert.equal(badId.code, 1);
  assert.match(badId.stderr, /Run id 'no-dashes' is not valid/);
});

Deno.test("workflow plan cuts USED BY of a definition shared by many jobs to a few names and a count", async () => {
  const jobs = Array.from({ length: 1000 }, (_, i) => `[jobs.j${i}]\nimage = "alpine:3.20"\ncommand = "echo ${i}"\n`);
  const r = await run(["workflow", "plan", "-", "--execution-role", ROLE, "--run-id", "r1"], {
    stdin: new Blob([`name = "many"\nqueue = "q"\n${jobs.join("")}`]).stream(),
  });
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.split("\n").find((l) => l.startsWith("ezbatch-alpine"))!;
  assert.match(line, /j0, j1, j2 and 997 more$/);
  assert.ok(line.length < 160, line);
});
