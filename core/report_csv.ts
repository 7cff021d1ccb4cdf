/**
 * A run report as CSV: one row per attempt, like Nextflow's trace file. Times are ISO 8601 (UTC), durations
 * seconds; unknown values are empty.
 * @module
 */
import type { RunReport } from "./report_types.ts";

const COLUMNS = [
  "job",
  "index",
  "attempt",
  "submission",
  "job_id",
  "outcome",
  "exit_code",
  "reason",
  "created_or_ready_from",
  "ready",
  "started",
  "stopped",
  "pending_s",
  "queued_s",
  "running_s",
  "vcpus",
  "memory_mib",
  "gpus",
  "platform",
  "est_cost_usd",
  "log_stream",
] as const;

/**
 * Renders one CSV row per attempt, with a header.
 *
 * @param report From {@link reportRun}.
 * @returns The CSV text (RFC 4180 quoting, `\n` line ends).
 * @example
 * ```ts ignore
 * import { renderReportCsv, type RunReport } from "./mod.ts";
 * declare const report: RunReport;
 * await Deno.writeTextFile("trace.csv", renderReportCsv(report));
 * ```
 */
export function renderReportCsv(report: RunReport): string {
  const byJob = new Map(report.jobs.map((j) => [j.job, j]));
  const lines = [COLUMNS.join(",")];
  for (const row of report.rows) {
    const job = byJob.get(row.job);
    for (const a of row.attempts) {
      lines.push(
        [
          row.job,
          row.index,
          a.attempt,
          a.submission,
          a.jobId,
          a.outcome,
          a.exitCode,
          [a.statusReason, a.reason].filter(Boolean).join(": "),
          iso(a.pendingFrom),
          iso(a.readyAt),
          iso(a.startedAt),
          iso(a.stoppedAt),
          secs(a.phases.pending),
          secs(a.phases.queued),
          secs(a.phases.running),
          job?.vcpus,
          job?.memory,
          job?.gpus,
          job?.capacity.platform,
          a.usd === undefined ? undefined : a.usd.toFixed(6),
          a.logStream,
        ].map(cell).join(","),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function iso(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

function secs(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : (ms / 1000).toFixed(3);
}

function cell(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
