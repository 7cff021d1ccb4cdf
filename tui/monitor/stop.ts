/**
 * Stops the job a user confirmed in the monitor, with the call its state needs (`stopJob`).
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { stopJob } from "../../core/jobs.ts";
import { DEFAULT_STOP_REASON } from "../../core/job_stop.ts";
import type { PendingStop } from "./state.ts";

/** The reason recorded on jobs stopped from the monitor: the one `jobs stop` sends, so both send the same request. */
export const STOP_REASON = DEFAULT_STOP_REASON;

/** Carries out a confirmed stop and returns the footer's message. */
export async function stopJobByState(backend: Backend, pending: PendingStop): Promise<string> {
  return (await stopJob(backend, pending.jobId, { reason: STOP_REASON })).message;
}
