/**
 * Crash detection. A supervisor writes a heartbeat into `supervisor.json`; it is alive while its pid runs (same
 * start time) and its heartbeat is fresher than `staleAfterMs`. Jobs in STARTING or RUNNING whose attempt belongs
 * to a supervisor that is not alive are marked FAILED with a reason (and their leftover processes are killed),
 * so `status` and `--watch` never wait forever on a job nobody runs.
 * @module
 */
import type { LocalState, SupervisorInfo } from "./_types.ts";
import { processAlive, signalMarked, signalTree } from "./process_tree.ts";
import { attemptMarker } from "./runner.ts";
import { setStatus } from "./scheduler.ts";

/** Default age after which a supervisor's heartbeat counts as stale. */
export const DEFAULT_STALE_AFTER_MS = 15_000;

/** Why `info` is not alive at `now`, or undefined when it is. */
export function supervisorDeath(
  info: SupervisorInfo | undefined,
  now: number,
  staleAfterMs: number,
): string | undefined {
  if (!info) return "no local supervisor is running";
  if (!processAlive(info.pid, info.pidStart)) return `the local supervisor (pid ${info.pid}) is gone`;
  const age = now - info.heartbeatAt;
  if (age > staleAfterMs) {
    return `the local supervisor (pid ${info.pid}) stopped answering (last heartbeat ${Math.round(age / 1000)} s ago)`;
  }
  return undefined;
}

/** True when some job is STARTING or RUNNING under a supervisor other than `liveId`. */
export function hasOrphans(state: LocalState, liveId: string | undefined): boolean {
  return Object.values(state.jobs).some((job) =>
    (job.status === "STARTING" || job.status === "RUNNING") && job.attempts.at(-1)?.supervisorId !== liveId
  );
}

/**
 * Fails every job that is STARTING or RUNNING under a supervisor other than `liveId` and kills what is left of
 * its processes. Returns the ids of the failed jobs.
 */
export function reapOrphans(state: LocalState, liveId: string | undefined, now: number, why: string): string[] {
  const reaped: string[] = [];
  for (const job of Object.values(state.jobs)) {
    if (job.status !== "STARTING" && job.status !== "RUNNING") continue;
    const attempt = job.attempts.at(-1);
    if (!attempt || attempt.supervisorId === liveId) continue;
    if (attempt.pid !== undefined && processAlive(attempt.pid, attempt.pidStart)) {
      signalTree(attempt.pid, "SIGKILL", [], attemptMarker(attempt));
    } else signalMarked(attemptMarker(attempt), "SIGKILL");
    const reason = `Job was RUNNING but ${why}: it was marked FAILED and what it left running was stopped`;
    attempt.stoppedAt = now;
    attempt.statusReason = reason;
    attempt.reason = "LocalSupervisorLost";
    delete job.terminateRequest;
    setStatus(job, "FAILED", now, reason);
    reaped.push(job.jobId);
  }
  return reaped;
}
