/**
 * Checks, before the first SubmitJob of a run, that every queue the run uses can take jobs: it exists, is ENABLED
 * and is VALID. Without it a bad queue on a later job was found only after the earlier jobs had been submitted,
 * which then had to be rolled back.
 * @module
 */
import type { Backend } from "./backend.ts";
import { EzBatchError } from "./errors.ts";
import { nameOfArn } from "./names.ts";
import type { Plan } from "./plan.ts";

/** Queue statuses that accept SubmitJob (UPDATING: a change in progress on a working queue). */
const USABLE_STATUSES = ["VALID", "UPDATING"];

/**
 * Throws when a queue of the plan is missing, DISABLED or not VALID, naming each such queue, the jobs that use it
 * and what to do. A backend that creates queues on first use (`kind: "local"`) may lack them.
 *
 * @param backend Where the run will be submitted.
 * @param plan The run's plan.
 * @param options `signal` aborts the lookup.
 * @throws {EzBatchError} When a queue cannot take the run's jobs (call it before submitting anything).
 */
export async function checkQueuesReady(
  backend: Backend,
  plan: Pick<Plan, "submissions">,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const users = new Map<string, string[]>();
  for (const s of plan.submissions) users.set(s.jobQueue, [...users.get(s.jobQueue) ?? [], s.job]);
  if (!users.size) return;
  const { jobQueues } = await backend.describeJobQueues([...users.keys()], options.signal ? options : {});
  const problems: string[] = [];
  for (const [queue, jobs] of users) {
    const found = jobQueues.find((q) => q.jobQueueName === nameOfArn(queue) || q.jobQueueArn === queue);
    const who = `Job queue '${queue}' (of ${jobs.length === 1 ? "job" : "jobs"} ${list(jobs)})`;
    if (!found || found.status === "DELETED" || found.status === "DELETING") {
      if (backend.kind === "aws") problems.push(`${who} does not exist: 'ezbatch job-queue list' shows the queues`);
    } else if (found.state === "DISABLED") {
      problems.push(`${who} is DISABLED: enable it with 'ezbatch job-queue enable ${found.jobQueueName}'`);
    } else if (!USABLE_STATUSES.includes(found.status ?? "VALID")) {
      problems.push(`${who} is ${found.status}${found.statusReason ? ` (${found.statusReason})` : ""}`);
    }
  }
  if (problems.length) throw new EzBatchError(problems.join("; "));
}

function list(jobs: string[]): string {
  const shown = jobs.slice(0, 5).map((j) => `'${j}'`).join(", ");
  return jobs.length > 5 ? `${shown} and ${jobs.length - 5} more` : shown;
}
