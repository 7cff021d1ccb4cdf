import assert from "node:assert/strict";
import { parseWorkflow } from "../../core/load.ts";
import { planWorkflow } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { collector, run } from "./_run.ts";

const TOML = `
name = "many"
queue = "q"
${"abcdef".split("").map((n) => `[jobs.${n}]\nimage = "alpine"\ncommand = "echo ${n}"\nplatform = "EC2"\n`).join("")}
[dependencies]
f = ["e"]
`;

/** A workflow file, and a backend holding what a submission killed after `k` of its 6 jobs left. */
async function killedRun(k: number) {
  const file = await Deno.makeTempFile({ suffix: ".toml" });
  await Deno.writeTextFile(file, TOML);
  const backend = new MemoryBackend();
  await backend.createJobQueue({ jobQueueName: "q", priority: 1, computeEnvironmentOrder: [] });
  const plan = planWorkflow(parseWorkflow(TOML), { runId: "r1" });
  const first = await submitWorkflow(backend, { ...plan, submissions: plan.submissions.slice(0, k) });
  for (const id of Object.values(first.jobs)) backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  return { file, backend, first };
}

/** A sleep that moves every job on one step per poll: SUBMITTED -> RUNNING -> SUCCEEDED. */
function progress(backend: MemoryBackend) {
  return () => {
    for (const [id, job] of backend.jobs) {
      if (job.status === "SUBMITTED") backend.setJobStatus(id, "RUNNING");
      else if (job.status === "RUNNING") backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
    }
    return Promise.resolve();
  };
}

Deno.test("workflow status of a run killed after 4 of 6 jobs: NOT SUBMITTED rows, INCOMPLETE, --watch exits 1", async () => {
  const { file, backend } = await killedRun(4);
  const byFile = await run(["workflow", "status", file, "r1"], { backend });
  assert.equal(byFile.code, 0, byFile.stderr);
  assert.match(byFile.stdout, /\ne +- +NOT SUBMITTED/);
  assert.match(byFile.stdout, /\nf +- +NOT SUBMITTED/);
  assert.match(byFile.stdout, /Run 'r1' is INCOMPLETE: 2 of its 6 jobs were never submitted/);
  assert.doesNotMatch(byFile.stdout, /succeeded/);
  assert.match(byFile.stderr, new RegExp(`Finish it: ezbatch workflow resume many r1 ${file}`));

  const byName = await run(["workflow", "status", "many", "r1", "--watch"], { backend });
  assert.equal(byName.code, 1, "an incomplete run is no success");
  assert.doesNotMatch(byName.stdout, /NOT SUBMITTED +-/, "without the file the names are unknown");
  assert.match(byName.stdout, /INCOMPLETE: 2 of its 6 jobs/);
  assert.match(byName.stderr, /resume many r1 FILE/);

  const json = JSON.parse((await run(["workflow", "status", file, "r1", "--json"], { backend })).stdout);
  assert.equal(json.state, "INCOMPLETE");
  assert.deepEqual(json.missing, ["e", "f"]);
  assert.equal(json.summary.notSubmitted, 2);
});

Deno.test("workflow resume --dry-run shows the plan and changes nothing; resume --watch finishes the run; again is a no-op", async () => {
  const { file, backend } = await killedRun(4);
  const submitted = () => backend.calls.submitJob ?? 0;
  const before = submitted();
  const dry = await run(["workflow", "resume", "many", "r1", file, "--dry-run"], { backend });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /\ne +submit +1 +NOT SUBMITTED +- +never submitted/);
  assert.match(dry.stdout, /\na +keep +1 +SUCCEEDED/);
  assert.match(dry.stdout, /Would resume run 'r1' of workflow 'many': 2 jobs to submit, 4 kept\./);
  assert.equal(submitted(), before, "a dry run submits nothing");

  const done = await run(["workflow", "resume", file, "r1", "--watch"], { backend, sleep: progress(backend) });
  assert.equal(done.code, 0, done.stderr);
  assert.equal(submitted() - before, 2);
  assert.match(done.stdout, /Run 'r1' succeeded: 6 SUCCEEDED\./);

  const again = await run(["workflow", "resume", file, "r1", "--json"], { backend });
  assert.equal(submitted() - before, 2);
  assert.ok(JSON.parse(again.stdout).steps.every((s: { action: string }) => s.action === "keep"));
  const status = await run(["workflow", "status", file, "r1", "--watch"], { backend });
  assert.equal(status.code, 0);
});

Deno.test("workflow resume refuses a changed file, names the job and field, and asks for the file when given a name", async () => {
  const { file, backend } = await killedRun(6);
  await Deno.writeTextFile(file, TOML.replace('command = "echo b"', 'command = "echo B"'));
  const refused = await run(["workflow", "resume", file, "r1"], { backend });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /job 'b'.*command|'b'.*field 'command'|b.*command/s);
  assert.match(refused.stderr, /--rerun-changed/);
  const rerun = await run(["workflow", "resume", file, "r1", "--rerun-changed", "--json"], { backend });
  assert.equal(rerun.code, 0, rerun.stderr);
  const steps = JSON.parse(rerun.stdout).steps as { job: string; action: string; attempt: number }[];
  assert.deepEqual(steps.filter((s) => s.action === "submit").map((s) => [s.job, s.attempt]), [["b", 2]]);
  const status = await run(["workflow", "status", file, "r1"], { backend });
  assert.match(status.stdout, /ATTEMPT/);
  assert.match(status.stderr, /jobs from 2 different plans/);

  const noFile = await run(["workflow", "resume", "many", "r1"], { backend });
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /needs the workflow file/);
});

Deno.test("Ctrl-C while workflow submit --watch follows a run says the jobs keep running and how to pick it up", async () => {
  const { file, backend } = await killedRun(0);
  const controller = new AbortController();
  let polls = 0;
  const sleep = () => {
    if (++polls === 2) controller.abort(new DOMException("Interrupted", "AbortError"));
    return controller.signal.aborted ? Promise.reject(controller.signal.reason) : Promise.resolve();
  };
  const r = await run(["workflow", "submit", file, "--run-id", "r2", "--watch"], {
    backend,
    sleep,
    signal: controller.signal,
  });
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /Stopped watching\. The 6 jobs of run 'r2' keep running/);
  assert.match(r.stderr, new RegExp(`ezbatch workflow status ${file} r2 --watch`));
  assert.match(r.stderr, new RegExp(`ezbatch workflow resume many r2 ${file}`));
  assert.equal([...backend.jobs.values()].filter((j) => j.status === "FAILED").length, 0, "nothing was stopped");
});

Deno.test("the 'Follow it' note of workflow submit and resume keeps --local, so the command reaches the same backend", async () => {
  const { file, backend } = await killedRun(4);
  const err = collector(true);
  const submitted = await run(["--local", "workflow", "submit", file, "--run-id", "r9"], { backend, stderr: err });
  assert.equal(submitted.code, 0);
  assert.match(err.text(), /Follow it: ezbatch workflow status many r9 --watch --local\n/);
  const again = collector(true);
  const resumed = await run(["--local", "workflow", "resume", file, "r1"], { backend, stderr: again });
  assert.equal(resumed.code, 0);
  assert.match(again.text(), new RegExp(`Follow it: ezbatch workflow status ${file} r1 --watch --local\\n`));
});
