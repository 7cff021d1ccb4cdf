import assert from "node:assert/strict";
import { reportRun } from "../../core/report.ts";
import { builtInPrices } from "../../core/pricing.ts";
import { seededRun, T0 } from "./_report_run.ts";

const base = { workflow: "wf", runId: "r1", queues: ["arn:aws:batch:eu-west-1:123456789012:job-queue/q"] };
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

Deno.test("reportRun() gives each attempt's phases, the critical path, resource-hours and an exact cost", async () => {
  const backend = seededRun();
  const report = await reportRun(backend, { ...base, prices: builtInPrices("eu-west-1"), now: () => T0 + 999_000 });
  assert.deepEqual(report.rows.map((r) => r.label), ["a", "b", "c", "d[0]", "d[1]"]);
  const b = report.rows.find((r) => r.label === "b")!;
  assert.deepEqual(b.attempts.map((a) => a.phases), [
    { pending: 70_000, queued: 30_000, running: 30_000 },
    { pending: 0, queued: 20_000, running: 100_000 },
  ]);
  assert.deepEqual(b.attempts.map((a) => [a.outcome, a.exitCode]), [["FAILED", 1], ["SUCCEEDED", 0]]);
  assert.deepEqual(report.rows.find((r) => r.label === "d[1]")!.attempts[0]!.phases, {
    pending: 0,
    queued: 10_000,
    running: 20_000,
  });
  const sum = report.summary;
  assert.equal(sum.state, "SUCCEEDED");
  assert.equal(sum.wallMs, 250_000);
  assert.equal(sum.endedAt, T0 + 250_000);
  assert.equal(sum.attempts, 6);
  assert.equal(sum.retries, 1);
  assert.deepEqual(sum.time, { pending: 140_000, queued: 85_000, running: 250_000 });
  assert.deepEqual(sum.criticalPath, { jobs: ["a", "b"], lengthMs: 250_000, runningMs: 190_000 });
  close(sum.usage.vcpuHours, (60 + 2 * 130 + 20 + 40) / 3600);
  close(sum.usage.gibHours, (2 * 60 + 4 * 130 + 2 * 20 + 2 * 40) / 3600);
  close(sum.usage.gpuHours, 130 / 3600);
  const fargate = 120 / 3600 * (0.04048 + 2 * 0.004445);
  const ec2 = 130 / 3600 * (2 * 0.048 + 0.334);
  close(sum.cost.usd, fargate + ec2);
  assert.equal(sum.cost.estimate, true);
  assert.equal(sum.cost.source.kind, "built-in");
  assert.deepEqual(report.edges.sort(), [["a", "b"], ["a", "c"], ["a", "d"]]);
  const jobB = report.jobs.find((j) => j.job === "b")!;
  assert.deepEqual(jobB.exitCodes, [1, 0]);
  assert.equal(jobB.capacity.platform, "EC2");
  assert.equal(jobB.consoleUrl, "https://eu-west-1.console.aws.amazon.com/batch/home?region=eu-west-1#jobs/detail/jb");
  assert.match(jobB.logUrl!, /log-group\/\$252Faws\$252Fbatch\$252Fjob\/log-events\/b\$252F2$/);
  assert.equal(report.jobs.find((j) => j.job === "d")!.arraySize, 2);
});

Deno.test("reportRun() on a local-kind backend costs 0 and says why", async () => {
  const report = await reportRun(seededRun(), base);
  assert.equal(report.summary.cost.usd, 0);
  assert.equal(report.summary.cost.source.kind, "local");
  assert.ok(report.summary.usage.vcpuHours > 0);
});

Deno.test("reportRun() treats missing times as unknown and counts a running attempt up to now", async () => {
  const backend = seededRun();
  const b = backend.jobs.get("jb")!;
  b.status = "RUNNING";
  b.stoppedAt = undefined;
  b.attempts = b.attempts!.slice(0, 1);
  // c failed through its dependency: no attempt, no start, no stop.
  const c = backend.jobs.get("jc")!;
  Object.assign(c, { status: "FAILED", startedAt: undefined, stoppedAt: undefined, attempts: [] });
  const report = await reportRun(backend, { ...base, now: () => T0 + 160_000 });
  assert.equal(report.summary.state, "RUNNING");
  assert.equal(report.summary.endedAt, undefined);
  assert.equal(report.summary.wallMs, 160_000);
  const rowB = report.rows.find((r) => r.label === "b")!;
  assert.deepEqual(rowB.attempts.at(-1)!.phases, { pending: 0, queued: 20_000, running: 10_000 });
  assert.equal(rowB.attempts.at(-1)!.outcome, "RUNNING");
  assert.deepEqual(report.rows.find((r) => r.label === "c")!.attempts, []);
});
