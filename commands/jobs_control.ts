/**
 * `ezbatch jobs cancel|terminate|stop`, `jobs logs` and `jobs watch`.
 * @module
 */
import type { JobDetail } from "../core/backend_types.ts";
import { NotFoundError } from "../core/errors.ts";
import { describeJob, followLog, type JobsSnapshot, stopJobs, watchJobs } from "../core/jobs.ts";
import { DEFAULT_STOP_REASON } from "../core/job_stop.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatTime, plural, renderTable } from "./output.ts";
import { intBetween } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

/** The exit code of a finished job: its container's, or 1 for a failure without one, 0 when it succeeded. */
export function jobExitCode(job: JobDetail): number {
  if (job.status === "SUCCEEDED") return 0;
  const code = job.container?.exitCode ?? job.attempts?.at(-1)?.container?.exitCode;
  return code !== undefined && code !== 0 ? Math.min(code, 255) : 1;
}

/**
 * The exit code `--watch` ends with: the job's own. A failed job AWS gave no exit code (it never ran, it was
 * cancelled, a dependency failed) exits 1, and says so on stderr, so that a script's `$?` is not misread.
 */
export function watchedExitCode(ctx: CliContext, job: JobDetail): number {
  const code = jobExitCode(job);
  const own = job.container?.exitCode ?? job.attempts?.at(-1)?.container?.exitCode;
  if (job.status !== "SUCCEEDED" && (own === undefined || own === 0)) {
    ctx.warn(
      `Job '${job.jobName}' ${job.status} without an exit code from AWS` +
        `${job.statusReason ? ` (${job.statusReason})` : ""}: exiting with ${code}`,
    );
  }
  return code;
}

function statusLine(snapshot: JobsSnapshot): string {
  const counts = Object.entries(snapshot.counts).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ");
  return counts || "waiting for the jobs to appear";
}

/**
 * Watches jobs until they finish, with a live line on stderr when it is a terminal. Returns the last snapshot.
 */
export async function watchUntilDone(ctx: CliContext, ids: string[], label = "Watching"): Promise<JobsSnapshot> {
  const backend = await ctx.backend();
  const tty = ctx.stderr.isTTY === true;
  let last: JobsSnapshot | undefined;
  try {
    for await (
      const snapshot of watchJobs(backend, ids, {
        signal: ctx.signal,
        clock: ctx.clock,
        intervalMs: ctx.pollIntervalMs,
        onThrottle: (_e, ms) => ctx.note(`AWS is throttling; polling again in ${Math.round(ms / 1000)}s`),
      })
    ) {
      last = snapshot;
      if (tty) ctx.stderr.write(`\r\x1b[K${label} ${plural(ids.length, "job")}: ${statusLine(snapshot)}`);
    }
  } finally {
    if (tty) ctx.stderr.write("\r\x1b[K");
  }
  return last!;
}

/** Why a job has no log lines, from its state. */
function noLogReason(job: JobDetail): string {
  if (["SUBMITTED", "PENDING", "RUNNABLE", "STARTING"].includes(job.status)) {
    return `it is ${job.status} and has not run yet`;
  }
  if (job.status === "FAILED" && job.statusReason) return `it FAILED without writing any (${job.statusReason})`;
  return "its log stream is empty or gone";
}

/** The table of finished jobs. */
export function renderFinished(jobs: JobDetail[], ctx: CliContext): string {
  const c = ctx.outColors;
  return renderTable(
    ["JOB ID", "NAME", "STATUS", "EXIT", "STOPPED", "REASON"],
    jobs.map((j) => [
      j.jobId,
      j.jobName,
      colorStatus(j.status, c),
      j.status === "SUCCEEDED" ? 0 : j.container?.exitCode ?? j.attempts?.at(-1)?.container?.exitCode,
      formatTime(j.stoppedAt),
      j.status === "FAILED" ? j.statusReason ?? j.container?.reason : undefined,
    ]),
    { colors: c },
  );
}

/** Adds `cancel`, `terminate`, `stop`, `logs` and `watch` to the `jobs` group. */
export function registerJobControlCommands(group: AnyCommand, ctx: CliContext): void {
  for (
    const [verb, help] of [
      ["stop", "stop jobs: cancel those not started, terminate those starting or running"],
      ["cancel", "cancel jobs (one that already started is terminated instead: AWS cannot cancel it)"],
      ["terminate", "terminate jobs (one that has not started is cancelled: the same end, the right call)"],
    ] as const
  ) {
    const cmd = group.command(verb).argument("<jobIds...>", "job ids").description(help)
      .option("--reason <text>", "the reason shown on the jobs (at most 1024 characters)", DEFAULT_STOP_REASON)
      .action(async (ids, flags) => {
        const backend = await ctx.backend();
        const { results, missing } = await stopJobs(backend, ids, { reason: flags.reason, signal: ctx.signal });
        ctx.print({ results, missing }, () => results.map((r) => r.message).join("\n"));
        if (missing.length) {
          throw new NotFoundError(`No job with id ${missing.map((m) => `'${m}'`).join(", ")}`);
        }
      });
    examples(cmd, `ezbatch jobs ${verb} 6b2e0c1e-0000-4000-8000-000000000000 --reason 'wrong input'`);
  }

  const logs = group.command("logs").argument("<jobId>", "job id (an array child is id:index)")
    .description("print a job's CloudWatch log; --follow streams it until the job ends")
    .option("-f, --follow", "keep printing new lines until the job has finished")
    .option("--index <n>", "the child of an array job to read", intBetween(0, 9999))
    .option("--attempt <n>", "the attempt to read, from 1 (default: the latest)", intBetween(1, 10))
    .option("--group <name>", "log group (default: the job's, else /aws/batch/job)")
    .option("-t, --timestamps", "start each line with its time")
    .action(async (id, flags) => {
      const backend = await ctx.backend();
      const jobId = flags.index !== undefined && !id.includes(":") ? `${id}:${flags.index}` : id;
      const pollMs = Math.min(ctx.pollIntervalMs, 2000);
      const describe = () =>
        describeJob(backend, jobId, {
          signal: ctx.signal,
          clock: ctx.clock,
          baseMs: pollMs,
          onThrottle: (_e, ms) => ctx.note(`AWS is throttling; trying again in ${Math.round(ms / 1000)}s`),
        });
      const detail = await describe();
      if (!detail) throw new NotFoundError(`No job with id '${jobId}'`);
      if (detail.arrayProperties?.size && detail.arrayProperties.index === undefined) {
        throw new NotFoundError(
          `Job '${detail.jobName}' is an array job of ${detail.arrayProperties.size} children and has no log of ` +
            `its own: pick a child with --index N (0 to ${detail.arrayProperties.size - 1})`,
        );
      }
      let lines = 0;
      for await (
        const event of followLog(backend, jobId, {
          follow: flags.follow === true,
          signal: ctx.signal,
          clock: ctx.clock,
          pollMs,
          ...(flags.attempt !== undefined ? { attempt: flags.attempt } : {}),
          ...(flags.group !== undefined ? { group: flags.group } : {}),
        })
      ) {
        lines++;
        if (ctx.json) ctx.stdout.write(`${JSON.stringify(event)}\n`);
        else ctx.out(flags.timestamps ? `${formatTime(event.timestamp)} ${event.message}` : event.message);
      }
      if (lines === 0) {
        // After following, the job has ended: say why from its last state, not the one it had at the start.
        const job = flags.follow ? (await describe()) ?? detail : detail;
        ctx.warn(`No log lines for job '${job.jobName}': ${noLogReason(job)}`);
      }
    });
  examples(
    logs,
    "ezbatch jobs logs 6b2e0c1e-0000-4000-8000-000000000000",
    "ezbatch jobs logs ID --follow --timestamps",
    "ezbatch jobs logs ARRAY_ID --index 3 --attempt 2",
  );

  const watch = group.command("watch").argument("<jobIds...>", "job ids")
    .description("wait for jobs to finish; exits with the job's exit code (0 when all SUCCEEDED)")
    .action(async (ids) => {
      const last = await watchUntilDone(ctx, ids);
      ctx.print(last.jobs, () => renderFinished(last.jobs, ctx));
      const failed = last.jobs.filter((j) => j.status !== "SUCCEEDED");
      ctx.exitCode = ids.length === 1 && last.jobs[0] ? watchedExitCode(ctx, last.jobs[0]) : failed.length ? 1 : 0;
    });
  examples(watch, "ezbatch jobs watch 6b2e0c1e-0000-4000-8000-000000000000 && echo done");
}
