import assert from "node:assert/strict";
import type { RunReport } from "../../core/report_types.ts";
import { keyHelp, keyToCommand } from "../../tui/monitor/keys.ts";
import { reduce } from "../../tui/monitor/reduce.ts";
import { runLine } from "../../tui/monitor/format.ts";
import { footerLines } from "../../tui/monitor/view.tsx";
import {
  initialState,
  type JobRow,
  type MonitorAction,
  type MonitorState,
  selectedJob,
  type Snapshot,
  visibleJobs,
} from "../../tui/monitor/state.ts";

const tags = (job: string) => ({ run: { workflow: "demo", run: "ab12cd", job } });
const PARENT: JobRow = {
  jobId: "p1",
  jobName: "demo-ab12cd-sweep",
  status: "PENDING",
  createdAt: 10,
  array: { size: 3, summary: { RUNNING: 2, SUCCEEDED: 1 } },
  ...tags("sweep"),
};
const PLAIN: JobRow = { jobId: "j1", jobName: "demo-ab12cd-prep", status: "SUCCEEDED", createdAt: 5, ...tags("prep") };
const child = (i: number, status: JobRow["status"]): JobRow => ({
  jobId: `p1:${i}`,
  jobName: `demo-ab12cd-sweep:${i}`,
  status,
  index: i,
});
const KIDS = [child(0, "SUCCEEDED"), child(1, "RUNNING"), child(2, "RUNNING")];

function snap(children?: JobRow[]): Snapshot {
  return {
    queues: [{ name: "q1", environments: [] }],
    queue: "q1",
    jobs: [PARENT, PLAIN],
    ...(children ? { children: { parentId: "p1", jobs: children } } : {}),
    at: 5,
  };
}

const apply = (state: MonitorState, ...actions: MonitorAction[]) => actions.reduce(reduce, state);
const onJobs = () =>
  apply(initialState(), { type: "snapshot", snapshot: snap() }, { type: "focusNext" }, {
    type: "focusNext",
  });

Deno.test("reduce() o opens an array job's children, refreshes fill them, esc goes back to the parent", () => {
  let state = onJobs();
  assert.equal(selectedJob(state)?.jobId, "p1");
  state = apply(state, { type: "openChildren" });
  assert.equal(state.children?.parentId, "p1");
  assert.equal(state.children?.loaded, false);
  assert.deepEqual(visibleJobs(state), []);
  state = apply(state, { type: "snapshot", snapshot: snap(KIDS) }, { type: "move", delta: 1 });
  assert.equal(state.children?.loaded, true);
  assert.equal(selectedJob(state)?.jobId, "p1:1", "the cursor moves among the children");
  state = apply(state, { type: "openLogs" });
  assert.equal(state.log.jobId, "p1:1", "l follows the child's log");
  state = apply(state, { type: "cycleStatus" }, { type: "cycleStatus" }, { type: "cycleStatus" });
  state = apply(state, { type: "cycleStatus" }, { type: "cycleStatus" });
  assert.equal(state.statusFilter, "RUNNING");
  assert.deepEqual(visibleJobs(state).map((j) => j.index), [1, 2], "the status filter applies to children");
  state = apply(state, { type: "closeOverlay" });
  assert.equal(state.overlay, "none");
  assert.ok(state.children, "the first esc closes the log only");
  state = apply(state, { type: "closeOverlay" }, { type: "cycleStatus" }, { type: "cycleStatus" }, {
    type: "cycleStatus",
  });
  assert.equal(state.children, undefined);
  assert.equal(state.statusFilter, "ALL");
  assert.equal(selectedJob(state)?.jobId, "p1", "back on the parent");
});

Deno.test("reduce() o on a job that is not an array says so; a snapshot of another parent's children is ignored", () => {
  let state = apply(onJobs(), { type: "move", delta: 1 }, { type: "openChildren" });
  assert.equal(state.children, undefined);
  assert.match(state.message?.text ?? "", /'demo-ab12cd-prep' is not an array job/);
  state = apply(onJobs(), { type: "openChildren" }, {
    type: "snapshot",
    snapshot: { ...snap(), children: { parentId: "other", jobs: KIDS } },
  });
  assert.deepEqual(state.children?.jobs, []);
});

Deno.test("reduce() v opens the selected run's report, ignores a late report of another run, and esc closes it", () => {
  let state = apply(onJobs(), { type: "openReport" });
  assert.equal(state.overlay, "report");
  assert.deepEqual([state.report?.key, state.report?.loading], ["demo/ab12cd", true]);
  const report = { runId: "ab12cd" } as RunReport;
  state = apply(state, { type: "reportLoaded", key: "demo/zzz", report });
  assert.equal(state.report?.report, undefined);
  state = apply(state, { type: "reportFailed", key: "demo/ab12cd", text: "Could not read the report: boom" });
  assert.deepEqual([state.report?.error, state.report?.loading], ["Could not read the report: boom", false]);
  state = apply(state, { type: "reloadReport" }, { type: "reportLoaded", key: "demo/ab12cd", report });
  assert.deepEqual([state.report?.report, state.report?.error, state.report?.nonce], [report, undefined, 1]);
  state = apply(state, { type: "move", delta: 3 });
  assert.equal(state.report?.scroll, 3, "the cursor keys scroll the report");
  assert.equal(selectedJob(state)?.jobId, "p1", "and leave the job cursor alone");
  state = apply(state, { type: "closeOverlay" });
  assert.deepEqual([state.overlay, state.report], ["none", undefined]);
  const loose = apply(
    initialState(),
    {
      type: "snapshot",
      snapshot: { ...snap(), jobs: [{ jobId: "x", jobName: "x", status: "RUNNING" }] },
    },
    { type: "focusNext" },
    { type: "focusNext" },
    { type: "openReport" },
  );
  assert.equal(loose.overlay, "none");
  assert.match(loose.message?.text ?? "", /No workflow run here/);
});

Deno.test("keyToCommand() o lists children, v toggles the report", () => {
  const state = onJobs();
  assert.deepEqual(keyToCommand(state, "o", {}), { type: "openChildren" });
  assert.deepEqual(keyToCommand(state, "v", {}), { type: "openReport" });
  assert.deepEqual(keyToCommand({ ...state, overlay: "report" }, "v", {}), { type: "closeOverlay" });
});

Deno.test("keyHelp() fits 80 columns in every context and keeps the keys that apply to the selection", () => {
  const contexts: [string, MonitorState][] = [
    ["queues", apply(initialState(), { type: "snapshot", snapshot: snap() })],
    ["runs", apply(initialState(), { type: "snapshot", snapshot: snap() }, { type: "focusNext" })],
    ["array parent", onJobs()],
    ["children + run filter", { ...apply(onJobs(), { type: "openChildren" }), runFilter: "demo/ab12cd" }],
    ["report", apply(onJobs(), { type: "openReport" })],
  ];
  for (const [name, state] of contexts) {
    for (const columns of [80, 120]) {
      const help = keyHelp(state, columns);
      assert.ok(help.length <= columns, `${name} at ${columns}: ${help.length} > ${columns}: ${help}`);
      assert.match(help, /q quit/, name);
      assert.match(help, /v report/, `${name}: every context here has a run`);
    }
  }
  assert.match(keyHelp(onJobs(), 80), /o children/);
  assert.match(keyHelp(onJobs(), 80), /l log/);
  assert.match(keyHelp(contexts[3]![1], 80), /esc back/);
  assert.doesNotMatch(keyHelp(apply(onJobs(), { type: "move", delta: 1 }), 80), /o children/, "not an array job");
  assert.match(keyHelp(contexts[0]![1], 120), /↑↓jk move {2}tab pane/, "two spaces apart when there is room");
});

Deno.test("footerLines() keep the stop confirmation and the name prompt whole at 80 columns", () => {
  const id = "0f6c1e2a-7b9d-4c3e-9a1b-2d3e4f5a6b7c";
  const long = `demo-${"x".repeat(90)}-train`;
  const confirm = { ...onJobs(), confirm: { jobId: id, jobName: long, action: "terminate" as const } };
  const lines = footerLines(confirm);
  assert.ok(lines.keys.length <= 80 && lines.line.length <= 80, JSON.stringify(lines));
  assert.match(lines.keys, new RegExp(`Job id ${id}`), "the full job id");
  assert.match(lines.line, /^Terminate job 'demo-x+…'\? y to confirm, any other key keeps it$/);
  const typing = footerLines({ ...onJobs(), nameDraft: "y".repeat(100) + "END" });
  assert.ok(typing.keys.length <= 80, typing.keys);
  assert.match(typing.keys, /^Name filter: …y+END█$/, "the end of the draft stays in view");
  assert.match(typing.line, /enter applies, esc cancels/);
});

Deno.test("runLine() keeps the run id whole when the pane is narrow: the bar goes, then the workflow is cut", () => {
  const run = { key: "w/k3x9a0qz", workflow: "genomics-pipeline", run: "k3x9a0qz", total: 12, expected: 12 };
  const info = { ...run, counts: { SUCCEEDED: 10, FAILED: 2 } };
  assert.equal(runLine(info, 60).length, 60);
  assert.match(runLine(info, 60), /^genomics-pipeline-k3x9a0qz\s+#+\.* 12\/12 2✗$/);
  assert.equal(runLine(info, 24), "genom…-k3x9a0qz 12/12 2✗");
  assert.equal(runLine({ ...info, workflow: "w" }, 24), "w-k3x9a0qz      12/12 2✗", "no room for the bar");
});
