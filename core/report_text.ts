/**
 * A run report as terminal text: the summary, then a timeline of Unicode bars that fits the given width
 * (80 columns by default). Plain text: colour, if any, is the caller's business.
 * @module
 */
import { JOB_STATUSES } from "./backend_types.ts";
import type { ReportAttempt, RunReport } from "./report_types.ts";

/** Options of {@link renderReportText}. */
export interface ReportTextOptions {
  /** Columns available (default 80, at least 40). */
  width?: number;
  /** Rows of the timeline before the rest are counted instead of drawn (default 30). */
  maxRows?: number;
}

/** Characters of the timeline, and what they mean. */
export const TIMELINE_CHARS = {
  pending: "·",
  queued: "░",
  succeeded: "█",
  failed: "▓",
  running: "▒",
} as const;

/** `35ms`, `0.5s`, `45s`, `4m10s`, `2h03m`, `3d04h`: under 50 ms in ms, so that a short local job is not "0s". */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 50) return `${Math.max(1, Math.round(ms))}ms`;
  if (ms < 9_950) return `${(ms / 1000).toFixed(1).replace(/\.0$/, "")}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor(s / 3600) % 24).padStart(2, "0")}h`;
}

/** `$0.0172`, `$12.34`: cents for large sums, four decimals for small ones. */
export function formatUsd(usd: number): string {
  return `$${usd >= 10 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

/**
 * The report as text: summary lines, then the timeline. No line is wider than `width`.
 *
 * @param report From {@link reportRun}.
 * @param options Width and row limit.
 * @returns The text, lines joined with `\n`.
 * @example
 * ```ts ignore
 * import { renderReportText, type RunReport } from "./mod.ts";
 * declare const report: RunReport;
 * console.log(renderReportText(report, { width: 80 }));
 * ```
 */
export function renderReportText(report: RunReport, options: ReportTextOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  return [...summaryLines(report, width), "", ...timelineLines(report, width, options.maxRows ?? 30)].join("\n");
}

function summaryLines(report: RunReport, width: number): string[] {
  const s = report.summary;
  const states = JOB_STATUSES.filter((k) => s.byStatus[k]).map((k) => `${k} ${s.byStatus[k]}`).join(", ");
  const when = s.startedAt === undefined ? "" : `, from ${iso(s.startedAt)}${s.endedAt ? ` to ${iso(s.endedAt)}` : ""}`;
  const path = s.criticalPath.jobs.length
    ? `${s.criticalPath.jobs.join(" → ")} (${formatDuration(s.criticalPath.lengthMs)}, ` +
      `${formatDuration(s.criticalPath.runningMs)} running)`
    : "none yet (no job has finished)";
  const u = s.usage;
  const lines = [
    `Run '${report.runId}' of workflow '${report.workflow}': ${s.state}, wall time ${formatDuration(s.wallMs)}${when}`,
    `Jobs: ${s.jobs} (${states || "none"})` + (s.missing.length ? `; never submitted: ${s.missing.join(", ")}` : ""),
    `Attempts: ${s.attempts} (${s.retries} ${s.retries === 1 ? "was a retry" : "were retries"} or resubmissions)`,
    `Waiting for dependencies ${formatDuration(s.time.pending)}; queued (RUNNABLE, STARTING) ` +
    `${formatDuration(s.time.queued)}; running ${formatDuration(s.time.running)}`,
    `Critical path: ${path}`,
    `Resources: ${hours(u.vcpuHours)} vCPU-hours, ${hours(u.gibHours)} GiB-hours, ${hours(u.gpuHours)} GPU-hours`,
    `Estimated cost: ${formatUsd(s.cost.usd)} (an estimate; prices: ${s.cost.source.note})`,
  ];
  return lines.flatMap((l) => wrap(l, width));
}

function timelineLines(report: RunReport, width: number, maxRows: number): string[] {
  const start = report.summary.startedAt;
  const rows = report.rows;
  if (start === undefined || !rows.length) return ["Timeline: nothing has been created yet."];
  const end = Math.max(start + 1000, start + report.summary.wallMs);
  const label = Math.min(18, Math.max(...rows.map((r) => r.label.length)));
  const suffix = 8;
  const cols = width - label - 1 - 1 - suffix;
  const msPerCol = (end - start) / cols;
  const out = [`Timeline (${formatDuration(end - start)} across, one column ≈ ${formatDuration(msPerCol)}):`];
  for (const row of rows.slice(0, maxRows)) {
    const cells = Array<string>(cols).fill(" ");
    for (const a of row.attempts) paint(cells, a, start, msPerCol, report.generatedAt);
    const running = row.attempts.reduce((n, a) => n + (a.phases.running ?? 0), 0);
    const name = row.label.length > label ? `${row.label.slice(0, label - 1)}…` : row.label.padEnd(label);
    out.push(`${name} ${cells.join("")} ${formatDuration(running).padStart(suffix)}`.trimEnd());
  }
  if (rows.length > maxRows) out.push(`… and ${rows.length - maxRows} more rows (write the HTML report with -o)`);
  const c = TIMELINE_CHARS;
  out.push(
    ...wrap(
      `${c.pending} waiting for dependencies  ${c.queued} queued  ${c.succeeded} ran, succeeded  ` +
        `${c.failed} ran, failed  ${c.running} running`,
      width,
    ),
  );
  return out;
}

function paint(cells: string[], a: ReportAttempt, start: number, msPerCol: number, now: number): void {
  const col = (t: number) => Math.min(cells.length - 1, Math.max(0, Math.floor((t - start) / msPerCol)));
  const fill = (from: number | undefined, to: number | undefined, ch: string, atLeastOne: boolean) => {
    if (from === undefined || to === undefined || (to <= from && !atLeastOne)) return;
    const last = Math.max(col(from), to > from ? col(to - 1) : col(from));
    for (let i = col(from); i <= last; i++) cells[i] = ch;
  };
  const c = TIMELINE_CHARS;
  const waitEnd = a.startedAt ?? a.stoppedAt ?? now;
  fill(a.pendingFrom, Math.min(a.readyAt ?? waitEnd, waitEnd), c.pending, false);
  fill(a.readyAt, waitEnd, c.queued, false);
  const ran = a.outcome === "SUCCEEDED" ? c.succeeded : a.outcome === "FAILED" ? c.failed : c.running;
  fill(a.startedAt, a.stoppedAt ?? now, ran, true);
}

function hours(h: number): string {
  return h >= 100 ? h.toFixed(0) : h >= 1 ? h.toFixed(2) : h.toFixed(3);
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
}

/** Breaks a line at spaces so that no piece is wider than `width` (continuations indented by two). */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while ([...rest].length > width) {
    const cut = rest.lastIndexOf(" ", width);
    const at = cut > width / 3 ? cut : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = `  ${rest.slice(at).trimStart()}`;
  }
  out.push(rest);
  return out;
}
