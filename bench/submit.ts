/**
 * Submission benchmark: ezbatch's engine against the Python ezbatch's call pattern and the lower bound, through the
 * MemoryBackend with a fixed latency per call and a request-rate quota that answers TooManyRequestsException.
 * @module
 */
import { submitWorkflow } from "../core/submit.ts";
import { MemoryBackend } from "../tests/support/memory_backend.ts";
import { type BenchWorkflow, chain, diamond, independent, lowerBoundSeconds, matrix } from "./_workflows.ts";
import { submitLikePython } from "./_python_pattern.ts";
import { callsByKind, seconds, table, throttledCalls, totalCalls } from "./_table.ts";

/** Settings of the submission benchmark. */
export interface SubmitBenchOptions {
  /** Latency of every call, ms. */
  latencyMs: number;
  /** The fake's quota, calls per second. */
  quota: number;
  /** A rate to try besides the default on the 1,000-job workflow (`ratePerSecond`, e.g. the whole quota). */
  rate: number;
  /** Jobs of the Python pattern measured for the 1,000-job workflow (the rest extrapolated); 0 = all. */
  pythonSample: number;
}

interface Measured {
  ms: number;
  calls: Record<string, number>;
}

async function timed(fn: (backend: MemoryBackend) => Promise<unknown>, backend: MemoryBackend): Promise<Measured> {
  const before = { ...backend.calls };
  const start = performance.now();
  await fn(backend);
  const ms = performance.now() - start;
  const calls: Record<string, number> = {};
  for (const [k, n] of Object.entries(backend.calls)) if (n - (before[k] ?? 0) > 0) calls[k] = n - (before[k] ?? 0);
  return { ms, calls };
}

/** Runs the submission benchmark and returns its Markdown report. */
export async function benchSubmit(options: SubmitBenchOptions): Promise<string> {
  const { latencyMs, quota, rate } = options;
  const fake = () => new MemoryBackend({ checkDefinitions: true, latencyMs, ratePerSecond: quota });
  const rows: (string | number)[][] = [];
  const summary: (string | number)[][] = [];
  const workflows: BenchWorkflow[] = [independent(1000), chain(100), diamond(), matrix()];
  for (const w of workflows) {
    const bound = lowerBoundSeconds(w, latencyMs, quota) * 1000;
    const row = (client: string, m: Measured, note = "") =>
      rows.push([
        w.label,
        client,
        seconds(m.ms),
        seconds(bound),
        (m.ms / bound).toFixed(2),
        totalCalls(m.calls),
        throttledCalls(m.calls),
        callsByKind(m.calls) + note,
      ]);
    // Cold: a new account, the definitions are registered. Warm: a second run reuses them. Engine defaults.
    const backend = fake();
    const cold = await timed((b) => submitWorkflow(b, w.workflow, { runId: "cold" }), backend);
    row("ezbatch (defaults: 50/s), cold", cold);
    await new Promise((r) => setTimeout(r, 1100)); // let the quota window empty
    const warm = await timed((b) => submitWorkflow(b, w.workflow, { runId: "warm" }), backend);
    row("ezbatch (defaults: 50/s), warm", warm);
    if (w.submitCalls >= 1000) {
      await new Promise((r) => setTimeout(r, 1100));
      const tuned = await timed((b) => submitWorkflow(b, w.workflow, { runId: "rate", ratePerSecond: rate }), backend);
      row(`ezbatch, ratePerSecond ${rate}, warm`, tuned);
    }
    const total = Object.keys(w.python.jobs).length;
    const limit = w.submitCalls >= 1000 && options.pythonSample > 0 ? Math.min(options.pythonSample, total) : total;
    const py = await timed((b) => submitLikePython(b, w.python, { limit }), fake());
    const scale = total / limit;
    const python: Measured = {
      ms: py.ms * scale,
      calls: Object.fromEntries(Object.entries(py.calls).map(([k, n]) => [k, Math.round(n * scale)])),
    };
    row("Python ezbatch pattern", python, scale > 1 ? ` (measured ${limit} jobs, x${scale} extrapolated)` : "");
    const over = (m: Measured) => `${(((m.ms - bound) / bound) * 100).toFixed(1)}%`;
    summary.push([
      w.label,
      seconds(bound),
      seconds(warm.ms),
      over(warm),
      seconds(cold.ms),
      over(cold),
      seconds(python.ms),
      `${(python.ms / warm.ms).toFixed(1)}x`,
      `${totalCalls(python.calls)} vs ${totalCalls(warm.calls)}`,
    ]);
  }
  return [
    `Latency ${latencyMs} ms per call; the fake refuses calls above ${quota}/s with TooManyRequestsException.`,
    `Lower bound = max(SubmitJob calls / ${quota} per s, longest path x ${latencyMs} ms); a matrix is one call.`,
    "",
    table(
      ["workflow", "client", "wall s", "bound s", "x bound", "calls", "throttled", "calls per kind"],
      rows,
    ),
    "",
    table(
      [
        "workflow",
        "bound s",
        "ezbatch warm s",
        "warm over bound",
        "ezbatch cold s",
        "cold over bound",
        "Python s",
        "speed-up",
        "calls Python vs ezbatch",
      ],
      summary,
    ),
  ].join("\n");
}
