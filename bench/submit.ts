/**
 * Submission benchmark: ezbatch's engine against the Python ezbatch's call pattern and the lower bound, through the
 * MemoryBackend with a fixed latency per call and a request-rate quota that answers TooManyRequestsException.
 * @module
 */
import { submitWorkflow } from "../core/submit.ts";
import { MemoryBackend } from "../tests/support/memory_backend.ts";
import {
  type BenchWorkflow,
  chain,
  diamond,
  idealPacedSeconds,
  independent,
  lowerBoundSeconds,
  matrix,
} from "./_workflows.ts";
import { submitLikePython } from "./_python_pattern.ts";
import { callsByKind, seconds, table, throttledCalls, totalCalls } from "./_table.ts";

/** Settings of the submission benchmark. */
export interface SubmitBenchOptions {
  /** Latency of every call, ms. */
  latencyMs: number;
  /** The fake's quota, calls per second. */
  quota: number;
  /** The rate ezbatch is told to keep to (`ratePerSecond`). */
  rate: number;
  /** The burst ezbatch is allowed (`burst`): `burst + rate` must stay within the quota's one-second window. */
  burst: number;
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
  const { latencyMs, quota, rate, burst } = options;
  const fake = () => new MemoryBackend({ latencyMs, ratePerSecond: quota });
  const rows: (string | number)[][] = [];
  const summary: (string | number)[][] = [];
  const workflows: BenchWorkflow[] = [independent(1000), chain(100), diamond(), matrix()];
  for (const w of workflows) {
    const bound = lowerBoundSeconds(w, latencyMs, quota) * 1000;
    const paced = idealPacedSeconds(w, latencyMs, quota) * 1000;
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
    // Cold: a new account, the definitions are registered. Warm: a second run reuses them.
    const backend = fake();
    const cold = await timed(
      (b) => submitWorkflow(b, w.workflow, { runId: "cold", ratePerSecond: rate, burst }),
      backend,
    );
    row(`ezbatch, rate ${rate}/s burst ${burst}, cold`, cold);
    await new Promise((r) => setTimeout(r, 1100)); // let the quota window empty
    const warm = await timed(
      (b) => submitWorkflow(b, w.workflow, { runId: "warm", ratePerSecond: rate, burst }),
      backend,
    );
    row(`ezbatch, rate ${rate}/s burst ${burst}, warm`, warm);
    if (w.submitCalls >= 1000) {
      const byDefault = await timed((b) => submitWorkflow(b, w.workflow, { runId: "dflt" }), fake());
      row("ezbatch, default rate 40/s burst 5, cold", byDefault);
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
    summary.push([
      w.label,
      seconds(bound),
      seconds(paced),
      seconds(warm.ms),
      `${(((warm.ms - bound) / bound) * 100).toFixed(1)}%`,
      `${(((warm.ms - paced) / paced) * 100).toFixed(1)}%`,
      seconds(python.ms),
      `${(python.ms / warm.ms).toFixed(1)}x`,
      `${totalCalls(python.calls)} vs ${totalCalls(warm.calls)}`,
    ]);
  }
  return [
    `Latency ${latencyMs} ms per call; the fake refuses calls above ${quota}/s with TooManyRequestsException.`,
    `Lower bound = max(SubmitJob calls / ${quota} per s, longest path x ${latencyMs} ms). Ideal paced = the best ` +
    `client sending one SubmitJob every ${1000 / quota} ms at most, each as soon as its dependencies' ids are back.`,
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
        "ideal paced s",
        "ezbatch warm s",
        "over bound",
        "over ideal paced",
        "Python s",
        "speed-up",
        "calls Python vs ezbatch",
      ],
      summary,
    ),
  ].join("\n");
}
