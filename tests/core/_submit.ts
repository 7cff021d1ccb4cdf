/** Shared set-up of the submission engine's tests. */
import type { EZBatchWorkflow } from "../../core/model.ts";
import { planWorkflow } from "../../core/plan.ts";
import { MemoryBackend, type MemoryBackendOptions } from "../support/memory_backend.ts";
import { ROLES } from "./_jobs.ts";

/** Plan and submit options: fixed roles and run id, no jitter. */
export const opts = { ...ROLES, runId: "r1", random: () => 0 };

/** A fake that has the definitions of `wf` registered already (a warm account): SubmitJob call 1 is job 1's. */
export async function warm(wf: EZBatchWorkflow, options: MemoryBackendOptions = {}): Promise<MemoryBackend> {
  const backend = new MemoryBackend({ checkDefinitions: true, ...options });
  for (const d of planWorkflow(wf, opts).definitions) await backend.registerJobDefinition(d.input);
  delete backend.calls.registerJobDefinition;
  return backend;
}

/** The fake's job with this AWS job name. */
export const byName = (b: MemoryBackend, name: string) => [...b.jobs.values()].find((j) => j.jobName === name)!;
