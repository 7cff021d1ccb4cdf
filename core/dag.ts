/**
 * The dependency graph of a workflow: a deterministic topological order and cycle detection that names the path.
 * Works in linear time with no pass limit (the Python ezbatch gave up after 100 passes and called misspelled
 * names loops). A matrix job's `SEQUENTIAL` dependency on itself orders its own children, so it is not an edge.
 * @module
 */
import { quote } from "./_suggest.ts";
import { WorkflowError } from "./errors.ts";
import type { EZBatchWorkflow, JobDependency } from "./model.ts";

/** The edges job -> jobs it waits for, in file order, without self `SEQUENTIAL` entries. */
export function dependencyGraph(
  jobs: Iterable<string>,
  dependencies: Record<string, readonly JobDependency[]>,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const job of jobs) graph.set(job, []);
  for (const [job, deps] of Object.entries(dependencies)) {
    const edges = graph.get(job);
    if (!edges) continue;
    for (const dep of deps) if (!(dep.job === job && dep.type === "SEQUENTIAL")) edges.push(dep.job);
  }
  return graph;
}

/** The cycles {@link findCycles} found, and how many more back edges (each closing a cycle) it did not trace. */
export interface FoundCycles {
  /** Distinct cycles, each a path that starts and ends with the same job, in discovery order. */
  cycles: string[][];
  /** Further dependencies that close a cycle, beyond the `limit` traced (0 when every cycle is listed). */
  more: number;
}

/**
 * The distinct cycles of `graph` (each as a path that starts and ends with the same job), in discovery order, at
 * most `limit` of them. Edges to unknown nodes are ignored. Linear in nodes and edges plus the length of the cycles
 * traced: past `limit`, further cycles are only counted (as the back edges that close them), never traced, so ten
 * thousand overlapping cycles cost no more than one.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>, limit = 10): FoundCycles {
  const cycles: string[][] = [];
  let more = 0;
  const seen = new Set<string>();
  const done = new Set<string>();
  for (const root of graph.keys()) {
    if (done.has(root)) continue;
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    const onStack = new Map<string, number>([[root, 0]]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = graph.get(top.node) ?? [];
      if (top.next >= edges.length) {
        stack.pop();
        onStack.delete(top.node);
        done.add(top.node);
        continue;
      }
      const dep = edges[top.next++]!;
      if (!graph.has(dep) || done.has(dep)) continue;
      const at = onStack.get(dep);
      if (at !== undefined) {
        if (cycles.length >= limit) {
          more++;
          continue;
        }
        const cycle = [...stack.slice(at).map((f) => f.node), dep];
        const key = [...new Set(cycle)].sort().join("\u0000");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
        continue;
      }
      onStack.set(dep, stack.length);
      stack.push({ node: dep, next: 0 });
    }
  }
  return { cycles, more };
}

/** A cycle as `a -> b -> a`, names shortened, and at most 10 jobs shown (then how many more, then the first again). */
export function formatCycle(cycle: readonly string[], max = 10): string {
  const names = cycle.map((name) => name.length > 60 ? quote(name).slice(1, -1) : name);
  if (names.length <= max + 1) return names.join(" -> ");
  return `${names.slice(0, max).join(" -> ")} -> … (${names.length - max - 1} more) -> ${names[names.length - 1]}`;
}

/**
 * The first dependency cycle of a workflow as a path such as `["a", "b", "a"]` (a waits for b, which waits for a),
 * or undefined when there is none.
 *
 * @param wf The workflow.
 * @returns The cycle path, or undefined.
 * @example
 * ```ts
 * import { findCycle } from "./dag.ts";
 * const job = { image: "alpine", environment: {}, secrets: {}, mounts: { read: [], write: [] }, vcpus: 1,
 *   memory: 2048, gpus: 0, platform: "FARGATE" as const, tags: {}, preloader: false };
 * const wf = { name: "w", jobs: { a: job, b: job }, dependencies: { a: [{ job: "b" }], b: [{ job: "a" }] } };
 * console.log(findCycle(wf)?.join(" -> ")); // a -> b -> a
 * ```
 */
export function findCycle(wf: EZBatchWorkflow): string[] | undefined {
  return findCycles(dependencyGraph(Object.keys(wf.jobs), wf.dependencies), 1).cycles[0];
}

/**
 * Every job of the workflow, each after the jobs it waits for. Deterministic: jobs are visited in file order and
 * each job's dependencies in the order they are listed.
 *
 * @param wf The workflow.
 * @returns The job names in a valid submission order.
 * @throws {WorkflowError} When a dependency names an unknown job or the graph has a cycle.
 * @example
 * ```ts
 * import { defineWorkflow, topologicalOrder } from "../mod.ts";
 * const wf = defineWorkflow({
 *   name: "w",
 *   jobs: { report: { image: "alpine" }, fetch: { image: "alpine" } },
 *   dependencies: { report: ["fetch"] },
 * });
 * console.log(topologicalOrder(wf)); // ["fetch", "report"]
 * ```
 */
export function topologicalOrder(wf: EZBatchWorkflow): string[] {
  const graph = dependencyGraph(Object.keys(wf.jobs), wf.dependencies);
  for (const [job, deps] of graph) {
    const unknown = deps.find((d) => !graph.has(d));
    if (unknown !== undefined) {
      throw new WorkflowError({ job, field: `dependencies.${job}`, message: `Unknown job ${quote(unknown)}` });
    }
  }
  const cycle = findCycles(graph, 1).cycles[0];
  if (cycle) {
    throw new WorkflowError({
      job: cycle[0],
      field: `dependencies.${cycle[0]}`,
      message: `Jobs form a cycle: ${formatCycle(cycle)}`,
    });
  }
  const order: string[] = [];
  const placed = new Set<string>();
  for (const root of graph.keys()) {
    if (placed.has(root)) continue;
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    placed.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = graph.get(top.node)!;
      if (top.next < edges.length) {
        const dep = edges[top.next++]!;
        if (!placed.has(dep)) {
          placed.add(dep);
          stack.push({ node: dep, next: 0 });
        }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  }
  return order;
}
