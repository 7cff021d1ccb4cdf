/**
 * Child process of the SIGINT test: submits a 200-job workflow to a slow in-memory backend with the same signal
 * wiring as main.ts (the first SIGINT aborts the submission), prints progress to stderr and, when the submission
 * ends, the outcome and the server's view of every job as JSON on stdout; exits 130 when interrupted.
 */
import { SubmissionError } from "../../core/errors.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { wide } from "./_workflows.ts";

const controller = new AbortController();
Deno.addSignalListener("SIGINT", () => controller.abort(new DOMException("Interrupted", "AbortError")));
const backend = new MemoryBackend({ checkDefinitions: true, latencyMs: 30 });
let code = 0;
let outcome: Record<string, unknown>;
try {
  const run = await submitWorkflow(backend, wide(200), {
    runId: "sig",
    concurrency: 4,
    signal: controller.signal,
    onProgress: (p) => console.error(`submitted ${p.submitted}/${p.total}`),
  });
  outcome = { ok: true, jobs: Object.keys(run.jobs).length };
} catch (error) {
  code = error instanceof SubmissionError && controller.signal.aborted ? 130 : 1;
  outcome = error instanceof SubmissionError
    ? { ok: false, message: error.message, submitted: error.submitted.length, terminated: error.terminated.length }
    : { ok: false, message: String(error) };
}
const server = [...backend.jobs.values()].map((j) => ({ name: j.jobName, terminated: j.isTerminated === true }));
console.log(JSON.stringify({ ...outcome, server }));
Deno.exit(code);
