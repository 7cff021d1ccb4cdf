/**
 * Text helpers of the monitor: fixed-width cells, ages, progress bars, status colours, and the lines of the job
 * details pane (attempts, exit code, reasons; for RUNNABLE jobs the queue's and compute environments' reasons).
 * @module
 */
import { JOB_STATUSES, type JobStatus } from "../../core/backend_types.ts";
import type { JobRow, QueueInfo, RunInfo } from "./state.ts";

/** Cuts or pads `text` to exactly `width` characters (an ellipsis marks a cut). */
export function cell(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length > width) return width === 1 ? "…" : `${text.slice(0, width - 1)}…`;
  return text.padEnd(width);
}

/** A short duration: `42s`, `5m`, `3h`, `2d`. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** How long a job ran (ended), has been running, or has waited. */
export function jobAge(job: JobRow, now: number): string {
  if (job.startedAt && job.stoppedAt) return shortDuration(job.stoppedAt - job.startedAt);
  if (job.startedAt) return shortDuration(now - job.startedAt);
  if (job.createdAt) return shortDuration((job.stoppedAt ?? now) - job.createdAt);
  return "";
}

/** The colour of a state. */
export function statusColor(status: JobStatus | string | undefined): string {
  switch (status) {
    case "SUCCEEDED":
    case "VALID":
    case "ENABLED":
      return "green";
    case "FAILED":
    case "INVALID":
      return "red";
    case "RUNNING":
      return "cyan";
    case "STARTING":
      return "blue";
    case "RUNNABLE":
    case "DISABLED":
      return "yellow";
    default:
      return "gray";
  }
}

/** `[####....]` for a share of `width` cells. */
export function progressBar(done: number, total: number, width: number): string {
  const full = total > 0 ? Math.round((done / total) * width) : 0;
  return `${"#".repeat(full)}${".".repeat(Math.max(0, width - full))}`;
}

/**
 * One line of the runs pane: `{workflow}-{run}`, bar, done/planned, failures, jobs never submitted. When space is
 * short the bar goes first, then the workflow's name is cut: the run id stays whole (it is what commands take).
 */
export function runLine(run: RunInfo, width: number): string {
  const done = (run.counts.SUCCEEDED ?? 0) + (run.counts.FAILED ?? 0);
  const failed = run.counts.FAILED ?? 0;
  const missing = run.expected - run.total;
  const tail = ` ${done}/${run.expected}${failed ? ` ${failed}✗` : ""}${missing > 0 ? ` ${missing}?` : ""}`;
  const label = `${run.workflow}-${run.run}`;
  const bar = ` ${progressBar(done, run.expected, 6)}`;
  if (label.length + bar.length + tail.length <= width) {
    return cell(label, width - tail.length - bar.length) + bar + tail;
  }
  const room = width - tail.length;
  if (label.length <= room) return cell(label, room) + tail;
  if (run.run.length + 3 <= room) return `${cell(run.workflow, room - run.run.length - 1)}-${run.run}` + tail;
  return cell(run.run, room) + tail;
}

/**
 * What to do about a run that cannot succeed as it stands (jobs never submitted, or failed), or undefined: the
 * monitor has no workflow file, so it names the command that resumes the run with one.
 */
export function runAdvice(run: RunInfo): string | undefined {
  const missing = run.expected - run.total;
  const failed = run.counts.FAILED ?? 0;
  if (missing <= 0 && !failed) return undefined;
  const what = [missing > 0 ? `INCOMPLETE, ${missing} never submitted` : "", failed ? `${failed} failed` : ""]
    .filter(Boolean).join(", ");
  return `Run ${run.run}: ${what}. Resume: ezbatch workflow resume ${run.workflow} ${run.run} FILE`;
}

function time(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "-";
}

/** The lines of the details pane for a job. */
export function detailLines(job: JobRow, queue: QueueInfo | undefined): string[] {
  const d = job.detail;
  const lines = [
    `Name      ${job.jobName}`,
    `Id        ${job.jobId}`,
    `Status    ${job.status}${d?.isCancelled ? " (cancelled)" : ""}${d?.isTerminated ? " (terminated)" : ""}`,
  ];
  if (job.statusReason) lines.push(`Reason    ${job.statusReason}`);
  if (job.run) lines.push(`Run       ${job.run.workflow} ${job.run.run} (job '${job.run.job}')`);
  if (d?.jobDefinition) lines.push(`Definition ${d.jobDefinition.slice(d.jobDefinition.lastIndexOf("/") + 1)}`);
  lines.push(
    `Created   ${time(job.createdAt)}`,
    `Started   ${time(job.startedAt)}`,
    `Stopped   ${time(job.stoppedAt)}`,
  );
  if (job.exitCode !== undefined) lines.push(`Exit code ${job.exitCode}`);
  const array = d?.arrayProperties;
  if (array?.size) {
    const summary = Object.entries(array.statusSummary ?? {}).filter(([, n]) => n).map(([s, n]) => `${s} ${n}`);
    lines.push(`Array     ${array.size} children${summary.length ? `: ${summary.join(", ")}` : ""}`);
  }
  const attempts = d?.attempts ?? [];
  lines.push(`Attempts  ${attempts.length}`);
  attempts.forEach((a, i) => {
    const exit = a.container?.exitCode !== undefined ? `exit ${a.container.exitCode}` : "no exit code";
    const why = a.statusReason ?? a.container?.reason;
    lines.push(`  #${i + 1} ${exit}${why ? `, ${why}` : ""}`);
  });
  if (job.status === "RUNNABLE") {
    lines.push("Waiting for capacity:");
    if (!queue) lines.push("  queue unknown");
    else {
      lines.push(
        `  queue ${queue.name}: ${queue.state ?? "?"} ${queue.status ?? "?"}` +
          (queue.statusReason ? `, ${queue.statusReason}` : ""),
      );
      for (const env of queue.environments) {
        lines.push(
          `  env ${env.name}: ${env.state ?? "?"} ${env.status ?? "?"}` +
            (env.statusReason ? `, ${env.statusReason}` : ""),
        );
      }
      if (!queue.environments.length) lines.push("  the queue has no compute environment");
    }
  }
  return lines;
}

/** Children per state in words, in lifecycle order: `3 RUNNING, 2 SUCCEEDED`. */
export function childrenSummary(summary: Partial<Record<JobStatus, number>>): string {
  return JOB_STATUSES.filter((s) => summary[s]).map((s) => `${summary[s]} ${s}`).join(", ");
}

const SHORT: Record<JobStatus, string> = {
  SUBMITTED: "sub",
  PENDING: "pend",
  RUNNABLE: "wait",
  STARTING: "start",
  RUNNING: "run",
  SUCCEEDED: "ok",
  FAILED: "fail",
};

/** The children per state in a few characters, for a job row: `[3 run 2 ok]` (`[5]` before the first count). */
export function childrenTag(array: { size: number; summary: Partial<Record<JobStatus, number>> }): string {
  const parts = JOB_STATUSES.filter((s) => array.summary[s]).map((s) => `${array.summary[s]} ${SHORT[s]}`);
  return `[${parts.length ? parts.join(" ") : array.size}]`;
}

/**
 * `parts` joined with ` · ` after `title`, fitted to `width`: the title goes first when space is short, then the
 * end is cut with an ellipsis.
 */
export function fitLine(title: string, parts: string[], width: number): string {
  const full = [title, ...parts].join(" · ");
  if (full.length <= width) return full;
  return cell(parts.join(" · "), width).trimEnd();
}
