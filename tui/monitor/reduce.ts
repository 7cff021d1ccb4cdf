/**
 * The monitor's pure reducer: refresh results, keys and messages in, the next state out. No I/O here.
 * @module
 */
import { JOB_STATUSES, type JobStatus } from "../../core/backend_types.ts";
import {
  type Focus,
  LOG_KEEP,
  type MonitorAction,
  type MonitorState,
  runInScope,
  runsOf,
  selectedJob,
  selectedQueue,
  type StatusFilter,
  visibleJobs,
} from "./state.ts";

const FILTER_CYCLE: StatusFilter[] = ["ALL", ...JOB_STATUSES];
const NOT_STARTED: JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE"];

function clamp(index: number, length: number): number {
  return Math.max(0, Math.min(index, length - 1));
}

/** Keeps the cursor on the same job (by id) when the list changes under it. */
function keepJob(before: MonitorState, after: MonitorState): MonitorState {
  const was = selectedJob(before);
  const list = visibleJobs(after);
  const at = was ? list.findIndex((j) => j.jobId === was.jobId) : -1;
  return { ...after, jobIndex: at >= 0 ? at : clamp(after.jobIndex, list.length) };
}

/** The pure reducer of the monitor. */
export function reduce(state: MonitorState, action: MonitorAction): MonitorState {
  switch (action.type) {
    case "snapshot": {
      const { snapshot } = action;
      const current = selectedQueue(state)?.name;
      let queueIndex = snapshot.queues.findIndex((q) => q.name === current);
      if (queueIndex < 0) queueIndex = Math.max(0, snapshot.queues.findIndex((q) => q.name === snapshot.queue));
      const sameQueue = snapshot.queue === snapshot.queues[queueIndex]?.name;
      const next: MonitorState = {
        ...state,
        queues: snapshot.queues,
        queueIndex,
        jobs: sameQueue ? snapshot.jobs : state.jobs,
        loading: false,
        lastRefresh: snapshot.at,
      };
      const kids = snapshot.children;
      if (state.children && kids?.parentId === state.children.parentId) {
        next.children = { ...state.children, jobs: kids.jobs, loaded: true };
      }
      if (state.message?.kind === "error") delete next.message;
      next.runIndex = clamp(state.runIndex, runsOf(next).length);
      return keepJob(state, next);
    }
    case "refreshStarted":
      return { ...state, loading: true };
    case "refreshFailed":
      // A failed action the user has not seen yet outranks a failed refresh.
      if (state.message?.kind === "failed") return { ...state, loading: false };
      return { ...state, loading: false, message: { text: action.text, kind: "error" } };
    case "move":
      return move(state, action.delta);
    case "focusNext": {
      const order: Focus[] = ["queues", "runs", "jobs"];
      const next: MonitorState = {
        ...state,
        focus: order[(order.indexOf(state.focus) + 1) % order.length]!,
        overlay: "none",
      };
      delete next.report;
      return next;
    }
    case "openDetails":
      return openDetails(state);
    case "openLogs": {
      const job = selectedJob(state);
      if (!job) return { ...state, message: { text: "No job selected", kind: "info" } };
      const log = state.log.jobId === job.jobId
        ? state.log
        : { jobId: job.jobId, lines: [], exists: false, done: false };
      return { ...state, overlay: "logs", focus: "jobs", log };
    }
    case "openChildren":
      return openChildren(state);
    case "openReport":
      return openReport(state);
    case "reloadReport":
      if (!state.report) return state;
      return { ...state, report: { ...state.report, loading: true, nonce: state.report.nonce + 1 } };
    case "reportLoaded":
    case "reportFailed": {
      if (state.report?.key !== action.key) return state;
      const report = { ...state.report, loading: false };
      if (action.type === "reportLoaded") {
        report.report = action.report;
        delete report.error;
      } else report.error = action.text;
      return { ...state, report };
    }
    case "closeOverlay":
      if (state.overlay !== "none") {
        const next: MonitorState = { ...state, overlay: "none" };
        delete next.report;
        return next;
      }
      if (state.children) return closeChildren(state);
      if (state.runFilter) {
        const next = { ...state };
        delete next.runFilter;
        return keepJob(state, next);
      }
      return state;
    case "cycleStatus": {
      const at = FILTER_CYCLE.indexOf(state.statusFilter);
      const statusFilter = FILTER_CYCLE[(at + 1) % FILTER_CYCLE.length]!;
      return keepJob(state, { ...state, statusFilter });
    }
    case "startNameFilter":
      return { ...state, nameDraft: state.nameFilter };
    case "nameInput":
      return state.nameDraft === undefined ? state : { ...state, nameDraft: state.nameDraft + action.text };
    case "nameBackspace":
      return state.nameDraft === undefined ? state : { ...state, nameDraft: state.nameDraft.slice(0, -1) };
    case "nameCommit": {
      const next = { ...state, nameFilter: (state.nameDraft ?? state.nameFilter).trim() };
      delete next.nameDraft;
      return keepJob(state, next);
    }
    case "nameCancel": {
      const next = { ...state };
      delete next.nameDraft;
      return next;
    }
    case "askStop":
      return askStop(state);
    case "confirmStop":
    case "declineStop": {
      const next = { ...state };
      delete next.confirm;
      if (action.type === "declineStop") next.message = { text: "Nothing stopped", kind: "info" };
      return next;
    }
    case "logLines": {
      if (state.log.jobId !== action.jobId) return state;
      const lines = [...state.log.lines, ...action.lines].slice(-LOG_KEEP);
      return { ...state, log: { jobId: action.jobId, lines, exists: action.exists, done: action.done } };
    }
    case "message":
      if (state.message?.kind === "failed" && action.kind !== "failed") return state;
      return { ...state, message: { text: action.text, kind: action.kind } };
    case "clearInfo": {
      if (state.message?.kind !== "info" && state.message?.kind !== "failed") return state;
      const next = { ...state };
      delete next.message;
      return next;
    }
    case "resize":
      return { ...state, size: { columns: action.columns, rows: action.rows } };
  }
}

function move(state: MonitorState, delta: number): MonitorState {
  if (state.overlay === "report" && state.report) {
    // The cursor keys scroll the report; the view clamps the end, which depends on the width.
    return { ...state, report: { ...state.report, scroll: Math.max(0, state.report.scroll + delta) } };
  }
  if (state.focus === "queues") {
    const queueIndex = clamp(state.queueIndex + delta, state.queues.length);
    if (queueIndex === state.queueIndex) return state;
    const next: MonitorState = { ...state, queueIndex, jobs: [], jobIndex: 0, runIndex: 0, overlay: "none" };
    delete next.runFilter;
    delete next.children;
    return next;
  }
  if (state.focus === "runs") {
    const runs = runsOf(state);
    const runIndex = clamp(state.runIndex + delta, runs.length);
    const run = runs[runIndex];
    const next: MonitorState = { ...state, runIndex, jobIndex: 0 };
    delete next.children;
    if (run) next.runFilter = run.key;
    return next;
  }
  const next = { ...state, jobIndex: clamp(state.jobIndex + delta, visibleJobs(state).length) };
  const job = selectedJob(next);
  if (state.overlay === "logs" && job && job.jobId !== state.log.jobId) {
    next.log = { jobId: job.jobId, lines: [], exists: false, done: false };
  }
  return next;
}

function openDetails(state: MonitorState): MonitorState {
  if (state.focus === "queues") return { ...state, focus: "jobs", overlay: "none" };
  if (state.focus === "runs") {
    const run = runsOf(state)[state.runIndex];
    if (!run) return state;
    const next: MonitorState = { ...state, runFilter: run.key, focus: "jobs", jobIndex: 0, overlay: "none" };
    delete next.children;
    return next;
  }
  if (!selectedJob(state)) return { ...state, message: { text: "No job selected", kind: "info" } };
  return { ...state, overlay: state.overlay === "details" ? "none" : "details" };
}

function askStop(state: MonitorState): MonitorState {
  const job = selectedJob(state);
  if (!job) return { ...state, message: { text: "No job selected", kind: "info" } };
  if (job.status === "SUCCEEDED" || job.status === "FAILED") {
    return { ...state, message: { text: `Job '${job.jobName}' already ended (${job.status})`, kind: "info" } };
  }
  const action = NOT_STARTED.includes(job.status) ? "cancel" : "terminate";
  return { ...state, confirm: { jobId: job.jobId, jobName: job.jobName, action } };
}

function openChildren(state: MonitorState): MonitorState {
  const job = selectedJob(state);
  if (!job) return { ...state, message: { text: "No job selected", kind: "info" } };
  if (!job.array) {
    const text = state.children
      ? `Showing the children of '${state.children.parentName}': esc goes back to the jobs`
      : `Job '${job.jobName}' is not an array job`;
    return { ...state, message: { text, kind: "info" } };
  }
  return {
    ...state,
    children: { parentId: job.jobId, parentName: job.jobName, parentIndex: state.jobIndex, jobs: [], loaded: false },
    focus: "jobs",
    overlay: "none",
    jobIndex: 0,
  };
}

function closeChildren(state: MonitorState): MonitorState {
  const parent = state.children!;
  const next: MonitorState = { ...state, overlay: "none" };
  delete next.children;
  const at = visibleJobs(next).findIndex((j) => j.jobId === parent.parentId);
  return { ...next, jobIndex: at >= 0 ? at : clamp(parent.parentIndex, visibleJobs(next).length) };
}

function openReport(state: MonitorState): MonitorState {
  const run = runInScope(state);
  if (!run) {
    return {
      ...state,
      message: { text: "No workflow run here: pick one in the runs pane (tab), or one of its jobs", kind: "info" },
    };
  }
  const { key, workflow } = run;
  const report = { key, workflow, run: run.run, loading: true, scroll: 0, nonce: 0 };
  return { ...state, overlay: "report", report };
}
