import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";

const HELLO = new URL("../../examples/hello.toml", import.meta.url).pathname;

/** The hello workflow submitted as run r1 and run to its end, one minute per step of a fake clock. */
async function finishedRun() {
  let now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const backend = new MemoryBackend({ now: () => now });
  await backend.createJobQueue({ jobQueueName: "q", priority: 1, computeEnvironmentOrder: [] });
  const r = await run(["workflow", "submit", HELLO, "--queue", "q", "--run-id", "r1", "--json"], { backend });
  assert.equal(r.code, 0, r.stderr);
  const ids = Object.values(JSON.parse(r.stdout).jobs) as string[];
  for (const id of ids) {
    now += 60_000;
    backend.setJobStatus(id, "RUNNING");
    now += 60_000;
    backend.setJobStatus(id, "SUCCEEDED", { exitCode: 0 });
  }
  return backend;
}

Deno.test("workflow report prints the summary and timeline, --json the data, --csv one row per attempt, -o the page", async () => {
  const backend = await finishedRun();
  const text = await run(["workflow", "report", "hello", "r1"], { backend });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Run 'r1' of workflow 'hello': SUCCEEDED/);
  assert.match(text.stdout, /Critical path: greet → goodbye/);
  assert.ok(text.stdout.split("\n").every((l) => l.length <= 80), text.stdout);

  const json = JSON.parse((await run(["workflow", "report", "hello", "r1", "--json"], { backend })).stdout);
  assert.equal(json.summary.jobs, 2);
  const csv = (await run(["workflow", "report", "hello", "r1", "--csv"], { backend })).stdout.trim().split("\n");
  assert.equal(csv.length, 3, csv.join("\n")); // a header and one row per attempt
  const dir = await Deno.makeTempDir();
  const page = await run(["workflow", "report", "hello", "r1", "-o", `${dir}/r1.html`], { backend });
  assert.equal(page.code, 0, page.stderr);
  assert.match(await Deno.readTextFile(`${dir}/r1.html`), /^<!doctype html>/i);

  const both = await run(["workflow", "report", "hello", "r1", "--csv", "--json"], { backend });
  assert.equal(both.code, 2);
  const none = await run(["workflow", "report", "hello", "nope"], { backend });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No job of run 'nope'/);
});

Deno.test("workflow report takes the config's 'prices' over the table and says so; a bad 'prices' names the key", async () => {
  const backend = await finishedRun();
  const prices = "fargate_vcpu_hour=1,fargate_gib_hour=0.5";
  const r = await run(["workflow", "report", "hello", "r1", "--json"], { backend, settings: { prices } });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.summary.cost.source.kind, "config");
  assert.match(report.summary.cost.source.note, /fargate_vcpu_hour, fargate_gib_hour from the config's 'prices'/);
  const bad = await run(["workflow", "report", "hello", "r1"], { backend, settings: { prices: "gpu=3" } });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Unknown price 'gpu' in 'prices': expected one of/);
});
