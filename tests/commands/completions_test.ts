import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { wantsQueueNames } from "../../commands/completions.ts";
import { run } from "./_run.ts";

async function queues(...names: string[]) {
  const backend = new MemoryBackend();
  for (const name of names) {
    await backend.createJobQueue({ jobQueueName: name, priority: 1, computeEnvironmentOrder: [] });
  }
  return backend;
}

Deno.test("completions prints a script for each shell that calls back 'ezbatch complete --'", async () => {
  for (const shell of ["bash", "zsh", "fish", "powershell"]) {
    const r = await run(["completions", shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ezbatch/);
    assert.match(r.stdout, /ezbatch complete '?--/, shell);
  }
  const bad = await run(["completions", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Allowed choices are bash, zsh, fish, powershell/);
});

Deno.test("complete offers commands, subcommands and options with their descriptions", async () => {
  const top = await run(["complete", "--", "work"]);
  assert.equal(top.stdout, "workflow\tvalidate, plan, submit and follow workflows of jobs written in TOML\n:4\n");
  const sub = await run(["complete", "--", "job-queue", "d"]);
  assert.deepEqual(sub.stdout.split("\n").map((l) => l.split("\t")[0]), ["describe", "disable", "delete", ":4", ""]);
  const opt = await run(["complete", "--", "compute-environment", "create", "x", "--max"]);
  assert.match(opt.stdout, /^--max-vcpus\t/);
  const values = await run(["complete", "--", "ce", "create", "x", "--type", ""]);
  assert.equal(values.stdout, "FARGATE\t\nFARGATE_SPOT\t\nEC2\t\nSPOT\t\n:4\n");
});

Deno.test("complete offers the job queue names of the backend, and nothing when it cannot reach one", async () => {
  const backend = await queues("high", "low");
  const r = await run(["complete", "--", "job-queue", "describe", ""], { backend });
  assert.equal(r.stdout, "high\t\nlow\t\n:4\n");
  assert.equal(backend.calls.describeJobQueues, 1);
  const prefix = await run(["complete", "--", "queue", "enable", "h"], { backend });
  assert.equal(prefix.stdout, "high\t\n:4\n");
  const offline = await run(["complete", "--", "job-queue", "describe", ""]);
  assert.equal(offline.code, 0);
  assert.equal(offline.stdout, ":4\n");
  const untouched = await queues("q");
  await run(["complete", "--", "workflow", ""], { backend: untouched });
  assert.equal(untouched.calls.describeJobQueues, undefined);
});

Deno.test("wantsQueueNames() asks the backend only where a queue name is being typed", () => {
  assert.equal(wantsQueueNames(["jobs", "list", "--queue", ""]), true);
  assert.equal(wantsQueueNames(["jobs", "list", "-q", "hi"]), true);
  assert.equal(wantsQueueNames(["job-queue", "delete", ""]), true);
  assert.equal(wantsQueueNames(["job-queue", "create", ""]), false);
  assert.equal(wantsQueueNames(["job-queue", ""]), false);
  assert.equal(wantsQueueNames(["workflow", "plan", ""]), false);
});
