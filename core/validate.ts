/**
 * Semantic checks of a whole workflow: names, the jobs (see `validate_job.ts`) and the dependency graph
 * (unknown names, self-dependencies, at most 20 per job, N_TO_N between matrix jobs of one size, cycles).
 * Pure: validation never calls anything.
 * @module
 */
import { listNames, quote, shorten, Suggester } from "./_suggest.ts";
import type { PathIssue } from "./_zod_issues.ts";
import { dependencyGraph, findCycles, formatCycle } from "./dag.ts";
import type { EZBatchWorkflow } from "./model.ts";
import { matrixSize, nameProblem, queueProblem, validateJob } from "./validate_job.ts";

/** Most dependencies AWS Batch accepts on one job. */
export const MAX_DEPENDENCIES = 20;
/** Most cycles traced and reported; beyond them only a count is given. */
export const MAX_CYCLES_REPORTED = 10;

/**
 * Every problem of a workflow whose shape is valid. `allJobs` lists every job name in the file, including jobs
 * left out of `wf.jobs` because their shape was wrong (so dependencies on them are not called unknown).
 */
export function validateModel(
  wf: EZBatchWorkflow,
  allJobs: readonly string[],
  position: (job: string, index: number) => number = (_, i) => i,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const badName = nameProblem("workflow", wf.name);
  if (badName) issues.push({ path: ["name"], message: badName });
  if (wf.queue !== undefined) {
    const problem = queueProblem(wf.queue);
    if (problem) issues.push({ path: ["queue"], message: problem });
  }
  if (allJobs.length === 0) {
    issues.push({ path: ["jobs"], message: "A workflow needs at least one job: add a [jobs.NAME] table" });
  }
  // Loops, not push(...list): spreading 100,000 issues overflows the stack.
  for (const [name, job] of Object.entries(wf.jobs)) {
    for (const i of validateJob(name, job, ["jobs", name])) issues.push(i);
  }
  for (const issue of validateDependencies(wf, allJobs, position)) issues.push(issue);
  return issues;
}

function validateDependencies(
  wf: EZBatchWorkflow,
  allJobs: readonly string[],
  position: (job: string, index: number) => number,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const known = new Set(allJobs);
  const suggester = new Suggester(allJobs);
  // Named once, shortened: repeating the whole list in every message made the output quadratic.
  const jobList = listNames(allJobs);
  for (const [job, deps] of Object.entries(wf.dependencies)) {
    if (!known.has(job)) {
      issues.push({
        path: ["dependencies", job],
        message: `Unknown job ${quote(job)} in dependencies${suggester.didYouMean(job)}: the jobs are ${jobList}`,
      });
      continue;
    }
    if (deps.length > MAX_DEPENDENCIES) {
      issues.push({
        path: ["dependencies", job],
        message: `Job ${quote(job)} waits for ${deps.length} jobs: AWS Batch allows at most ${MAX_DEPENDENCIES}`,
      });
    }
    const listed = new Set<string>();
    deps.forEach((dep, i) => {
      const path = ["dependencies", job, position(job, i)];
      const self = Object.hasOwn(wf.jobs, job) ? wf.jobs[job] : undefined;
      const other = Object.hasOwn(wf.jobs, dep.job) ? wf.jobs[dep.job] : undefined;
      if (listed.has(dep.job)) issues.push({ path, message: `Job ${quote(job)} lists ${quote(dep.job)} twice` });
      listed.add(dep.job);
      if (!known.has(dep.job)) {
        issues.push({
          path,
          message: `Job ${quote(job)} waits for unknown job ${quote(dep.job)}${
            suggester.didYouMean(dep.job)
          }: the jobs are ${jobList}`,
        });
      } else if (dep.type === "SEQUENTIAL") {
        if (dep.job !== job) {
          issues.push({
            path,
            message: `SEQUENTIAL runs a matrix job's own children one after another: write ` +
              `{ job = "${shorten(dep.job)}", type = "SEQUENTIAL" } in the dependencies of ${quote(dep.job)}`,
          });
        } else if (self && self.matrix === undefined) {
          issues.push({ path, message: `SEQUENTIAL needs a matrix job, and ${quote(job)} has no matrix` });
        }
      } else if (dep.job === job) {
        issues.push({ path, message: `Job ${quote(job)} depends on itself` });
      } else if (dep.type === "N_TO_N" && self && other) {
        const problem = self.matrix === undefined
          ? `${quote(job)} has no matrix`
          : other.matrix === undefined
          ? `${quote(dep.job)} has no matrix`
          : matrixSize(self.matrix) !== matrixSize(other.matrix)
          ? `${quote(dep.job)} has ${matrixSize(other.matrix)} children and ${quote(job)} has ${
            matrixSize(self.matrix)
          }`
          : undefined;
        if (problem) {
          issues.push({
            path,
            message: `N_TO_N pairs the children of two matrix jobs of the same size, but ${problem}`,
          });
        }
      }
    });
  }
  const graph = dependencyGraph(allJobs, wf.dependencies);
  for (const [job, deps] of graph) graph.set(job, deps.filter((d) => d !== job));
  const { cycles, more } = findCycles(graph, MAX_CYCLES_REPORTED);
  for (const cycle of cycles) {
    issues.push({ path: ["dependencies", cycle[0]!], message: `Jobs form a cycle: ${formatCycle(cycle)}` });
  }
  if (more > 0) {
    const last = cycles[cycles.length - 1]!;
    issues.push({
      path: ["dependencies", last[0]!],
      message: `${more} more ${more === 1 ? "dependency closes a cycle" : "dependencies close cycles"} ` +
        `beyond the ${cycles.length} shown: break these first, then validate again`,
    });
  }
  return issues;
}
