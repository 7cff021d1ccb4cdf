import assert from "node:assert/strict";
import { parseWorkflow } from "../../core/load.ts";
import { planWorkflow } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { runCliProcess, stopDaemon } from "../support/cli_process.ts";
import { run } from "./_run.ts";

const toml = (name: string) =>
  `name = "${name}"\nqueue = "q"\n${
    "abcd".split("").map((n) => `[jobs.${n}]\nimage = "alpine"\ncommand = "echo ${n}"\nplatform = "EC2"\n`).join("")
  }`;

Deno.test("workflow runs lists every run from the run tags: SUCCEEDED, INCOMPLETE and RUNNING, newest first, --json", async () => {
  const backend = new MemoryBackend();
  await backend.createJobQueue({ jobQueueName: "q", priority: 1, computeEnvironmentOrder: [] });
  const done = await submitWorkflow(backend, parseWorkflow(toml("alpha")), { runId: "done1" });
  for (const id of Object.values(done.jobs)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  const plan = planWorkflow(parseWorkflow(toml("alpha")), { runId: "kill1" });
  await submitWorkflow(backend, { ...plan, submissions: plan.submissions.slice(0, 1) }); // killed after 1 of 4
  await submitWorkflow(backend, parseWorkflow(toml("beta")), { runId: "busy1" });
  const options = { createBackend: () => Promise.resolve(backend) };

  const table = await run(["workflow", "runs"], options);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split("\n");
  assert.match(lines[0]!, /^WORKFLOW\s+RUN\s+SUBMITTED\s+STATE\s+JOBS\s+COUNTS$/);
  assert.equal(lines.length, 4);
  assert.match(table.stdout, /alpha\s+done1\s+\S+ \S+\s+SUCCEEDED\s+4\s+4 SUCCEEDED/);
  assert.match(table.stdout, /alpha\s+kill1\s+\S+ \S+\s+INCOMPLETE\s+4\s+1 SUBMITTED, 3 NOT SUBMITTED/);
  assert.match(table.stdout, /beta\s+busy1\s+\S+ \S+\s+RUNNING\s+4\s+4 SUBMITTED/);

  const json = await run(["workflow", "runs", "alpha", "--json"], options);
  const runs = JSON.parse(json.stdout) as { workflow: string; runId: string; state: string; notSubmitted: number }[];
  assert.deepEqual(runs.map((r) => [r.workflow, r.state, r.notSubmitted]).sort(), [
    ["alpha", "INCOMPLETE", 3],
    ["alpha", "SUCCEEDED", 0],
  ]);
  const none = await run(["workflow", "runs", "gamma"], options);
  assert.equal(none.stdout.trim(), "No workflow runs of 'gamma' since 7d.");
});

Deno.test("workflow runs --local finds a run submitted with --local from another process", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state };
  try {
    const submitted = await runCliProcess(["--local", "--json", "workflow", "submit", "examples/hello.toml"], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const runId = (JSON.parse(submitted.stdout) as { runId: string }).runId;
    const listed = await runCliProcess(["--local", "--json", "workflow", "runs"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const runs = JSON.parse(listed.stdout) as { workflow: string; runId: string; jobs: number; queues: string[] }[];
    assert.deepEqual(runs.map((r) => [r.workflow, r.runId, r.jobs, r.queues]), [["hello", runId, 2, [
      "ezbatch-local",
    ]]]);
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});
