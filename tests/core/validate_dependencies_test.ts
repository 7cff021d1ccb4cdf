import assert from "node:assert/strict";
import { parseWorkflow } from "../../mod.ts";
import { issuesOf } from "../support/workflow_issues.ts";

/** A workflow whose jobs are `names` (with optional extra keys) followed by a [dependencies] table. */
function graph(names: string[], deps: string, extra: Record<string, string> = {}): string {
  const jobs = names.map((n) => `[jobs.${n}]\nimage = "alpine"\n${extra[n] ?? ""}`).join("\n");
  return `name = "g"\n${jobs}\n[dependencies]\n${deps}\n`;
}

Deno.test("validation names unknown dependencies, with a suggestion", () => {
  assert.deepEqual(issuesOf(graph(["train", "report"], 'report = ["trian", "nothing"]\nreprot = ["train"]')), [
    "9: dependencies.report[0]: Job 'report' waits for unknown job 'trian' (did you mean 'train'?): the jobs are " +
    "train, report",
    "9: dependencies.report[1]: Job 'report' waits for unknown job 'nothing': the jobs are train, report",
    "10: dependencies.reprot: Unknown job 'reprot' in dependencies (did you mean 'report'?): the jobs are train, report",
  ]);
});

Deno.test("validation rejects self-dependencies, duplicates and more than 20 dependencies", () => {
  assert.deepEqual(issuesOf(graph(["a", "b"], 'a = ["a", "b", { job = "b" }]')), [
    "9: dependencies.a[0]: Job 'a' depends on itself",
    "9: dependencies.a[2]: Job 'a' lists 'b' twice",
  ]);
  const names = Array.from({ length: 22 }, (_, i) => `j${i}`);
  const deps = `j0 = [${names.slice(1).map((n) => `"${n}"`).join(", ")}]`;
  assert.deepEqual(issuesOf(graph(names, deps)), [
    "69: dependencies.j0: Job 'j0' waits for 21 jobs: AWS Batch allows at most 20",
  ]);
  const twenty = `j0 = [${names.slice(1, 21).map((n) => `"${n}"`).join(", ")}]`;
  assert.equal(parseWorkflow(graph(names, twenty)).dependencies.j0!.length, 20);
});

Deno.test("validation names each cycle with its path", () => {
  assert.deepEqual(issuesOf(graph(["a", "b", "c", "d"], 'a = ["b"]\nb = ["c"]\nc = ["a"]\nd = ["d", "c"]')), [
    "15: dependencies.a: Jobs form a cycle: a -> b -> c -> a",
    "18: dependencies.d[0]: Job 'd' depends on itself",
  ]);
  assert.deepEqual(issuesOf(graph(["x", "y", "z"], 'x = ["y"]\ny = ["x"]\nz = ["z"]')), [
    "12: dependencies.x: Jobs form a cycle: x -> y -> x",
    "14: dependencies.z[0]: Job 'z' depends on itself",
  ]);
});

Deno.test("validation allows N_TO_N only between two matrix jobs of the same size", () => {
  const m4 = 'matrix = { A = [1, 2], B = ["x", "y"] }';
  const m3 = "matrix = { C = [1, 2, 3] }";
  const ok = parseWorkflow(graph(["a", "b"], 'b = [{ job = "a", type = "N_TO_N" }]', { a: m4, b: m4 }));
  assert.deepEqual(ok.dependencies.b, [{ job: "a", type: "N_TO_N" }]);
  assert.deepEqual(issuesOf(graph(["a", "b"], 'b = [{ job = "a", type = "N_TO_N" }]', { a: m4, b: m3 })), [
    "9: dependencies.b[0]: N_TO_N pairs the children of two matrix jobs of the same size, but 'a' has 4 children " +
    "and 'b' has 3",
  ]);
  assert.deepEqual(issuesOf(graph(["a", "b"], 'b = [{ job = "a", type = "N_TO_N" }]', { a: m4 })), [
    "9: dependencies.b[0]: N_TO_N pairs the children of two matrix jobs of the same size, but 'b' has no matrix",
  ]);
  assert.deepEqual(issuesOf(graph(["a", "b"], 'b = [{ job = "a", type = "N_TO_N" }]', { b: m4 })), [
    "9: dependencies.b[0]: N_TO_N pairs the children of two matrix jobs of the same size, but 'a' has no matrix",
  ]);
  assert.deepEqual(issuesOf(graph(["a", "b"], 'b = [{ job = "a", type = "ALL" }]')), [
    "9: dependencies.b[0].type: Expected one of 'N_TO_N', 'SEQUENTIAL', got 'ALL'",
  ]);
  assert.deepEqual(issuesOf(graph(["a", "b"], "b = [3]")), [
    '9: dependencies.b[0]: Expected a job name or a table { job = "name", type = "N_TO_N" }, got 3',
  ]);
});

Deno.test("SEQUENTIAL is a matrix job's dependency on itself: its children run in order", () => {
  const m = "matrix = { A = [1, 2] }";
  const ok = parseWorkflow(graph(["a"], 'a = [{ job = "a", type = "SEQUENTIAL" }]', { a: m }));
  assert.deepEqual(ok.dependencies.a, [{ job: "a", type: "SEQUENTIAL" }]);
  assert.deepEqual(issuesOf(graph(["a"], 'a = [{ job = "a", type = "SEQUENTIAL" }]')), [
    "6: dependencies.a[0]: SEQUENTIAL needs a matrix job, and 'a' has no matrix",
  ]);
  assert.deepEqual(issuesOf(graph(["a", "b"], 'b = [{ job = "a", type = "SEQUENTIAL" }]', { a: m })), [
    "9: dependencies.b[0]: SEQUENTIAL runs a matrix job's own children one after another: write " +
    '{ job = "a", type = "SEQUENTIAL" } in the dependencies of \'a\'',
  ]);
});
