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
  assert.deepEqual([450, 45_000, 250_000, 7_380_000, 2 * 86_400_000 + 3_600_000].map(formatDuration), [
    "0.5s",
    "45s",
    "4m10s",
    "2h03m",
    "2d01h",
  ]);
});
