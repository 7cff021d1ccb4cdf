import assert from "node:assert/strict";
import { parseWorkflow } from "../../core/load.ts";
import { initTemplate } from "../../commands/workflow_files.ts";
import { run } from "./_run.ts";

const HELLO = new URL("../../examples/hello.toml", import.meta.url).pathname;
const DEMO = new URL("../../examples/demo.toml", import.meta.url).pathname;

function stdinOf(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

Deno.test("workflow validate says each valid file is valid, with its counts, without a backend", async () => {
  const r = await run(["workflow", "validate", HELLO, DEMO]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    `${HELLO}: workflow 'hello' is valid (2 jobs)\n` +
      `${DEMO}: workflow 'demo' is valid (4 jobs, 2 of them array jobs with 8 children)\n`,
  );
  const json = await run(["workflow", "validate", DEMO, "--json"]);
  assert.deepEqual(JSON.parse(json.stdout), {
    file: DEMO,
    valid: true,
    workflow: "demo",
    jobs: 4,
    arrayJobs: 2,
    arrayChildren: 8,
    dependencies: 3,
  });
});

Deno.test("workflow validate lists every problem with its line and exits 1", async () => {
  const text = 'name = "x y"\n\n[jobs.a]\nimage = "alpine"\nvcpus = 3\n\n[dependencies]\na = ["b"]\n';
  const r = await run(["workflow", "validate", "-"], { stdin: stdinOf(text) });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "error: <stdin> is not valid (3 problems):");
  assert.match(lines[1]!, /^ {2}1: field 'name': Invalid workflow name 'x y'/);
  assert.match(lines[2]!, /^ {2}5: job 'a', field 'jobs\.a\.vcpus': Job 'a' asks for 3 vCPU on Fargate/);
  assert.match(lines[3]!, /^ {2}8: job 'a'.*'b'/);
  const json = await run(["workflow", "validate", "-", "--json"], { stdin: stdinOf(text) });
  assert.equal(json.code, 1);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.valid, false);
  assert.equal(parsed.issues.length, 3);
  assert.equal(parsed.issues[1].line, 5);
});

Deno.test("workflow validate of a missing file or a folder is one line and exit 1 or 2", async () => {
  const missing = await run(["workflow", "validate", "/nonexistent/wf.toml"]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, "error: File '/nonexistent/wf.toml' does not exist\n");
  const folder = await run(["workflow", "validate", "/tmp"]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /^error: '\/tmp' is a directory, not a file\n/);
  const none = await run(["workflow", "validate"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing required argument 'files'/);
});

Deno.test("workflow validate reads the Python ezbatch's JSON files", async () => {
  const legacy = JSON.stringify({
    name: "legacy",
    jobs: {
      a: { image: "alpine", command: "echo a", environment: { X: "1" }, mounts: { read: [], write: [] }, vcpus: 1 },
      b: { image: "alpine", command: "echo b", queue: null },
    },
    dependencies: { b: ["a"] },
  });
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/legacy.json`, legacy);
  const r = await run(["wf", "validate", `${dir}/legacy.json`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${dir}/legacy.json: workflow 'legacy' is valid (2 jobs)\n`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("workflow init writes a valid commented example and never replaces a file silently", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/my pipeline.toml`;
  const r = await run(["workflow", "init", path, "--queue", "q1"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${path}\n`);
  const text = await Deno.readTextFile(path);
  assert.match(text, /^# An ezbatch workflow/);
  const wf = parseWorkflow(text);
  assert.equal(wf.name, "my-pipeline");
  assert.equal(wf.queue, "q1");
  const again = await run(["workflow", "init", path]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists: pass --force to replace it/);
  assert.equal((await run(["workflow", "init", path, "--force", "--name", "other"])).code, 0);
  assert.equal(parseWorkflow(await Deno.readTextFile(path)).name, "other");
  const badName = await run(["workflow", "init", "-", "--name", "no way"]);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /Invalid workflow name 'no way'/);
  const printed = await run(["workflow", "init", "-"]);
  assert.equal(parseWorkflow(printed.stdout).name, "my-workflow");
  const noDir = await run(["workflow", "init", `${dir}/missing/wf.toml`]);
  assert.equal(noDir.code, 1);
  assert.match(noDir.stderr, /The folder of '.*missing\/wf\.toml' does not exist/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("initTemplate() gives a workflow whose jobs and dependencies parse", () => {
  const wf = parseWorkflow(initTemplate("t"));
  assert.deepEqual(Object.keys(wf.jobs), ["prepare", "sweep", "report"]);
  assert.deepEqual(wf.dependencies.report, [{ job: "sweep" }]);
  assert.equal(wf.queue, undefined);
});

Deno.test("workflow schema prints the JSON Schema of workflow files", async () => {
  const r = await run(["workflow", "schema"]);
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout);
  assert.equal(schema.type, "object");
  assert.ok(schema.properties.jobs);
  assert.ok(schema.properties.dependencies);
});

/** A workflow whose `n` jobs each wait for a job that does not exist: n problems. */
function manyProblems(n: number): string {
  const jobs = Array.from({ length: n }, (_, i) => `[jobs.j${i}]\nimage = "alpine"\n`).join("");
  const deps = Array.from({ length: n }, (_, i) => `j${i} = ["missing${i}"]\n`).join("");
  return `name = "many"\n${jobs}[dependencies]\n${deps}`;
}

Deno.test("workflow validate prints the first 20 problems and how many more; --all-errors prints them all", async () => {
  const stdin = () => stdinOf(manyProblems(25));
  const r = await run(["workflow", "validate", "-"], { stdin: stdin() });
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "error: <stdin> is not valid (25 problems):");
  assert.equal(lines.length, 1 + 20 + 1);
  assert.equal(lines.at(-1), "  … and 5 more problems (--all-errors prints them all)");
  const all = await run(["workflow", "validate", "--all-errors", "-"], { stdin: stdin() });
  assert.equal(all.stderr.trimEnd().split("\n").length, 1 + 25);
  assert.doesNotMatch(all.stderr, /more problems/);
  const json = await run(["workflow", "validate", "-", "--json"], { stdin: stdin() });
  assert.equal(JSON.parse(json.stdout).issues.length, 25, "--json gives every issue");
});

Deno.test("workflow plan prints the first 20 problems of an invalid workflow unless --all-errors", async () => {
  const r = await run(["workflow", "plan", "-"], { stdin: stdinOf(manyProblems(30)) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: 30 problems found:\n/);
  assert.match(r.stderr, /\n {2}… and 10 more problems \(--all-errors prints them all\)\n$/);
  const all = await run(["workflow", "plan", "--all-errors", "-"], { stdin: stdinOf(manyProblems(30)) });
  assert.equal(all.stderr.split("\n").filter((l) => l.includes("waits for unknown job")).length, 30);
});

Deno.test("workflow validate refuses more than 4 MiB from a file, stdin or /dev/zero, at once", async () => {
  const big = 'name = "x"\n' + `# ${"x".repeat(98)}\n`.repeat(45_000);
  const start = performance.now();
  const zero = await run(["workflow", "validate", "/dev/zero"]);
  assert.equal(zero.code, 1);
  assert.match(zero.stderr, /\/dev\/zero: The workflow file is larger than 4 MiB, the most ezbatch reads/);
  const piped = await run(["workflow", "validate", "-"], { stdin: stdinOf(big) });
  assert.equal(piped.code, 1);
  assert.match(piped.stderr, /Standard input is larger than 4 MiB/);
  assert.ok(performance.now() - start < 5000);
});

Deno.test("workflow validate counts in words: 1 job, 1 array job, 1 child is not plural", async () => {
  const text = `name = "one"\nqueue = "q"\n[jobs.a]\nimage = "alpine"\nmatrix = { X = ["1", "2"] }\n`;
  const r = await run(["workflow", "validate", "-"], { stdin: stdinOf(text) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "<stdin>: workflow 'one' is valid (1 job, 1 of them an array job with 2 children)\n");
});
