import assert from "node:assert/strict";
import { defineWorkflow } from "../../../core/load.ts";
import { LocalBackend } from "../../../core/local/backend.ts";
import { submitWorkflow } from "../../../core/submit.ts";
import { MemoryBackend } from "../../support/memory_backend.ts";

Deno.test("submitWorkflow() on a LocalBackend needs no execution role and no queue (ezbatch-local), as --local", async () => {
  const stateDir = await Deno.makeTempDir();
  const backend = new LocalBackend({ stateDir, mode: "in-process" });
  try {
    const workflow = defineWorkflow({ name: "lib", jobs: { a: { image: "alpine", command: "true" } } });
    assert.equal(workflow.jobs.a!.platform, "FARGATE");
    const run = await submitWorkflow(backend, workflow);
    const [job] = await backend.describeJobs([run.jobs.a!]);
    assert.match(job!.jobQueue, /ezbatch-local$/);
    // A backend without such defaults still gets the plan's own refusal, before any call.
    const other = new MemoryBackend();
    await assert.rejects(submitWorkflow(other, workflow), /No job queue/);
    assert.equal(other.calls.submitJob, undefined);
  } finally {
    await backend.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
