/**
 * Semantic checks of a whole workflow: names, the jobs (see `validate_job.ts`) and the dependency graph
 * (unknown names, self-dependencies, at most 20 per job, N_TO_N between matrix jobs of one size, cycles).
 * Pure: validation never calls anything.
 * @module
 */
import { didYouMean } from "./_suggest.ts";
import type { PathIssue } from "./_zod_issues.ts";
import { dependencyGraph, findCycles } from "./dag.ts";
import type { EZBatchWorkflow } from "./model.ts";
import { matrixSize, nameProblem, queueProblem, validateJob } from "./validate_job.ts";

/** Most dependencies AWS Batch accepts on one job. */
export const MAX_DEPENDENCIES = 20;

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
  for (const [name, job] of Object.entries(wf.jobs)) issues.push(...validateJob(name, job, ["jobs", name]));
  issues.push(...validateDependencies(wf, allJobs, position));
  return issues;
}

function validateDependencies(
  wf: EZBatchWorkflow,
  allJobs: readonly string[],
  position: (job: string, index: number) => number,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const known = new Set(allJobs);
  const jobList = allJobs.join(", ");
  for (const [job, deps] of Object.entries(wf.dependencies)) {
    if (!known.has(job)) {
      issues.push({
        path: ["dependencies", job],
        message: `Unknown job '${job}' in dependencies${didYouMean(job, known)}: the jobs are ${jobList}`,
      });
      continue;
    }
    if (deps.length > MAX_DEPENDENCIES) {
      issues.push({
        path: ["dependencies", job],
        message: `Job '${job}' waits for ${deps.length} jobs: AWS Batch allows at most ${MAX_DEPENDENCIES}`,
      });
    }
    const listed = new Set<string>();
    deps.forEach((dep, i) => {
      const path = ["dependencies", job, position(job, i)];
      const self = Object.hasOwn(wf.jobs, job) ? wf.jobs[job] : undefined;
      const other = Object.hasOwn(wf.jobs, dep.job) ? wf.jobs[dep.job] : undefined;
      if (listed.has(dep.job)) issues.push({ path, message: `Job '${job}' lists '${dep.job}' twice` });
      listed.add(dep.job);
      if (!known.has(dep.job)) {
        issues.push({
          path,
          message: `Job '${job}' waits for unknown job '${dep.job}'${
            didYouMean(dep.job, known)
          }: the jobs are ${jobList}`,
        });
      } else if (dep.type === "SEQUENTIAL") {
        if (dep.job !== job) {
          issues.push({
            path,
            message: `SEQUENTIAL runs a matrix job's own children one after another: write ` +
              `{ job = "${dep.job}", type = "SEQUENTIAL" } in the dependencies of '${dep.job}'`,
          });
        } else if (self && self.matrix === undefined) {
          issues.push({ path, message: `SEQUENTIAL needs a matrix job, and '${job}' has no matrix` });
        }
      } else if (dep.job === job) {
        issues.push({ path, message: `Job '${job}' depends on itself` });
      } else if (dep.type === "N_TO_N" && self && other) {
        const problem = self.matrix === undefined
          ? `'${job}' has no matrix`
          : other.matrix === undefined
          ? `'${dep.job}' has no matrix`
          : matrixSize(self.matrix) !== matrixSize(other.matrix)
          ? `'${dep.job}' has ${matrixSize(other.matrix)} children and '${job}' has ${matrixSize(self.matrix)}`
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
  for (const cycle of findCycles(graph)) {
    issues.push({ path: ["dependencies", cycle[0]!], message: `Jobs form a cycle: ${cycle.join(" -> ")}` });
  }
  return issues;
}
