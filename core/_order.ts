/**
 * A dependency order of a workflow's jobs (Kahn's algorithm, file order among ready jobs). Private to core: a
 * stand-in until `core/dag.ts` is on main.
 * @module
 */
import type { Issue } from "./errors.ts";
import type { EZBatchWorkflow } from "./model.ts";

/** Jobs in an order where every job comes after the jobs it waits for; issues for unknown names and cycles. */
export function orderJobs(workflow: EZBatchWorkflow): { order: string[]; issues: Issue[] } {
  const names = Object.keys(workflow.jobs);
  const issues: Issue[] = [];
  const waiting = new Map<string, number>(names.map((n) => [n, 0]));
  const dependents = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [job, deps] of Object.entries(workflow.dependencies)) {
    if (!waiting.has(job)) {
      issues.push({ job, field: `dependencies.${job}`, message: `Unknown job '${job}' has dependencies` });
      continue;
    }
    for (const dep of new Set(deps.map((d) => d.job))) {
      if (!waiting.has(dep)) {
        issues.push({
          job,
          field: `dependencies.${job}`,
          message: `Job '${job}' waits for unknown job '${dep}': known jobs are ${names.join(", ")}`,
        });
        continue;
      }
      waiting.set(job, waiting.get(job)! + 1);
      dependents.get(dep)!.push(job);
    }
  }
  const ready = names.filter((n) => waiting.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    const job = ready.shift()!;
    order.push(job);
    for (const next of dependents.get(job)!) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < names.length && !issues.length) {
    const stuck = names.filter((n) => !order.includes(n));
    issues.push({ message: `Dependency cycle among jobs ${stuck.map((n) => `'${n}'`).join(", ")}` });
  }
  return { order, issues };
}
