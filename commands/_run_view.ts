/**
 * How a run is shown by `workflow submit|status|resume`: its jobs as a table (jobs never submitted included), a
 * one-line verdict, what to do next, and a follower that watches the jobs to their end.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { JobStatus } from "../core/backend_types.ts";
import { isFinished, watchJobs } from "../core/jobs.ts";
import { type RunJob, runJobOf, type RunSummary } from "../core/run.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatDuration, plural, renderTable } from "./output.ts";

/** The status shown for a job of the plan that was never submitted. */
export const NOT_SUBMITTED = "NOT SUBMITTED";

/** A run's jobs as a table: job, id, state (array children counted), attempt, exit code, reason; then the missing. */
export function renderRunJobs(jobs: RunJob[], ctx: CliContext, missing: readonly string[] = []): string {
  const c = ctx.outColors;
  const retried = jobs.some((j) => (j.attempt ?? 1) > 1);
  const rows = jobs.map((j) => [
    j.job,
    j.jobId,
    colorStatus(j.status, c),
    ...(retried ? [j.attempt] : []),
    j.array?.size !== undefined
      ? Object.entries(j.array.statusSummary ?? {}).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ") ||
        `${j.array.size}`
      : undefined,
    j.exitCode,
    j.startedAt ? formatDuration((j.stoppedAt || ctx.now()) - j.startedAt) : undefined,
    j.status === "FAILED" ? j.statusReason : undefined,
  ]);
  for (const job of missing) {
    rows.push([
      job,
      undefined,
      c.yellow(NOT_SUBMITTED),
      ...(retried ? [undefined] : []),
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  }
  return renderTable(
    ["JOB", "JOB ID", "STATUS", ...(retried ? ["ATTEMPT"] : []), "CHILDREN", "EXIT", "DURATION", "REASON"],
    rows,
    { colors: c },
  );
}

/** One line of counts, e.g. `2 RUNNING, 1 SUCCEEDED`. */
export function countsLine(counts: Partial<Record<JobStatus, number>>): string {
  return Object.entries(counts).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ") || "no jobs yet";
}

/** The verdict: `Run 'r' succeeded: 3 SUCCEEDED.`, or INCOMPLETE with the count of jobs never submitted. */
export function summaryLine(runId: string, summary: RunSummary): string {
  const counts = countsLine(summary.byStatus);
  if (summary.state === "INCOMPLETE") {
    return `Run '${runId}' is INCOMPLETE: ${summary.notSubmitted} of its ${summary.expected} jobs were never ` +
      `submitted (${summary.total ? counts : "no job found"}, ${summary.notSubmitted} ${NOT_SUBMITTED}).`;
  }
  const state = summary.state === "SUCCEEDED" ? "succeeded" : summary.state === "FAILED" ? "failed" : "is running";
  return `Run '${runId}' ${state}: ${counts}.`;
}

/**
 * What to do next with a run that did not succeed, on stderr (always: this is no decoration). `file` is the workflow
 * file when known; without it the commands say FILE.
 */
export function adviseNext(
  ctx: CliContext,
  run: { workflow: string; runId: string; summary: RunSummary; file?: string },
): void {
  const { summary } = run;
  if (summary.state === "SUCCEEDED") return;
  const resume = `ezbatch workflow resume ${run.workflow} ${run.runId} ${run.file ?? "FILE"}${localFlag(ctx)}`;
  const lines: string[] = [];
  if (!summary.finished) {
    lines.push(`Follow it: ezbatch workflow status ${run.file ?? run.workflow} ${run.runId} --watch${localFlag(ctx)}`);
  }
  if (summary.state === "INCOMPLETE" || summary.state === "FAILED" || summary.failed.length) {
    const what = [
      summary.notSubmitted ? `submits the ${plural(summary.notSubmitted, "job")} never submitted` : "",
      summary.failed.length ? `submits the ${plural(summary.failed.length, "failed job")} again` : "",
    ].filter(Boolean).join(" and ");
    lines.push(`Finish it: ${resume}  (${what || "submits what is missing"}, keeps what succeeded)`);
    if (!run.file) lines.push("  FILE is the workflow file the run was submitted with.");
  }
  for (const line of lines) ctx.stderr.write(`${line}\n`);
}

/** ` --local` when the command ran with it, so a suggested command reaches the same backend. */
export function localFlag(ctx: CliContext): string {
  return ctx.globals.local === true ? " --local" : "";
}

/**
 * Follows a run's jobs until all finished, with a live summary on stderr when it is a terminal and a line per
 * job that finishes otherwise. Returns the final jobs.
 */
export async function followRun(
  ctx: CliContext,
  backend: Backend,
  jobs: Record<string, string>,
): Promise<RunJob[]> {
  const names = new Map(Object.entries(jobs).map(([job, id]) => [id, job]));
  const tty = ctx.stderr.isTTY === true;
  const reported = new Set<string>();
  let last: RunJob[] = [];
  try {
    for await (
      const snapshot of watchJobs(backend, [...names.keys()], {
        signal: ctx.signal,
        clock: ctx.clock,
        intervalMs: ctx.pollIntervalMs,
      })
    ) {
      last = snapshot.jobs.map((d) => runJobOf(d, names.get(d.jobId) ?? d.jobName));
      for (const job of last) {
        if (!isFinished(job.status) || reported.has(job.jobId)) continue;
        reported.add(job.jobId);
        const line = `${job.job}: ${job.status}${job.exitCode !== undefined ? ` (exit ${job.exitCode})` : ""}` +
          (job.status === "FAILED" && job.statusReason ? ` ${job.statusReason}` : "");
        ctx.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
      }
      if (tty) {
        ctx.stderr.write(`\r\x1b[K${plural(names.size, "job")}: ${countsLine(snapshot.counts)}`);
      }
    }
  } finally {
    if (tty) ctx.stderr.write("\r\x1b[K");
  }
  return last;
}

/**
 * Follows a run that was just submitted or resumed; on Ctrl-C says that its jobs keep running and how to pick the
 * run up again, then lets the interrupt end the program.
 */
export async function followSubmitted(
  ctx: CliContext,
  backend: Backend,
  run: { workflow: string; runId: string; jobs: Record<string, string>; file?: string },
): Promise<RunJob[]> {
  try {
    return await followRun(ctx, backend, run.jobs);
  } catch (error) {
    if (ctx.signal.aborted) {
      const file = run.file ?? "FILE";
      ctx.stderr.write(
        `Stopped watching. The ${plural(Object.keys(run.jobs).length, "job")} of run '${run.runId}' keep running ` +
          "on their queues; nothing was cancelled.\n" +
          `  Watch again: ezbatch workflow status ${run.file ?? run.workflow} ${run.runId} --watch${localFlag(ctx)}\n` +
          `  Finish it:   ezbatch workflow resume ${run.workflow} ${run.runId} ${file}${localFlag(ctx)}\n` +
          `  Stop it:     ezbatch workflow cancel ${run.workflow} ${run.runId}${localFlag(ctx)}\n`,
      );
    }
    throw error;
  }
}
