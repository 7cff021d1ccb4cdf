import assert from "node:assert/strict";
import { defineWorkflow, type EZBatchWorkflow, findCycle, topologicalOrder, WorkflowError } from "../../mod.ts";
import { findCycles } from "../../core/dag.ts";

/** An unvalidated model (so that cycles and unknown names can be built) with the given edges. */
function model(jobs: string[], deps: Record<string, string[]>): EZBatchWorkflow {
  const job = {
    image: "alpine",
    environment: {},
    secrets: {},
    mounts: { read: [], write: [] },
    vcpus: 1,
    memory: 2048,
    gpus: 0,
    platform: "FARGATE" as const,
    tags: {},
    preloader: false,
  };
  return {
    name: "g",
    jobs: Object.fromEntries(jobs.map((j) => [j, job])),
    dependencies: Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map((d) => ({ job: d }))])),
  };
}

Deno.test("topologicalOrder() puts every job after its dependencies, deterministically in file order", () => {
  const wf = model(["report", "train", "prepare", "lonely"], { report: ["train", "prepare"], train: ["prepare"] });
  assert.deepEqual(topologicalOrder(wf), ["prepare", "train", "report", "lonely"]);
  assert.deepEqual(topologicalOrder(model(["a", "b", "c"], {})), ["a", "b", "c"]);
  // Diamond.
  const diamond = model(["d", "b", "c", "a"], { d: ["b", "c"], b: ["a"], c: ["a"] });
  assert.deepEqual(topologicalOrder(diamond), ["a", "b", "c", "d"]);
});

Deno.test("topologicalOrder() handles long chains without a pass limit or deep recursion", () => {
  const n = 5_000;
  const names = Array.from({ length: n }, (_, i) => `j${i}`);
  const deps = Object.fromEntries(names.slice(0, -1).map((name, i) => [name, [names[i + 1]!]]));
  const order = topologicalOrder(model(names, deps));
  assert.equal(order.length, n);
  assert.equal(order[0], `j${n - 1}`);
  assert.equal(order[n - 1], "j0");
});

Deno.test("topologicalOrder() ignores a matrix job's SEQUENTIAL dependency on itself", () => {
  const wf = defineWorkflow({
    name: "s",
    jobs: { a: { image: "x", matrix: { I: [1, 2, 3] } }, b: { image: "x" } },
    dependencies: { a: [{ job: "a", type: "SEQUENTIAL" }, "b"] },
  });
  assert.deepEqual(topologicalOrder(wf), ["b", "a"]);
  assert.equal(findCycle(wf), undefined);
});

Deno.test("topologicalOrder() throws a WorkflowError naming the cycle or the unknown job", () => {
  assert.throws(
    () => topologicalOrder(model(["a", "b", "c"], { a: ["b"], b: ["c"], c: ["a"] })),
    (e: unknown) =>
      e instanceof WorkflowError &&
      e.message === "job 'a', field 'dependencies.a': Jobs form a cycle: a -> b -> c -> a",
  );
  assert.throws(
    () => topologicalOrder(model(["a"], { a: ["ghost"] })),
    (e: unknown) => e instanceof WorkflowError && e.message === "job 'a', field 'dependencies.a': Unknown job 'ghost'",
  );
});

Deno.test("findCycle() and findCycles() name cycles as paths, each once", () => {
  assert.deepEqual(findCycle(model(["a", "b"], { a: ["b"], b: ["a"] })), ["a", "b", "a"]);
  assert.equal(findCycle(model(["a", "b"], { a: ["b"] })), undefined);
  const graph = new Map([["a", ["b"]], ["b", ["a", "c"]], ["c", ["c"]], ["d", ["a"]], ["e", ["f"]], ["f", ["e"]]]);
  assert.deepEqual(findCycles(graph).cycles, [["a", "b", "a"], ["c", "c"], ["e", "f", "e"]]);
});
