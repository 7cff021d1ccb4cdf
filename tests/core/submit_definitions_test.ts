import assert from "node:assert/strict";
import { AwsCallError, SubmissionError, WorkflowError } from "../../core/errors.ts";
import { planWorkflow } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { chain, job, workflow } from "./_jobs.ts";
import { byName, opts, warm } from "./_submit.ts";

// Definitions are submitted by their content-addressed name and registered only when AWS has no ACTIVE revision.

Deno.test("submitWorkflow() registers a definition once and reuses it across jobs and runs", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  const wf = workflow({ a: job(), b: job({ command: "echo b", vcpus: 2, memory: 4096 }), c: job() }, { b: ["a"] });
  const first = await submitWorkflow(backend, wf, opts);
  assert.equal(backend.calls.registerJobDefinition, 1);
  assert.equal(backend.calls.describeJobDefinitions, undefined, "no lookup: the first SubmitJob by name is one");
  assert.equal(backend.calls.submitJob, 4, "the first SubmitJob is refused (no definition yet), then 3 jobs");
  assert.equal(first.definitions.registered.length, 1);
  assert.deepEqual(first.definitions.reused, []);
  const second = await submitWorkflow(backend, wf, { ...opts, runId: "r2" });
  assert.equal(backend.calls.registerJobDefinition, 1, "no new revision for identical content");
  assert.deepEqual(second.definitions.reused, [first.definitions.registered[0]!.split(":")[0]]);
  assert.equal(backend.calls.submitJob, 7, "a warm run is one SubmitJob per job and nothing else");
  assert.deepEqual(Object.keys(second.jobs).sort(), ["a", "b", "c"]);
  assert.deepEqual(second.jobNames, { a: "wf-r2-a", b: "wf-r2-b", c: "wf-r2-c" });
  assert.deepEqual(second.queues, ["q"]);
  assert.equal(backend.calls.deregisterJobDefinition, undefined);
});

Deno.test("submitWorkflow() registers a new revision when every one under the name was deregistered", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  const plan = planWorkflow(workflow({ a: job() }), opts);
  const input = plan.definitions[0]!.input;
  await backend.registerJobDefinition(input);
  await backend.deregisterJobDefinition(`${input.jobDefinitionName}:1`);
  const run = await submitWorkflow(backend, plan, opts);
  assert.deepEqual(run.definitions.registered, [`${input.jobDefinitionName}:2`]);
  assert.equal(byName(backend, "wf-r1-a").input!.jobDefinition, `${input.jobDefinitionName}:2`);
});

Deno.test("submitWorkflow() submits by the content-addressed name alone when a revision is ACTIVE", async () => {
  const wf = workflow({ m: job({ matrix: { A: ["1", "2", "3", "4"], B: ["1", "2", "3", "4", "5"] } }) });
  const backend = await warm(wf);
  const run = await submitWorkflow(backend, wf, opts);
  assert.deepEqual(
    backend.calls,
    { describeJobQueues: 1, submitJob: 1 },
    "a 4x5 matrix on a warm account is one SubmitJob, after one look at its queue",
  );
  const name = planWorkflow(wf, opts).definitions[0]!.name;
  assert.equal(byName(backend, "wf-r1-m").input!.jobDefinition, name, "no revision: AWS takes the newest ACTIVE one");
  assert.deepEqual(run.definitions, { registered: [], reused: [name] });
});

Deno.test("submitWorkflow() reports a definition that cannot be registered, with nothing submitted", async () => {
  const backend = new MemoryBackend({
    checkDefinitions: true,
    fault: (op) =>
      op === "registerJobDefinition"
        ? new AwsCallError({ service: "Batch", operation: op, code: "ClientException", requestId: "x" }, "No role")
        : undefined,
  });
  const error = await submitWorkflow(backend, chain(2), opts).catch((e) => e);
  assert.ok(error instanceof SubmissionError);
  assert.deepEqual(error.submitted, []);
  assert.deepEqual(error.notSubmitted, ["j0", "j1"]);
  assert.equal(backend.calls.submitJob, 1, "only the first attempt, refused for want of the definition");
  assert.equal(backend.jobs.size, 0);
});

Deno.test("submitWorkflow() refuses a hand-made plan whose submission names no planned definition", async () => {
  const backend = new MemoryBackend({ checkDefinitions: true });
  const plan = planWorkflow(workflow({ a: job() }), opts);
  const broken = { ...plan, definitions: [] };
  const error = await submitWorkflow(backend, broken, opts).catch((e) => e);
  assert.ok(error instanceof WorkflowError);
  assert.match(error.message, /has no definition 'ezbatch-alpine-3-20-[0-9a-f]{12}' for job 'a'/);
  assert.deepEqual(backend.calls, {});
});
