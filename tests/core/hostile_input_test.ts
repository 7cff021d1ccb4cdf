import assert from "node:assert/strict";
import { loadWorkflow, MAX_WORKFLOW_BYTES, parseWorkflow, WorkflowError } from "../../mod.ts";
import { hostileInputs } from "../support/hostile_inputs.ts";

/** Parses `text`, expecting a WorkflowError within `budgetMs`; returns it. */
function rejectsQuickly(text: string, budgetMs = 3000, file = "hostile.toml"): WorkflowError {
  const start = performance.now();
  let caught: unknown;
  try {
    parseWorkflow(text, { file });
  } catch (error) {
    caught = error;
  }
  const ms = performance.now() - start;
  assert.ok(caught instanceof WorkflowError, `expected a WorkflowError, got ${caught}`);
  assert.ok(ms < budgetMs, `took ${ms.toFixed(0)} ms, budget ${budgetMs} ms`);
  return caught;
}

function input(name: string): string {
  const text = hostileInputs().find((h) => h.name === name)?.text;
  assert.ok(text !== undefined, name);
  return text;
}

Deno.test("a job name of 50,000 characters that depends on itself plus one letter is rejected quickly", () => {
  const error = rejectsQuickly(input("long-name-50k"));
  assert.equal(error.issues.length, 2);
  assert.equal(error.issues[0]!.job!.length, 50_000, "the issue keeps the whole name for programs");
  for (const issue of error.issues) assert.ok(issue.message.length < 400, issue.message.slice(0, 200));
  assert.ok(error.message.length < 2000, "the printed form shortens the name");
  assert.match(error.issues[1]!.message, /^Job 'a{59}…' waits for unknown job 'a{59}…': the jobs are a{59}…$/);
});

Deno.test("10,000 jobs each depending on a different unknown job: one short message each, no job list repeated", () => {
  const error = rejectsQuickly(input("unknown-deps"), 5000);
  assert.equal(error.issues.length, 10_000);
  assert.equal(
    error.issues[0]!.message,
    "Job 'job0' waits for unknown job 'missing0': the jobs are job0, job1, job2, job3, job4, job5, job6, job7, " +
      "job8, job9 and 9990 more",
  );
  assert.ok(error.message.length < 10_000 * 250, `${error.message.length} characters`);
});

Deno.test("9,999 overlapping cycles: 10 are traced (long paths shortened), the rest counted", () => {
  const error = rejectsQuickly(input("cycles"), 5000);
  const cycles = error.issues.filter((i) => i.message.startsWith("Jobs form a cycle"));
  assert.equal(cycles.length, 10);
  assert.equal(
    cycles[0]!.message,
    "Jobs form a cycle: a0 -> a1 -> a2 -> a3 -> a4 -> a5 -> a6 -> a7 -> a8 -> a9 -> … (9990 more) -> a0",
  );
  assert.equal(
    error.issues.at(-1)!.message,
    "9989 more dependencies close cycles beyond the 10 shown: break these first, then validate again",
  );
  assert.ok(error.message.length < 5000);
});

Deno.test("an unknown key of 1 MB gets a short message and no 'did you mean' search", () => {
  const error = rejectsQuickly(input("big-key"), 2000);
  assert.equal(error.issues.length, 1);
  assert.equal(error.issues[0]!.line, 4);
  assert.match(error.issues[0]!.message, /^Unknown key 'k{59}…': expected 'image', 'command'/);
  assert.ok(error.message.length < 1000);
});

Deno.test("TOML keys and headers nested 20,000 (or 2,000,000) deep are refused before parsing", () => {
  const error = rejectsQuickly(input("deep-header"), 1000);
  assert.deepEqual(error.issues.map((i) => [i.file, i.line]), [["hostile.toml", 2]]);
  assert.match(error.issues[0]!.message, /^A key has more than 32 dotted parts/);
  const dotted = `name = "x"\n[jobs.a]\nimage = "a"\n${Array(2_000_000).fill("a").join(".")} = 1\n`;
  assert.equal(rejectsQuickly(dotted, 1000).issues[0]!.line, 4);
  const quoted = `name = "x"\n${Array(40).fill('"a.b"').join(".")} = 1\n`;
  assert.match(rejectsQuickly(quoted).issues[0]!.message, /more than 32 dotted parts/);
  // Dots inside strings and comments, and in floats, do not count.
  const fine = `name = "x" # ${".".repeat(100)}\n[jobs.a]\nimage = "a"\ncommand = "${".".repeat(100)}"\n` +
    `environment = { A = """\n${".".repeat(100)}""", B = 1.5, C = '${".".repeat(40)}' }\n`;
  assert.equal(parseWorkflow(fine).jobs.a!.environment.B, "1.5");
});

Deno.test("inputs over 4 MiB are refused: text, files, /dev/zero (without reading it all)", async () => {
  assert.equal(MAX_WORKFLOW_BYTES, 4 * 1024 * 1024);
  const big = input("big-file");
  assert.ok(big.length > MAX_WORKFLOW_BYTES);
  const error = rejectsQuickly(big, 1000);
  assert.deepEqual(error.issues.map((i) => i.file), ["hostile.toml"]);
  assert.match(error.message, /larger than 4 MiB, the most ezbatch reads/);
  // Just under the limit still loads.
  const fits = 'name = "x"\n[jobs.a]\nimage = "a"\n' + `# ${"x".repeat(98)}\n`.repeat(40_000);
  assert.ok(fits.length < MAX_WORKFLOW_BYTES);
  assert.equal(parseWorkflow(fits).name, "x");

  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/big.toml`, big);
    await assert.rejects(() => loadWorkflow(`${dir}/big.toml`), (e: unknown) => {
      assert.ok(e instanceof WorkflowError);
      assert.equal(e.issues[0]!.file, `${dir}/big.toml`);
      return /larger than 4 MiB/.test(e.message);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const start = performance.now();
  await assert.rejects(() => loadWorkflow("/dev/zero"), /\/dev\/zero: The workflow file is larger than 4 MiB/);
  assert.ok(performance.now() - start < 3000);
});

Deno.test("large valid workflows still load in linear time: 10,000 jobs in a chain", () => {
  const jobs = Array.from({ length: 10_000 }, (_, i) => `[jobs.j${i}]\nimage = "alpine"\n`).join("");
  const deps = Array.from({ length: 9_999 }, (_, i) => `j${i + 1} = ["j${i}"]\n`).join("");
  const start = performance.now();
  const wf = parseWorkflow(`name = "chain"\n${jobs}[dependencies]\n${deps}`);
  assert.equal(Object.keys(wf.jobs).length, 10_000);
  assert.ok(performance.now() - start < 5000);
});
