import assert from "node:assert/strict";
import { submitWorkflow } from "../../core/submit.ts";
import type { EZBatchWorkflow } from "../../core/model.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { fakeClock } from "../core/_clock.ts";
import { chaos } from "./_chaos.ts";
import { dag, wide } from "./_workflows.ts";

const fast = { clock: fakeClock(), ratePerSecond: 1e9, maxAttempts: 20, random: () => 0.5 };

/** Each job of the workflow exists exactly once on the server, and waits for the real ids of its dependencies. */
function assertExactlyOnce(memory: MemoryBackend, wf: EZBatchWorkflow, runId: string, ids: Record<string, string>) {
  const names = [...memory.jobs.values()].map((j) => j.jobName);
  assert.equal(names.length, Object.keys(wf.jobs).length, "one job per workflow job");
  assert.equal(new Set(names).size, names.length, "no duplicate names");
  for (const [job, id] of Object.entries(ids)) {
    const detail = memory.jobs.get(id);
    assert.ok(detail, `job '${job}' has id '${id}' on the server`);
    assert.equal(detail.jobName, `${wf.name}-${runId}-${job}`);
    const wanted = (wf.dependencies[job] ?? []).map((d) => ids[d.job]).sort();
    assert.deepEqual((detail.input?.dependsOn ?? []).map((d) => d.jobId).sort(), wanted, `dependencies of '${job}'`);
  }
}

Deno.test("submitWorkflow() submits 1,000 jobs exactly once with 30% of calls throttled and some 5xx", async () => {
  const memory = new MemoryBackend({ checkDefinitions: true });
  const { backend, log } = chaos(memory, { seed: 7, throttle: 0.3, serverError: 0.03 });
  const wf = wide(1000);
  const run = await submitWorkflow(backend, wf, { ...fast, runId: "r1" });
  assert.equal(Object.keys(run.jobs).length, 1000);
  assertExactlyOnce(memory, wf, "r1", run.jobs);
  assert.ok(log.submitJob!.throttled > 250, `throttled ${log.submitJob!.throttled} of ~1,400 calls`);
  assert.ok(log.submitJob!.serverError > 10);
  assert.equal(run.retries.throttled, Object.values(log).reduce((n, e) => n + e.throttled, 0));
});

Deno.test("submitWorkflow() submits a 300-job DAG exactly once despite throttling, 5xx and lost replies", async () => {
  const memory = new MemoryBackend({ checkDefinitions: true });
  const { backend, log } = chaos(memory, { seed: 11, throttle: 0.3, serverError: 0.03, lostReply: 0.05 });
  const wf = dag(300);
  const run = await submitWorkflow(backend, wf, { ...fast, runId: "r2" });
  assertExactlyOnce(memory, wf, "r2", run.jobs);
  assert.ok(log.submitJob!.lostReply > 5, "some replies were lost and recovered by name");
  // Lost RegisterJobDefinition replies are recovered by a lookup: one revision per definition.
  const revisions = memory.definitions.map((d) => d.jobDefinitionName);
  assert.equal(new Set(revisions).size, revisions.length, `one revision each: ${revisions}`);
  assert.equal(memory.definitions.length, 2);
});

Deno.test("submitWorkflow() recovers a definition whose RegisterJobDefinition reply was lost", async () => {
  const memory = new MemoryBackend({ checkDefinitions: true });
  const { backend, log } = chaos(memory, { seed: 3, lostReply: 1, lostReplies: ["registerJobDefinition"] });
  const run = await submitWorkflow(backend, wide(3), { ...fast, runId: "r3" });
  assert.equal(log.registerJobDefinition!.lostReply, 1);
  assert.equal(memory.definitions.length, 1, "no second revision");
  assert.equal(Object.keys(run.jobs).length, 3);
  assert.deepEqual(run.definitions.registered, [`${memory.definitions[0]!.jobDefinitionName}:1`]);
});

Deno.test("submitWorkflow() gives up after maxAttempts when the service keeps refusing, and submits nothing more", async () => {
  const memory = new MemoryBackend({ checkDefinitions: true });
  const { backend } = chaos(memory, { seed: 5, throttle: 1 });
  const error = await submitWorkflow(backend, wide(5), { ...fast, runId: "r4", maxAttempts: 4 }).catch((e) => e);
  assert.match(String(error), /No job was submitted/);
  assert.match(String(error.cause), /TooManyRequests|Too Many Requests/);
  assert.equal(memory.jobs.size, 0);
});
