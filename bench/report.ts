/**
 * `deno run -A bench/report.ts [--jobs=1000]`: times a run report of a finished 1,000-job run held by the in-memory
 * backend (a layered DAG, every tenth job retried once, one 10-child array job), from findRun to the HTML page,
 * and prints the HTML's size. The demo's figure comes from `deno task demo` (its report step).
 * @module
 */
import { RUN_TAG } from "../core/run_tags.ts";
import type { JobDetail } from "../core/backend_types.ts";
import { reportRun } from "../core/report.ts";
import { renderReportHtml } from "../core/report_html.ts";
import { renderReportText } from "../core/report_text.ts";
import { builtInPrices } from "../core/pricing.ts";
import { MemoryBackend } from "../tests/support/memory_backend.ts";

const count = Number(Deno.args.find((a) => a.startsWith("--jobs="))?.slice(7) ?? 1000);
const backend = new MemoryBackend();
const T0 = Date.UTC(2025, 0, 1);
const stop = new Map<string, number>();
const arn = "arn:aws:batch:us-east-1:123456789012";
for (let i = 0; i < count; i++) {
  const id = `j${i}`;
  const deps = i < 10 ? [] : [`j${Math.floor(i / 2) - 3}`, `j${i - 7}`].filter((d, k, a) => a.indexOf(d) === k);
  const ready = Math.max(T0, ...deps.map((d) => stop.get(d)!));
  const start = ready + 5_000 + (i % 13) * 1000;
  const attempts = i % 10 === 5
    ? [
      { startedAt: start, stoppedAt: start + 20_000, container: { exitCode: 137, logStreamName: `s/${id}/1` } },
      { startedAt: start + 30_000, stoppedAt: start + 90_000, container: { exitCode: 0, logStreamName: `s/${id}/2` } },
    ]
    : [{
      startedAt: start,
      stoppedAt: start + 60_000 + (i % 7) * 10_000,
      container: { exitCode: 0, logStreamName: `s/${id}` },
    }];
  const last = attempts.at(-1)!;
  stop.set(id, last.stoppedAt);
  const detail: JobDetail = {
    jobId: id,
    jobName: `big-r1-job${i}`,
    jobArn: `${arn}:job/${id}`,
    jobQueue: `${arn}:job-queue/q`,
    jobDefinition: `${arn}:job-definition/def:1`,
    status: "SUCCEEDED",
    createdAt: T0,
    startedAt: last.startedAt,
    stoppedAt: last.stoppedAt,
    dependsOn: deps.map((jobId) => ({ jobId })),
    attempts,
    platformCapabilities: ["FARGATE"],
    tags: { [RUN_TAG.workflow]: "big", [RUN_TAG.run]: "r1", [RUN_TAG.job]: `job${i}`, [RUN_TAG.jobs]: String(count) },
    container: { resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "2048" }] },
  };
  backend.jobs.set(id, detail);
}

const started = performance.now();
const report = await reportRun(backend, {
  workflow: "big",
  runId: "r1",
  queues: [`${arn}:job-queue/q`],
  prices: builtInPrices("us-east-1"),
  ratePerSecond: 1e6,
});
const found = performance.now();
const text = renderReportText(report);
const html = await renderReportHtml(report);
const done = performance.now();
const out = await Deno.makeTempFile({ suffix: ".html" });
await Deno.writeTextFile(out, html);
console.log(`${count} jobs, ${report.rows.flatMap((r) => r.attempts).length} attempts, ${report.edges.length} edges`);
console.log(`reportRun (find, describe, build): ${(found - started).toFixed(0)} ms`);
console.log(
  `text + HTML (dagre layout, not drawn above 300 jobs): ${(done - found).toFixed(0)} ms; text ${text.length} chars`,
);
console.log(`HTML: ${(new TextEncoder().encode(html).length / 1024).toFixed(0)} KiB, written to ${out}`);
