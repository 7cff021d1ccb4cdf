/**
 * Stops the job a user confirmed in the monitor, with the call its state needs (`stopJob`).
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { stopJob } from "../../core/jobs.ts";
import type { PendingStop } from "./state.ts";

/** The reason recorded on jobs stopped from the monitor. */
export const STOP_REASON = "Stopped from the ezbatch monitor";

/** Carries out a confirmed stop and returns the footer's message. */
export async function stopJobByState(backend: Backend, pending: PendingStop): Promise<string> {
  return (await stopJob(backend, pending.jobId, { reason: STOP_REASON })).message;
}
