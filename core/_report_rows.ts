/**
 * The timeline of a run from DescribeJobs details: one row per job and per array child, one entry per attempt with
 * its phases. AWS leaves start and stop out (or 0) on array parents and on jobs failed through a dependency: such
 * times are unknown, never 0. Private to core.
 * @module
 */
import type { JobDetail } from "./backend_types.ts";
import type { ReportAttempt, ReportRow } from "./report_types.ts";

/** A time AWS recorded, or undefined (0 and missing both mean "not recorded"). */
export function known(t: number | undefined): number | undefined {
  return t !== undefined && t > 0 ? t : undefined;
}

/** The details a timeline reads: every submission's detail by id, and the children of array jobs by parent id. */
export interface Details {
  /** Job details by id (parents and plain jobs, every submission). */
  byId: ReadonlyMap<string, JobDetail>;
  /** Children of each array job, by parent id, in index order. */
  children: ReadonlyMap<string, readonly JobDetail[]>;
}

/** When a job (or child `index` of it) stopped: an array parent stops with its last child, once all stopped. */
export function stopOf(details: Details, jobId: string, index?: number): number | undefined {
  const kids = details.children.get(jobId);
  if (kids?.length) {
    if (index !== undefined) return known(kids.find((k) => k.arrayProperties?.index === index)?.stoppedAt);
    const stops = kids.map((k) => known(k.stoppedAt));
    return stops.every((s) => s !== undefined) ? Math.max(...(stops as number[])) : undefined;
  }
  return known(details.byId.get(jobId)?.stoppedAt);
}

/** When the dependencies of `d` (child `index` for N_TO_N ones) had all stopped; undefined while one has not. */
export function readyAt(details: Details, d: JobDetail, index?: number): number | undefined {
  let ready = known(d.createdAt);
  for (const dep of d.dependsOn ?? []) {
    if (!dep.jobId) continue; // SEQUENTIAL: children wait for each other, not for another job
    const stop = stopOf(details, dep.jobId, dep.type === "N_TO_N" ? index : undefined);
    if (stop === undefined) return undefined;
    ready = Math.max(ready ?? stop, stop);
  }
  return ready;
}

const WAITING = new Set(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING"]);

/**
 * The attempts of one AWS job (or array child): finished ones from `attempts[]`, then the one running or waiting
 * now. The first waits for its dependencies (pending) then for capacity (queued); a retry waits only for capacity.
 */
export function attemptsOf(
  d: JobDetail,
  ready: number | undefined,
  submission: number,
  now: number,
): Omit<ReportAttempt, "attempt">[] {
  const out: Omit<ReportAttempt, "attempt">[] = [];
  let from = known(d.createdAt);
  let readyTime = ready;
  const finished = d.attempts ?? [];
  finished.forEach((a, i) => {
    const last = i === finished.length - 1;
    const startedAt = known(a.startedAt) ?? (last ? known(d.startedAt) : undefined);
    const stoppedAt = known(a.stoppedAt);
    const exitCode = a.container?.exitCode;
    const succeeded = exitCode === 0 || (exitCode === undefined && last && d.status === "SUCCEEDED");
    out.push(attempt(d.jobId, submission, from, readyTime, startedAt, stoppedAt, succeeded ? "SUCCEEDED" : "FAILED", {
      exitCode,
      reason: a.container?.reason,
      statusReason: a.statusReason,
      logStream: a.container?.logStreamName,
    }, now));
    from = stoppedAt;
    readyTime = stoppedAt;
  });
  const lastStop = finished.length ? known(finished.at(-1)!.stoppedAt) : undefined;
  const started = known(d.startedAt);
  if (d.status === "RUNNING" && started !== undefined && (lastStop === undefined || started > lastStop)) {
    out.push(attempt(d.jobId, submission, from, readyTime, started, undefined, "RUNNING", {
      logStream: d.container?.logStreamName,
    }, now));
  } else if (WAITING.has(d.status)) {
    out.push(attempt(d.jobId, submission, from, readyTime, undefined, undefined, "WAITING", {}, now));
  }
  return out;
}

function attempt(
  jobId: string,
  submission: number,
  pendingFrom: number | undefined,
  ready: number | undefined,
  startedAt: number | undefined,
  stoppedAt: number | undefined,
  outcome: ReportAttempt["outcome"],
  extra: { exitCode?: number; reason?: string; statusReason?: string; logStream?: string },
  now: number,
): Omit<ReportAttempt, "attempt"> {
  const a: Omit<ReportAttempt, "attempt"> = { jobId, submission, outcome, phases: {} };
  if (pendingFrom !== undefined) a.pendingFrom = pendingFrom;
  // A retry is ready at once; a first attempt whose dependencies have not all stopped is pending until now.
  const readyTime = ready ?? (startedAt ?? (outcome === "WAITING" ? undefined : pendingFrom));
  if (readyTime !== undefined) a.readyAt = readyTime;
  if (startedAt !== undefined) a.startedAt = startedAt;
  if (stoppedAt !== undefined) a.stoppedAt = stoppedAt;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (a as Record<string, unknown>)[k] = v;
  const waitEnd = startedAt ?? stoppedAt ?? now; // an attempt can fail before it runs (e.g. the image pull)
  if (pendingFrom !== undefined) a.phases.pending = Math.max(0, Math.min(readyTime ?? waitEnd, waitEnd) - pendingFrom);
  if (readyTime !== undefined) a.phases.queued = Math.max(0, waitEnd - readyTime);
  if (startedAt !== undefined) a.phases.running = Math.max(0, (stoppedAt ?? now) - startedAt);
  return a;
}

/** Adds attempts to the row `label` (creating it), numbering them on from the row's earlier ones. */
export function addToRow(
  rows: Map<string, ReportRow>,
  key: { job: string; index?: number },
  status: ReportRow["status"],
  attempts: Omit<ReportAttempt, "attempt">[],
): void {
  const label = key.index === undefined ? key.job : `${key.job}[${key.index}]`;
  const row = rows.get(label) ?? { job: key.job, label, status, attempts: [] };
  if (key.index !== undefined) row.index = key.index;
  row.status = status; // later submissions come later: the last one sets the status
  for (const a of attempts) row.attempts.push({ attempt: row.attempts.length + 1, ...a });
  rows.set(label, row);
}
