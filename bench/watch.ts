/**
 * Watching a large run: a run of 10,000 jobs in the MemoryBackend (latency per call, quota), found again with
 * findRun and polled with batched DescribeJobs. Reports calls per poll, time per poll and peak memory.
 * @module
 */
import { findRun } from "../core/run.ts";
import { watchJobs } from "../core/job_watch.ts";
import { MemoryBackend } from "../tests/support/memory_backend.ts";
import type { JobStatus } from "../core/backend_types.ts";
import { mib, withPeakMemory } from "./_memory.ts";
import { callsByKind, seconds, table, totalCalls } from "./_table.ts";

/** Settings of the watch benchmark. */
export interface WatchBenchOptions {
  /** Latency of every call, ms. */
  latencyMs: number;
  /** The fake's quota, calls per second. */
  quota: number;
  /** Jobs in the run. */
  jobs: number;
}

/** Fills a backend with a run of `n` jobs named `{workflow}-{run}-{job}`, tagged as ezbatch tags them. */
async function seed(n: number, options: WatchBenchOptions): Promise<{ backend: MemoryBackend; ids: string[] }> {
  const fast = new MemoryBackend();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const job = `j${i}`;
    const { jobId } = await fast.submitJob({
      jobName: `big-r1-${job}`,
      jobQueue: "bench-queue",
      jobDefinition: "ezbatch-x:1",
      tags: { "ezbatch:workflow": "big", "ezbatch:run": "r1", "ezbatch:job": job },
    });
    ids.push(jobId);
  }
  const states: JobStatus[] = ["RUNNABLE", "RUNNING", "SUCCEEDED"];
  ids.forEach((id, i) => fast.setJobStatus(id, states[i % states.length]!));
  const backend = new MemoryBackend({ latencyMs: options.latencyMs, ratePerSecond: options.quota });
  for (const [id, detail] of fast.jobs) backend.jobs.set(id, detail);
  return { backend, ids };
}

function delta(backend: MemoryBackend, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(backend.calls)) if (n - (before[k] ?? 0) > 0) out[k] = n - (before[k] ?? 0);
  return out;
}

/** Runs the watch benchmark and returns its Markdown report. */
export async function benchWatch(options: WatchBenchOptions): Promise<string> {
  const { backend, ids } = await seed(options.jobs, options);
  const rows: (string | number)[][] = [];
  const measure = async (label: string, fn: () => Promise<unknown>) => {
    const before = { ...backend.calls };
    const start = performance.now();
    const mem = await withPeakMemory(fn);
    const ms = performance.now() - start;
    const calls = delta(backend, before);
    rows.push([
      label,
      seconds(ms),
      totalCalls(calls),
      callsByKind(calls),
      mib(mem.peakHeap - mem.baseHeap),
      mib(mem.peakRss),
    ]);
    return mem.result;
  };
  const found = await measure(
    `findRun (${options.jobs} jobs, one queue)`,
    () => findRun(backend, { workflow: "big", runId: "r1", queues: ["bench-queue"] }),
  ) as Awaited<ReturnType<typeof findRun>>;
  if (found.jobs.length !== options.jobs) throw new Error(`findRun found ${found.jobs.length} jobs`);
  await new Promise((r) => setTimeout(r, 1100));
  await measure(`one poll: describeJobs of ${options.jobs} ids`, () => backend.describeJobs(ids));
  await new Promise((r) => setTimeout(r, 1100));
  // watchJobs(): the first poll describes all N; finish the RUNNABLE and RUNNING jobs before the second poll.
  const snapshots = watchJobs(backend, ids, { intervalMs: 1100 });
  await measure(`watchJobs: first poll of ${options.jobs} jobs`, () => snapshots.next());
  for (const [id, job] of backend.jobs) if (job.status !== "SUCCEEDED") backend.setJobStatus(id, "SUCCEEDED");
  await measure("watchJobs: next poll, after the 1.1 s interval (the rest finished: the watch ends)", async () => {
    const last = await snapshots.next();
    if (last.done || !last.value.done) throw new Error("the watch did not end when every job had finished");
  });
  for (const [i, id] of ids.entries()) {
    backend.setJobStatus(id, (["RUNNABLE", "RUNNING", "SUCCEEDED"] as const)[i % 3]!);
  }
  const open = found.jobs.filter((j) => j.status !== "SUCCEEDED").map((j) => j.jobId);
  await new Promise((r) => setTimeout(r, 1100));
  await measure(`one poll of the ${open.length} unfinished ids`, () => backend.describeJobs(open));
  return [
    `A run of ${options.jobs} jobs (a third each RUNNABLE, RUNNING, SUCCEEDED); latency ${options.latencyMs} ms per ` +
    `call, quota ${options.quota}/s. Target: at most ceil(N/100) = ${Math.ceil(options.jobs / 100)} DescribeJobs ` +
    "per poll.",
    "",
    table(["operation", "wall s", "calls", "calls per kind", "peak heap growth MiB", "peak RSS MiB"], rows),
  ].join("\n");
}
