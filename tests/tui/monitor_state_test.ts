import assert from "node:assert/strict";
import { JOB_STATUSES } from "../../core/backend_types.ts";
import { keyToCommand, splitKeys } from "../../tui/monitor/keys.ts";
import { reduce } from "../../tui/monitor/reduce.ts";
import { runAdvice, runLine } from "../../tui/monitor/format.ts";
import {
  initialState,
  type JobRow,
  type MonitorAction,
  type MonitorState,
  runsOf,
  selectedJob,
  type Snapshot,
  visibleJobs,
} from "../../tui/monitor/state.ts";

function job(id: number, status: JobRow["status"], extra: Partial<JobRow> = {}): JobRow {
  return { jobId: `job-${id}`, jobName: `name-${id}`, status, createdAt: 1000 - id, ...extra };
}

const run = (r: string, j: string) => ({ run: { workflow: "demo", run: r, job: j } });

function snapshot(jobs: JobRow[], queue = "q1"): Snapshot {
  return {
    queues: [{ name: "q1", environments: [] }, { name: "q2", environments: [] }],
    queue,
    jobs,
    at: 5,
  };
}

function apply(state: MonitorState, ...actions: MonitorAction[]): MonitorState {
  return actions.reduce(reduce, state);
}

const JOBS = [
  job(1, "RUNNING", { jobName: "demo-r1-train", ...run("r1", "train") }),
  job(2, "SUCCEEDED", { jobName: "demo-r1-prep", ...run("r1", "prep") }),
  job(3, "RUNNABLE", { jobName: "adhoc-sweep" }),
  job(4, "FAILED", { jobName: "demo-r0-prep", ...run("r0", "prep") }),
];

Deno.test("reduce() snapshot fills queues and jobs and keeps the cursor on the same job when rows move", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) });
  assert.equal(state.queues.length, 2);
  state = apply(state, { type: "focusNext" }, { type: "focusNext" }, { type: "move", delta: 2 });
  assert.equal(selectedJob(state)?.jobId, "job-3");
  state = apply(state, { type: "snapshot", snapshot: snapshot([job(9, "SUBMITTED"), ...JOBS]) });
  assert.equal(selectedJob(state)?.jobId, "job-3");
  assert.equal(state.jobIndex, 3);
});

Deno.test("reduce() status filter cycles through every state and back to ALL", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) });
  const seen: string[] = [];
  for (let i = 0; i <= JOB_STATUSES.length; i++) {
    state = reduce(state, { type: "cycleStatus" });
    seen.push(state.statusFilter);
  }
  assert.deepEqual(seen, [...JOB_STATUSES, "ALL"]);
  state = apply(state, { type: "cycleStatus" }, { type: "cycleStatus" }, { type: "cycleStatus" });
  assert.equal(state.statusFilter, "RUNNABLE");
  assert.deepEqual(visibleJobs(state).map((j) => j.jobId), ["job-3"]);
});

Deno.test("reduce() name filter is typed, edited, applied, and cancelling keeps the old one", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) }, { type: "startNameFilter" });
  state = apply(state, { type: "nameInput", text: "PREX" }, { type: "nameBackspace" });
  assert.equal(state.nameDraft, "PRE");
  assert.equal(visibleJobs(state).length, 4, "the filter applies only on enter");
  state = reduce(state, { type: "nameCommit" });
  assert.equal(state.nameDraft, undefined);
  assert.deepEqual(visibleJobs(state).map((j) => j.jobId), ["job-2", "job-4"]);
  state = apply(state, { type: "startNameFilter" }, { type: "nameInput", text: "zzz" }, { type: "nameCancel" });
  assert.equal(state.nameFilter, "PRE");
  assert.equal(visibleJobs(state).length, 2);
});

Deno.test("runsOf() groups tagged jobs by run with counts per state; enter on a run scopes the jobs", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) });
  const runs = runsOf(state);
  assert.deepEqual(runs.map((r) => [r.key, r.total, r.counts]), [
    ["demo/r1", 2, { RUNNING: 1, SUCCEEDED: 1 }],
    ["demo/r0", 1, { FAILED: 1 }],
  ]);
  state = apply(state, { type: "focusNext" }, { type: "move", delta: 1 }, { type: "openDetails" });
  assert.equal(state.focus, "jobs");
  assert.equal(state.runFilter, "demo/r0");
  assert.deepEqual(visibleJobs(state).map((j) => j.jobId), ["job-4"]);
  state = reduce(state, { type: "closeOverlay" });
  assert.equal(state.runFilter, undefined);
  assert.equal(visibleJobs(state).length, 4);
});

Deno.test("runsOf() counts a resumed job once (its latest attempt) and knows the jobs never submitted", () => {
  const tagged = (r: string, j: string, attempt: number) => ({
    run: { workflow: "demo", run: r, job: j, attempt, jobs: 5 },
  });
  const state = apply(initialState(), {
    type: "snapshot",
    snapshot: snapshot([
      job(1, "FAILED", tagged("r5", "train", 1)),
      job(2, "RUNNING", tagged("r5", "train", 2)),
      job(3, "SUCCEEDED", tagged("r5", "prep", 1)),
    ]),
  });
  const [info] = runsOf(state);
  assert.deepEqual([info!.total, info!.expected, info!.counts], [2, 5, { RUNNING: 1, SUCCEEDED: 1 }]);
  assert.equal(runLine(info!, 40).trimEnd().endsWith("1/5 3?"), true, runLine(info!, 40));
  assert.equal(
    runAdvice(info!),
    "Run r5: INCOMPLETE, 3 never submitted. Resume: ezbatch workflow resume demo r5 FILE",
  );
  assert.equal(runAdvice({ ...info!, expected: 2 }), undefined, "a complete run with no failure needs nothing");
});

Deno.test("initialState() with a run id shows only that run's jobs", () => {
  const state = apply(initialState({ runId: "r1" }), { type: "snapshot", snapshot: snapshot(JOBS) });
  assert.deepEqual(visibleJobs(state).map((j) => j.jobId), ["job-1", "job-2"]);
});

Deno.test("reduce() moving between queues clears the jobs of the previous queue and clamps at the ends", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) }, { type: "move", delta: 5 });
  assert.equal(state.queueIndex, 1);
  assert.deepEqual(state.jobs, []);
  state = apply(state, { type: "move", delta: -9 });
  assert.equal(state.queueIndex, 0);
  state = apply(state, { type: "snapshot", snapshot: snapshot(JOBS, "q2") });
  assert.deepEqual(state.jobs, [], "a late snapshot of another queue does not replace this queue's jobs");
});

Deno.test("reduce() askStop cancels jobs that did not start, terminates started ones, refuses ended ones", () => {
  const base = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) }, { type: "focusNext" }, {
    type: "focusNext",
  });
  assert.deepEqual(reduce(base, { type: "askStop" }).confirm, {
    jobId: "job-1",
    jobName: "demo-r1-train",
    action: "terminate",
  });
  const runnable = apply(base, { type: "move", delta: 2 }, { type: "askStop" });
  assert.equal(runnable.confirm?.action, "cancel");
  const ended = apply(base, { type: "move", delta: 1 }, { type: "askStop" });
  assert.equal(ended.confirm, undefined);
  assert.match(ended.message?.text ?? "", /already ended \(SUCCEEDED\)/);
  const declined = reduce(runnable, { type: "declineStop" });
  assert.equal(declined.confirm, undefined);
  assert.equal(declined.message?.text, "Nothing stopped");
});

Deno.test("reduce() a failed refresh keeps the data and shows the error until the next good refresh", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) }, { type: "refreshStarted" });
  state = reduce(state, { type: "refreshFailed", text: "Refresh failed: boom" });
  assert.equal(state.jobs.length, 4);
  assert.deepEqual(state.message, { text: "Refresh failed: boom", kind: "error" });
  assert.equal(state.loading, false);
  state = reduce(state, { type: "snapshot", snapshot: snapshot(JOBS) });
  assert.equal(state.message, undefined);
});

Deno.test("reduce() logs follow the selected job, append, keep the last lines and ignore another job's lines", () => {
  let state = apply(initialState(), { type: "snapshot", snapshot: snapshot(JOBS) }, { type: "focusNext" }, {
    type: "focusNext",
  }, { type: "openLogs" });
  assert.equal(state.overlay, "logs");
  assert.equal(state.log.jobId, "job-1");
  state = apply(state, { type: "logLines", jobId: "job-1", lines: ["a", "b"], exists: true, done: false }, {
    type: "logLines",
    jobId: "job-2",
    lines: ["other"],
    exists: true,
    done: false,
  });
  assert.deepEqual(state.log.lines, ["a", "b"]);
  state = reduce(state, { type: "move", delta: 1 });
  assert.equal(state.log.jobId, "job-2");
  assert.deepEqual(state.log.lines, []);
  const many = Array.from({ length: 1500 }, (_, i) => `line ${i}`);
  state = reduce(state, { type: "logLines", jobId: "job-2", lines: many, exists: true, done: true });
  assert.equal(state.log.lines.length, 1000);
  assert.equal(state.log.lines.at(-1), "line 1499");
  assert.equal(state.log.done, true);
});

Deno.test("keyToCommand() maps keys; while typing a name every letter is text; a pending stop takes y or anything", () => {
  const state = initialState();
  assert.deepEqual(keyToCommand(state, "j", {}), { type: "move", delta: 1 });
  assert.deepEqual(keyToCommand(state, "", { upArrow: true }), { type: "move", delta: -1 });
  assert.deepEqual(keyToCommand(state, "", { tab: true }), { type: "focusNext" });
  assert.deepEqual(keyToCommand(state, "q", {}), { type: "quit" });
  assert.deepEqual(keyToCommand(state, "c", { ctrl: true }), { type: "quit" });
  assert.deepEqual(keyToCommand(state, "r", {}), { type: "refresh" });
  assert.equal(keyToCommand(state, "x", {}), undefined);
  const typing = { ...state, nameDraft: "" };
  assert.deepEqual(keyToCommand(typing, "q", {}), { type: "nameInput", text: "q" });
  assert.deepEqual(keyToCommand(typing, "", { escape: true }), { type: "nameCancel" });
  const confirming: MonitorState = { ...state, confirm: { jobId: "j", jobName: "n", action: "cancel" } };
  assert.deepEqual(keyToCommand(confirming, "y", {}), { type: "confirmStop" });
  assert.deepEqual(keyToCommand(confirming, "q", {}), { type: "declineStop" });
  assert.deepEqual(keyToCommand({ ...state, overlay: "logs" }, "l", {}), { type: "closeOverlay" });
});

Deno.test("splitKeys() splits a chunk of typed keys and leaves escape sequences whole", () => {
  assert.deepEqual(splitKeys("\t\tjj\r", {}), [["", { tab: true }], ["", { tab: true }], ["j", {}], ["j", {}], ["", {
    return: true,
  }]]);
  assert.deepEqual(splitKeys("j", {}), [["j", {}]]);
  assert.deepEqual(splitKeys("\x1b[A", {}), [["\x1b[A", {}]]);
});

Deno.test("reduce() clearInfo drops an info message but keeps an error", () => {
  const info = reduce(initialState(), { type: "message", text: "No job selected", kind: "info" });
  assert.equal(reduce(info, { type: "clearInfo" }).message, undefined);
  const error = reduce(initialState(), { type: "refreshFailed", text: "Refresh failed: x" });
  assert.equal(reduce(error, { type: "clearInfo" }), error);
});
