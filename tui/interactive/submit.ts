/**
 * Jobs > Submit: runs an image and command through the same action as `jobs submit` (core/actions/submit_job.ts):
 * the same queue, name, roles (the account's default execution role when the settings name none), definition and
 * request, and a "CLI:" line that does exactly the same.
 * @module
 */
import type { SubmitJobRequest } from "../../core/actions/submit_job.ts";
import { submitJob } from "../../core/actions/submit_job.ts";
import type { Backend } from "../../core/backend.ts";
import { defineWorkflow } from "../../core/load.ts";
import { isValidJobName } from "../../core/names.ts";
import { jobSubmitArgs } from "./cli_line.ts";
import type { Session } from "./context.ts";
import { askContainer } from "./job_form.ts";
import type { Check } from "./prompter.ts";

/** Checks a job name (the name the job is submitted under, as `jobs submit --name`). */
export const jobNameCheck: Check = (name) =>
  isValidJobName(name)
    ? undefined
    : "A job name has 1 to 128 letters, digits, '-' or '_', and starts with a letter or digit";

/** Asks for an image, command, resources and queue, submits, and offers to follow the log. */
export async function submitJobFlow(
  session: Session,
  backend: Backend,
  pickQueue: (session: Session, backend: Backend) => Promise<string | undefined>,
  follow: (session: Session, backend: Backend, job: { jobId: string; jobName: string }) => Promise<void>,
): Promise<void> {
  const { p } = session;
  const queue = await pickQueue(session, backend);
  if (!queue) return;
  const name = await p.text("Job name", { default: "job", validate: jobNameCheck });
  const input = await askContainer(session);
  // The same validation as `jobs submit` flags: a one-job definition of the file format's rules.
  const job = defineWorkflow({ name: "cli", jobs: { job: input } }).jobs.job!;
  const request: SubmitJobRequest = { job, queue, name };
  if (!await p.confirm(`Submit '${name}' to queue '${queue}'?`, { default: true })) return p.say("Nothing submitted.");
  const submitted = await submitJob(backend, request, { settings: await session.settings(), now: Date.now });
  p.say(submitted.message);
  p.command(jobSubmitArgs(request));
  if (await p.confirm("Follow its log now?", { default: false })) {
    await follow(session, backend, { jobId: submitted.jobId, jobName: submitted.jobName });
  }
}
