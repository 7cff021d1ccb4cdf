/**
 * The call pattern of the Python ezbatch, replayed through a Backend: for every job, one at a time, describe its
 * job definition, register a new revision, list the queue's RUNNING jobs, submit, and deregister the revision.
 * It had no rate limiter and relied on botocore's retries, modelled here as a plain retry after throttling.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { EZBatchWorkflow } from "../core/model.ts";
import { planWorkflow, submitJobRequest } from "../core/plan.ts";
import { classifyError } from "../core/_retry.ts";

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (classifyError(error) === "fatal" || attempt >= 4) throw error;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

/**
 * Submits the first `limit` jobs (in dependency order) of `workflow` the way the Python ezbatch did.
 *
 * @returns The number of jobs submitted.
 */
export async function submitLikePython(
  backend: Backend,
  workflow: EZBatchWorkflow,
  options: { limit?: number } = {},
): Promise<number> {
  const plan = planWorkflow(workflow, { runId: "py" });
  const inputs = new Map(plan.definitions.map((d) => [d.name, d.input]));
  const ids: Record<string, string> = {};
  const submissions = plan.submissions.slice(0, options.limit ?? plan.submissions.length);
  for (const s of submissions) {
    const input = inputs.get(s.jobDefinition)!;
    await retrying(() => backend.describeJobDefinitions([input.jobDefinitionName]));
    const registered = await retrying(() => backend.registerJobDefinition(input));
    const definition = `${registered.jobDefinitionName}:${registered.revision}`;
    await retrying(() => backend.listJobs({ jobQueue: s.jobQueue, jobStatus: "RUNNING" }, { maxResults: 10 }));
    const result = await retrying(() => backend.submitJob(submitJobRequest(s, { definition, jobIds: ids })));
    ids[s.job] = result.jobId;
    await retrying(() => backend.deregisterJobDefinition(definition));
  }
  return submissions.length;
}
