import assert from "node:assert/strict";
import { reportRun } from "../../core/report.ts";
import { formatDuration, renderReportText } from "../../core/report_text.ts";
import { renderReportCsv } from "../../core/report_csv.ts";
import { builtInPrices } from "../../core/pricing.ts";
import { seededRun, T0 } from "./_report_run.ts";

const report = () =>
  reportRun(seededRun(), {
    workflow: "wf",
    runId: "r1",
    queues: ["arn:aws:batch:eu-west-1:123456789012:job-queue/q"],
    prices: builtInPrices("eu-west-1"),
    now: () => T0 + 999_000,
  });

Deno.test("renderReportText() fits 80 columns and draws each phase where it happened", async () => {
  const text = renderReportText(await report(), { width: 80 });
  const lines = text.split("\n");
  for (const line of lines) assert.ok([...line].length <= 80, `too wide (${[...line].length}): ${line}`);
  assert.match(text, /Critical path: a → b \(4m10s, 3m10s running\)/);
  assert.match(text, /Estimated cost: \$0\.0172 \(an estimate; prices: ezbatch's built-in price table/);
  const b = lines.find((l) => l.startsWith("b "))!;
  // 250 s over 66 columns: b waits for a (·), is queued (░), fails (▓), is queued again and succeeds (█).
  assert.match(b, /^b +·+░+▓+░+█+ +2m10s$/);
  const a = lines.find((l) => l.startsWith("a "))!;
  assert.match(a, /^a +░+█+ +1m00s$/);
  assert.equal(lines.filter((l) => /^d\[\d\] /.test(l)).length, 2);
});

Deno.test("renderReportText() counts the rows it leaves out", async () => {
  const text = renderReportText(await report(), { width: 60, maxRows: 2 });
  assert.match(text, /… and 3 more rows/);
  for (const line of text.split("\n")) assert.ok([...line].length <= 60, line);
});

Deno.test("renderReportCsv() gives one row per attempt", async () => {
  const csv = renderReportCsv(await report()).trimEnd().split("\n");
  assert.equal(csv.length, 1 + 6);
  assert.match(csv[0]!, /^job,index,attempt,submission,job_id,outcome,exit_code,reason,/);
  assert.match(csv[2]!, /^b,,1,1,jb,FAILED,1,Essential container in task exited: Essential container exited,/);
});

Deno.test("formatDuration() reads as people write durations", () => {
  assert.deepEqual(
    [0, 0.3, 35, 60, 450, 45_000, 250_000, 7_380_000, 2 * 86_400_000 + 3_600_000].map(formatDuration),
    [
      "0s",
      "1ms",
      "35ms",
      "0.1s",
      "0.5s",
      "45s",
      "4m10s",
      "2h03m",
      "2d01h",
    ],
  );
});

Deno.test("planCostBound() prices requested resources x timeout x attempts x array size, or says it is unbounded", async () => {
  const { planCostBound, formatPlanCost } = await import("../../core/plan_cost.ts");
  const { planWorkflow } = await import("../../core/plan.ts");
  const { job, ROLES, workflow } = await import("./_jobs.ts");
  const timed = workflow({
    a: job({ vcpus: 1, memory: 2048, timeout: 3600, retry: { attempts: 2, evaluate_on_exit: [] } }),
    b: job({ vcpus: 2, memory: 4096, timeout: 1800, matrix: { X: ["1", "2", "3"] } }),
  });
  const bound = planCostBound(planWorkflow(timed, { ...ROLES, queue: "q" }), builtInPrices("us-east-1"));
  const rate = (v: number, gib: number) => v * 0.04048 + gib * 0.004445;
  assert.ok(Math.abs(bound.usd - (2 * rate(1, 2) + 3 * 0.5 * rate(2, 4))) < 1e-12);
  assert.deepEqual(bound.unbounded, []);
  assert.match(formatPlanCost(bound, 2), /^Estimated cost: at most \$0\.2469 /);
  const open = planCostBound(planWorkflow(workflow({ a: job(), b: job({ timeout: 60 }) }), { ...ROLES, queue: "q" }));
  assert.deepEqual(open.unbounded, ["a"]);
  assert.match(
    formatPlanCost(open, 2),
    /^Estimated cost: unbounded, as a has no timeout; the jobs with one cost at most \$0\.0008/,
  );
});
