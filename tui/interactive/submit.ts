/**
 * Jobs > Submit: runs an image and command as a one-job workflow, so its definition is content-addressed and
 * reused like every ezbatch job, and the job can be found again by its run.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { defineWorkflow } from "../../core/load.ts";
import { isValidJobName } from "../../core/names.ts";
import { submitWorkflow } from "../../core/submit.ts";
import type { Session } from "./context.ts";
import { askContainer } from "./job_form.ts";
import type { Check } from "./prompter.ts";

/** Checks a job name (also the one-job workflow's name). */
export const jobNameCheck: Check = (name) =>
  isValidJobName(name) && name.length <= 64
    ? undefined
    : "A job name has 1 to 64 letters, digits, '-' or '_', and starts with a letter or digit";

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
  const job = await askContainer(session);
  const wf = defineWorkflow({ name, queue, jobs: { [name]: job } });
  if (!await p.confirm(`Submit '${name}' to queue '${queue}'?`, { default: true })) return p.say("Nothing submitted.");
  const run = await submitWorkflow(backend, wf, await session.planOptions());
  const jobId = run.jobs[name]!;
  const jobName = run.jobNames[name]!;
  p.say(`Submitted job '${jobName}' (${jobId}), run ${run.runId}.`);
  const args = ["jobs", "submit", "-q", queue, "--name", name, "--image", job.image];
  if (typeof job.command === "string") args.push("--command", job.command);
  args.push("--vcpus", String(job.vcpus), "--memory", String(job.memory));
  if (job.platform === "EC2") args.push("--platform", "EC2");
  if (job.gpus) args.push("--gpus", String(job.gpus));
  p.command(args);
  if (await p.confirm("Follow its log now?", { default: false })) await follow(session, backend, { jobId, jobName });
}
