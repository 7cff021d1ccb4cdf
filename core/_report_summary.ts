/**
 * The whole-run figures of a report: wall time, attempts and retries, time per phase, the critical path,
 * resource-hours and the cost estimate. Private to core.
 * @module
 */
import type { FoundRun } from "./run.ts";
import type { PriceBook } from "./pricing.ts";
import type { PhaseName, ReportJob, ReportRow, ReportSummary } from "./report_types.ts";
import { type Details, known, stopOf } from "./_report_rows.ts";

/** Sums the rows and jobs of a report into its summary. */
export function summarizeReport(
  run: FoundRun,
  jobs: readonly ReportJob[],
  rows: readonly ReportRow[],
  details: Details,
  prices: PriceBook,
  now: number,
): ReportSummary {
  const attempts = rows.flatMap((r) => r.attempts);
  const time: Record<PhaseName, number> = { pending: 0, queued: 0, running: 0 };
  for (const a of attempts) for (const k of Object.keys(time) as PhaseName[]) time[k] += a.phases[k] ?? 0;
  const ran = attempts.filter((a) => a.startedAt !== undefined).length;
  const rowsThatRan = rows.filter((r) => r.attempts.some((a) => a.startedAt !== undefined)).length;
  const created = [...details.byId.values()].map((d) => known(d.createdAt)).filter((t) => t !== undefined);
  const startedAt = created.length ? Math.min(...created) : undefined;
  const live = attempts.some((a) => a.outcome === "RUNNING" || a.outcome === "WAITING");
  const stops = attempts.map((a) => a.stoppedAt).filter((t) => t !== undefined);
  const endedAt = !live && stops.length ? Math.max(...stops) : undefined;
  const usage = { vcpuHours: 0, gibHours: 0, gpuHours: 0 };
  let usd = 0;
  for (const j of jobs) {
    usage.vcpuHours += j.usage.vcpuHours;
    usage.gibHours += j.usage.gibHours;
    usage.gpuHours += j.usage.gpuHours;
    usd += j.usd;
  }
  const summary: ReportSummary = {
    state: run.summary.state,
    wallMs: startedAt === undefined ? 0 : (endedAt ?? now) - startedAt,
    byStatus: run.summary.byStatus,
    jobs: run.summary.total,
    missing: run.missing,
    attempts: ran,
    retries: ran - rowsThatRan,
    time,
    criticalPath: criticalPath(run, jobs, rows, details),
    usage,
    cost: { usd, estimate: true, source: prices.source },
  };
  if (startedAt !== undefined) summary.startedAt = startedAt;
  if (endedAt !== undefined) summary.endedAt = endedAt;
  return summary;
}

/**
 * The chain of jobs that decided when the run ended: from the job that stopped last, back through the dependency
 * that stopped last (the one that released it). Its length runs from the first job's creation to the last one's
 * stop; its running time sums the running phases of the chain's attempts.
 */
function criticalPath(
  run: FoundRun,
  jobs: readonly ReportJob[],
  rows: readonly ReportRow[],
  details: Details,
): ReportSummary["criticalPath"] {
  const byName = new Map(jobs.map((j) => [j.job, j]));
  const finish = (j: ReportJob) => stopOf(details, j.jobId);
  let last: ReportJob | undefined;
  for (const j of jobs) {
    const f = finish(j);
    if (f !== undefined && (last === undefined || f > finish(last)!)) last = j;
  }
  if (!last) return { jobs: [], lengthMs: 0, runningMs: 0 };
  const chain = [last];
  const seen = new Set([last.job]);
  for (let at = last; at;) {
    let next: ReportJob | undefined;
    for (const name of at.dependsOn) {
      const dep = byName.get(name);
      const f = dep && finish(dep);
      if (dep && f !== undefined && !seen.has(dep.job) && (next === undefined || f > finish(next)!)) next = dep;
    }
    if (!next) break;
    chain.unshift(next);
    seen.add(next.job);
    at = next;
  }
  const first = run.jobs.find((j) => j.jobId === chain[0]!.jobId);
  const start = known(details.byId.get(chain[0]!.jobId)?.createdAt) ?? known(first?.createdAt);
  // An array job on the chain counts its longest child: children run side by side.
  let runningMs = 0;
  for (const j of chain) {
    const perRow = rows.map((r) =>
      r.attempts.filter((a) => a.jobId === j.jobId).reduce((n, a) => n + (a.phases.running ?? 0), 0)
    );
    runningMs += Math.max(0, ...perRow);
  }
  return { jobs: chain.map((j) => j.job), lengthMs: start === undefined ? 0 : finish(last)! - start, runningMs };
}
