import assert from "node:assert/strict";
import { MAIN, runCliProcess as spawn, stopDaemon } from "./support/cli_process.ts";
import { staticGraph } from "./support/static_graph.ts";

Deno.test("main.ts with no arguments prints help and exits 0", async () => {
  const r = await spawn([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: ezbatch/);
  assert.equal(r.stderr, "");
});

Deno.test("main.ts --version prints the version and exits 0", async () => {
  const r = await spawn(["--version"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

Deno.test("main.ts exits 2 on a usage error with one line and a hint, no stack", async () => {
  const r = await spawn(["job-queue", "create", "q", "--compute-environments", "a,b,c,d"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "error: A job queue takes 1 to 3 compute environments, in order; got 4\n" +
      "Run 'ezbatch job-queue create --help' for usage.\n",
  );
  assert.equal(r.stdout, "");
  const unknown = await spawn(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.doesNotMatch(unknown.stderr, /\bat /);
});

Deno.test("main.ts loads no npm or node module statically: --help and --version answer before any loads", async () => {
  const { modules, npm } = await staticGraph(MAIN);
  assert.ok(modules.size >= 3, "the graph was read");
  assert.deepEqual([...npm], []);
  assert.deepEqual([...modules].filter((s) => !s.startsWith("file:")), []);
});

Deno.test("the commands load no AWS SDK module statically: help, validate and plan never pay for it", async () => {
  // commands/program.ts imports each command group lazily, so every module of commands/ is an entry to check.
  const dir = new URL("../commands/", import.meta.url);
  const entries = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ts")).map((e) => e.name).sort();
  assert.ok(entries.includes("workflow.ts") && entries.includes("_run_program.ts"), entries.join(", "));
  for (const name of entries) {
    const { modules, npm } = await staticGraph(new URL(name, dir).pathname);
    assert.ok(modules.size >= 1, `${name}: the graph was read`);
    assert.deepEqual([...npm].filter((p) => p.startsWith("@aws-sdk/")), [], name);
  }
  const { npm } = await staticGraph(new URL("workflow.ts", dir).pathname);
  assert.ok([...npm].some((p) => p.startsWith("@commander-js/extra-typings@")), [...npm].join(", "));
});

const HELLO = new URL("../examples/hello.toml", import.meta.url).pathname;

Deno.test("main.ts validates and plans a workflow with no credentials and no settings file", async () => {
  const home = await Deno.makeTempDir();
  const env = { HOME: home, AWS_EC2_METADATA_DISABLED: "true" };
  const valid = await spawn(["workflow", "validate", HELLO], env);
  assert.equal(valid.code, 0, valid.stderr);
  assert.equal(valid.stdout, `${HELLO}: workflow 'hello' is valid (2 jobs)\n`);
  const plan = await spawn(["workflow", "plan", HELLO, "--queue", "q", "--run-id", "r1", "--json"], env);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual(JSON.parse(plan.stdout).submissions.map((s: { jobName: string }) => s.jobName), [
    "hello-r1-greet",
    "hello-r1-goodbye",
  ]);
  await Deno.remove(home, { recursive: true });
});

Deno.test("main.ts runs a workflow on the local backend to the end and lists its jobs as JSON", async () => {
  const home = await Deno.makeTempDir();
  const env = { HOME: home, EZBATCH_STATE_DIR: `${home}/state` };
  const submit = await spawn(
    ["workflow", "submit", HELLO, "--local", "--queue", "q", "--run-id", "e2e", "--watch"],
    env,
  );
  assert.equal(submit.code, 0, submit.stderr);
  assert.match(submit.stdout, /Run 'e2e' succeeded: 2 SUCCEEDED\.\n$/);
  const list = await spawn(["jobs", "list", "--local", "-q", "q", "--json"], env);
  assert.equal(list.code, 0, list.stderr);
  const jobs = JSON.parse(list.stdout) as { jobName: string; status: string; jobId: string }[];
  assert.deepEqual(jobs.map((j) => j.status), ["SUCCEEDED", "SUCCEEDED"]);
  const greet = jobs.find((j) => j.jobName === "hello-e2e-greet")!;
  const logs = await spawn(["jobs", "logs", greet.jobId], { ...env, EZBATCH_BACKEND: "local" });
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /^Hello from /);
  const status = await spawn(["workflow", "status", "hello", "e2e", "--local", "--json"], env);
  assert.equal(JSON.parse(status.stdout).summary.succeeded, true);
  await stopDaemon(`${home}/state`);
  await Deno.remove(home, { recursive: true });
});
