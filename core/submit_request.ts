/**
 * The SubmitJob request of a planned submission, and its size in bytes as AWS counts it (the plan refuses a job
 * whose request would pass the 30 KiB limit before anything is submitted).
 * @module
 */
import type { SubmitJobInput } from "./backend_types.ts";
import type { PlannedSubmission } from "./plan.ts";

/**
 * Builds the SubmitJob request of a planned submission once its definition and its dependencies' ids are known.
 *
 * @param submission The planned submission.
 * @param context The definition to use (`name:revision` or ARN) and the ids of already submitted jobs by name.
 * @returns The request for `Backend.submitJob`.
 * @throws {Error} When a dependency has no id yet (a bug in the caller: submit in plan order).
 * @example
 * ```ts
 * import { planWorkflow, submitJobRequest } from "./mod.ts";
 * const job = {
 *   image: "alpine", command: "true", environment: {}, secrets: {}, mounts: { read: [], write: [] },
 *   vcpus: 1, memory: 2048, gpus: 0, platform: "EC2" as const, tags: {}, preloader: false,
 * };
 * const plan = planWorkflow({ name: "w", queue: "q", jobs: { a: job }, dependencies: {} }, { runId: "r" });
 * const request = submitJobRequest(plan.submissions[0]!, { definition: "ezbatch-alpine-0:1", jobIds: {} });
 * console.log(request.jobName); // "w-r-a"
 * ```
 */
export function submitJobRequest(
  submission: PlannedSubmission,
  context: { definition: string; jobIds: Record<string, string> },
): SubmitJobInput {
  const { job: _job, dependsOn, jobDefinition: _def, ...rest } = submission;
  const request: SubmitJobInput = { ...rest, jobDefinition: context.definition };
  // A multi-node job's overrides travel per node range: AWS refuses containerOverrides on it.
  if (request.nodeOverrides) delete request.containerOverrides;
  const refs = [];
  for (const dep of dependsOn) {
    if (dep.job === submission.job && dep.type === "SEQUENTIAL") continue; // orders its own children
    const jobId = context.jobIds[dep.job];
    if (jobId === undefined) throw new Error(`Job '${dep.job}' has no id yet; '${submission.job}' waits for it`);
    refs.push(dep.type === "N_TO_N" ? { jobId, type: "N_TO_N" as const } : { jobId });
  }
  if (dependsOn.some((d) => d.type === "SEQUENTIAL")) refs.push({ type: "SEQUENTIAL" as const });
  if (refs.length) request.dependsOn = refs;
  return request;
}

/** Size in bytes of the request with worst-case ids (36 characters) and definition reference. */
export function submitBytes(submission: PlannedSubmission, sizes: Map<string, number>): number {
  const jobIds = Object.fromEntries(submission.dependsOn.map((d) => [d.job, "x".repeat(36)]));
  const definition = `arn:aws:batch:ap-southeast-1:123456789012:job-definition/${submission.jobDefinition}:99999`;
  const request = submitJobRequest(submission, { definition, jobIds });
  const command = request.containerOverrides?.command;
  if (!command?.length) return utf8Length(JSON.stringify(request));
  // The command may hold the preloader script (kilobytes, the same in every job): measure each string once.
  const rest = { ...request, containerOverrides: { ...request.containerOverrides, command: [] } };
  let bytes = utf8Length(JSON.stringify(rest)) + command.length - 1;
  for (const part of command) {
    let n = sizes.get(part);
    if (n === undefined) sizes.set(part, n = utf8Length(JSON.stringify(part)));
    bytes += n;
  }
  return bytes;
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++, bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
    else if (c >= 0x800) bytes += 2;
    else if (c >= 0x80) bytes += 1;
  }
  return bytes;
}
