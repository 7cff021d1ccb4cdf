/**
 * A run report as one self-contained HTML page: summary, an interactive timeline (one bar per attempt, its phases
 * coloured, exit code and reason on hover), the DAG laid out by @dagrejs/dagre (loaded only here) and drawn as
 * SVG, and a table per job with console links. The page carries its data as JSON and needs nothing else.
 * @module
 */
import { loadDagre } from "./deps.ts";
import type { ReportJob, RunReport } from "./report_types.ts";
import { formatDuration, formatUsd } from "./report_text.ts";
import { PAGE_CSS, PAGE_JS } from "./_report_page.ts";

const STATUS_FILL: Record<string, string> = {
  SUCCEEDED: "#2e9d57",
  FAILED: "#d0433b",
  RUNNING: "#3b7dd8",
  STARTING: "#3b7dd8",
};

/**
 * Renders the report as one HTML page with no external resource.
 *
 * @param report From {@link reportRun}.
 * @returns The page.
 * @example
 * ```ts ignore
 * import { renderReportHtml, type RunReport } from "./mod.ts";
 * declare const report: RunReport;
 * await Deno.writeTextFile("report.html", await renderReportHtml(report));
 * ```
 */
export async function renderReportHtml(report: RunReport): Promise<string> {
  const s = report.summary;
  const title = `Run ${report.runId} of ${report.workflow}`;
  const cards: [string, string][] = [
    [formatDuration(s.wallMs), "wall time"],
    [`${s.jobs}${s.missing.length ? ` (+${s.missing.length} never submitted)` : ""}`, "jobs"],
    [`${s.attempts} / ${s.retries}`, "attempts / retries"],
    [formatDuration(s.time.pending), "waiting for dependencies"],
    [formatDuration(s.time.queued), "queued (RUNNABLE, STARTING)"],
    [formatDuration(s.time.running), "running"],
    [s.usage.vcpuHours.toFixed(3), "vCPU-hours"],
    [s.usage.gibHours.toFixed(3), "GiB-hours"],
    [s.usage.gpuHours.toFixed(3), "GPU-hours"],
    [formatUsd(s.cost.usd), "estimated cost"],
  ];
  const path = s.criticalPath.jobs.length
    ? `${s.criticalPath.jobs.map(esc).join(" → ")}: ${formatDuration(s.criticalPath.lengthMs)} ` +
      `(${formatDuration(s.criticalPath.runningMs)} running)`
    : "none yet";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${PAGE_CSS}</style></head><body>
<header><h1>${esc(title)} <span class="state ${s.state}">${s.state}</span></h1>
<div class="note">${s.startedAt ? `${iso(s.startedAt)} to ${s.endedAt ? iso(s.endedAt) : "now"}` : ""} · ${
    report.backend === "local" ? "local backend" : `AWS Batch${report.region ? `, ${esc(report.region)}` : ""}`
  } · report made ${iso(report.generatedAt)}</div>
<div class="cards">${
    cards.map(([v, k]) => `<div class="card"><b>${esc(v)}</b><span>${esc(k)}</span></div>`).join("")
  }</div>
<p class="note">Critical path: ${path}.<br>Cost is an estimate, not a bill: ${esc(s.cost.source.note)}.
AWS records no time for entering STARTING: it is counted as queued.</p></header>
<section><h2>Timeline</h2><div class="tools"><button id="zin">zoom in</button><button id="zout">zoom out</button>
<input id="filter" placeholder="filter jobs"><span class="legend"><i style="background:var(--pend)"></i>waiting for dependencies
<i style="background:var(--queue)"></i>queued<i style="background:var(--ok)"></i>succeeded<i style="background:var(--fail)"></i>failed
<i style="background:var(--run)"></i>running</span></div><div id="gantt"><div id="labels"></div><div id="plot"></div></div></section>
<section id="dag"><h2>Jobs and their dependencies</h2>${await dagSvg(report)}</section>
<section><h2>Jobs</h2><table id="jobs"></table></section><div id="tip"></div>
<script type="application/json" id="data">${pageData(report)}</script><script>${PAGE_JS}</script></body></html>
`;
}

/** The page's data: times relative to the run's start, short keys (a 1,000-job run stays small). */
function pageData(report: RunReport): string {
  const t0 = report.summary.startedAt ?? report.generatedAt;
  const rel = (t: number | undefined) => (t === undefined ? null : t - t0);
  const data = {
    t0,
    now: report.generatedAt - t0,
    span: report.summary.wallMs,
    region: report.region ?? null,
    rows: report.rows.map((r) => ({
      l: r.label,
      a: r.attempts.map((a) => ({
        n: a.attempt,
        sub: a.submission,
        o: a.outcome,
        p: rel(a.pendingFrom),
        r: rel(a.readyAt),
        s: rel(a.startedAt),
        e: rel(a.stoppedAt),
        x: a.exitCode ?? null,
        why: [a.statusReason, a.reason].filter(Boolean).join(": ") || null,
        ph: [a.phases.pending ?? 0, a.phases.queued ?? 0, a.phases.running ?? 0],
      })),
    })),
    jobs: report.jobs.map((j) => ({
      job: j.job,
      n: j.arraySize ?? null,
      id: j.jobId,
      st: j.status,
      at: j.attempts,
      x: j.exitCodes,
      why: j.statusReason ?? "",
      size: sizeText(j),
      q: j.queue.split("/").pop(),
      def: j.definition.split("/").pop(),
      ms: j.runningMs,
      usd: j.usd,
      lg: j.logGroup,
      log: lastStream(report, j.job),
      dep: j.dependsOn.join(", "),
    })),
  };
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

function lastStream(report: RunReport, job: string): string | null {
  return report.rows.filter((r) => r.job === job).flatMap((r) => r.attempts).map((a) => a.logStream)
    .filter(Boolean).at(-1) ?? null;
}

function sizeText(j: ReportJob): string {
  if (j.vcpus === undefined) return `${j.capacity.platform} (size unknown)`;
  const spot = j.capacity.spot ? " Spot" : "";
  const arm = j.capacity.arch === "ARM64" ? " ARM" : "";
  return `${j.vcpus} vCPU, ${j.memory} MiB${j.gpus ? `, ${j.gpus} GPU` : ""}, ${j.capacity.platform}${spot}${arm}`;
}

/** Above this many jobs the DAG is not drawn: dagre took 20 s and 1.2 MB of SVG for 1,000 jobs and 2,000 edges. */
export const MAX_DAG_JOBS = 300;

/** The DAG as SVG, laid out left to right by dagre. */
async function dagSvg(report: RunReport): Promise<string> {
  if (report.jobs.length > MAX_DAG_JOBS) {
    return `<p class="note">${report.jobs.length} jobs: the graph is not drawn above ${MAX_DAG_JOBS} jobs ` +
      `(its layout would take long and make the page heavy); the table below names each job's dependencies.</p>`;
  }
  const dagre = await loadDagre();
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 12, ranksep: 40, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const j of report.jobs) {
    const label = j.arraySize ? `${j.job} [${j.arraySize}]` : j.job;
    g.setNode(j.job, { width: Math.min(220, 16 + label.length * 7), height: 26, label });
  }
  for (const [from, to] of report.edges) if (g.hasNode(from) && g.hasNode(to)) g.setEdge(from, to);
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const edges = g.edges().map((e) => {
    const pts: { x: number; y: number }[] = g.edge(e).points ?? [];
    return `<path d="M${pts.map((p) => `${r(p.x)},${r(p.y)}`).join("L")}" fill="none" stroke="#9aa3ad" ` +
      `marker-end="url(#arrow)"/>`;
  });
  const nodes = report.jobs.map((j) => {
    const n = g.node(j.job);
    const fill = STATUS_FILL[j.status] ?? "#c9ced6";
    const text = String(n.label ?? j.job);
    return `<g><title>${esc(j.job)}: ${j.status}</title><rect x="${r(n.x - n.width / 2)}" y="${
      r(n.y - n.height / 2)
    }" ` +
      `width="${n.width}" height="${n.height}" rx="5" fill="${fill}"/><text x="${r(n.x)}" y="${r(n.y + 4)}" ` +
      `text-anchor="middle" fill="#fff">${esc(text.length > 30 ? `${text.slice(0, 29)}…` : text)}</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${r(width)}" height="${r(height)}" ` +
    `viewBox="0 0 ${r(width)} ${r(height)}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" ` +
    `markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#9aa3ad"/></marker></defs>` +
    `${edges.join("")}${nodes.join("")}</svg>`;
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
