/**
 * Stops the job a user confirmed in the monitor: cancel before it started, terminate after.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { PendingStop } from "./state.ts";

/** The reason recorded on jobs stopped from the monitor. */
export const STOP_REASON = "Stopped from the ezbatch monitor";

/** Carries out a confirmed stop and returns the footer's message. */
export async function stopJobByState(backend: Backend, pending: PendingStop): Promise<string> {
  if (pending.action === "cancel") await backend.cancelJob(pending.jobId, STOP_REASON);
  else await backend.terminateJob(pending.jobId, STOP_REASON);
  return `${pending.action === "cancel" ? "Cancel" : "Terminate"} requested for job '${pending.jobName}'`;
}
