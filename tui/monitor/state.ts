/**
 * The monitor's state and its pure reducer: what is shown (queues, jobs, runs, details, log), what is selected,
 * which filters apply, and what the footer says. No I/O here: the app feeds refresh results and keys in.
 * @module
 */
import { JOB_STATUSES, type JobDetail, type JobStatus } from "../../core/backend_types.ts";

/** The status filter of the jobs pane: one state, or all. */
export type StatusFilter = JobStatus | "ALL";
/** The panes that take the cursor. */
export type Focus = "queues" | "runs" | "jobs";
/** What the right-hand pane shows instead of the job list. */
export type Overlay = "none" | "details" | "logs";

/** A compute environment as the monitor shows it. */
export interface EnvInfo {
  /** Name. */
  name: string;
  /** ENABLED or DISABLED. */
  state?: string;
  /** VALID, INVALID... */
  status?: string;
  /** Why. */
  statusReason?: string;
}

/** A queue as the monitor shows it. */
export interface QueueInfo {
  /** Name. */
  name: string;
  /** ENABLED or DISABLED. */
  state?: string;
  /** VALID, INVALID... */
  status?: string;
  /** Why. */
  statusReason?: string;
  /** Its compute environments, in order. */
  environments: EnvInfo[];
}

/** Which workflow run a job belongs to (from its ezbatch tags). */
export interface RunRef {
  /** Workflow name. */
  workflow: string;
  /** Run id. */
  run: string;
  /** Job name inside the workflow. */
  job: string;
}

/** A job row: what ListJobs said, plus the DescribeJobs detail when known. */
export interface JobRow {
  /** Job id. */
  jobId: string;
  /** Job name. */
  jobName: string;
  /** Current state. */
  status: JobStatus;
  /** Why. */
  statusReason?: string;
  /** Epoch ms. */
  createdAt?: number;
  /** Epoch ms. */
  startedAt?: number;
  /** Epoch ms. */
  stoppedAt?: number;
  /** Exit code, once ended. */
  exitCode?: number;
  /** The workflow run, when tagged. */
  run?: RunRef;
  /** The full detail, once described. */
  detail?: JobDetail;
}

/** A workflow run found among the queue's jobs. */
export interface RunInfo {
  /** `{workflow}/{run}`. */
  key: string;
  /** Workflow name. */
  workflow: string;
  /** Run id. */
  run: string;
  /** Number of jobs. */
  total: number;
  /** Jobs per state. */
  counts: Partial<Record<JobStatus, number>>;
}

/** What one refresh brought. */
export interface Snapshot {
  /** All queues. */
  queues: QueueInfo[];
  /** The queue whose jobs were listed. */
  queue?: string;
  /** Its jobs. */
  jobs: JobRow[];
  /** Epoch ms. */
  at: number;
}

/** A stop waiting for the user's yes. */
export interface PendingStop {
  /** Job id. */
  jobId: string;
  /** Job name. */
  jobName: string;
  /** Cancel before it starts, terminate once started. */
  action: "cancel" | "terminate";
}

/** Everything the monitor shows. */
export interface MonitorState {
  /** Queues, by name. */
  queues: QueueInfo[];
  /** Selected queue (index into `queues`). */
  queueIndex: number;
  /** Jobs of the selected queue (unfiltered). */
  jobs: JobRow[];
  /** Selected job (index into `visibleJobs`). */
  jobIndex: number;
  /** Selected run (index into `runsOf`). */
  runIndex: number;
  /** Pane with the cursor. */
  focus: Focus;
  /** Details or logs instead of the job list. */
  overlay: Overlay;
  /** Status filter. */
  statusFilter: StatusFilter;
  /** Name filter (case-insensitive substring). */
  nameFilter: string;
  /** Set while the user types a name filter. */
  nameDraft?: string;
  /** Only the jobs of this run (`workflow/run` key, or a bare run id). */
  runFilter?: string;
  /** A stop waiting for confirmation. */
  confirm?: PendingStop;
  /** The footer's message. */
  message?: { text: string; kind: "info" | "error" };
  /** The followed log. */
  log: { jobId?: string; lines: string[]; exists: boolean; done: boolean };
  /** A refresh is under way. */
  loading: boolean;
  /** When the last refresh succeeded (epoch ms). */
  lastRefresh?: number;
  /** Terminal size. */
  size: { columns: number; rows: number };
}

/** Everything that can happen to the state. */
export type MonitorAction =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "refreshStarted" }
  | { type: "refreshFailed"; text: string }
  | { type: "move"; delta: number }
  | { type: "focusNext" }
  | { type: "openDetails" }
  | { type: "openLogs" }
  | { type: "closeOverlay" }
  | { type: "cycleStatus" }
  | { type: "startNameFilter" }
  | { type: "nameInput"; text: string }
  | { type: "nameBackspace" }
  | { type: "nameCommit" }
  | { type: "nameCancel" }
  | { type: "askStop" }
  | { type: "confirmStop" }
  | { type: "declineStop" }
  | { type: "logLines"; jobId: string; lines: string[]; exists: boolean; done: boolean }
  | { type: "message"; text: string; kind: "info" | "error" }
  | { type: "clearInfo" }
  | { type: "resize"; columns: number; rows: number };

/** Lines kept of a followed log. */
export const LOG_KEEP = 1000;

const FILTER_CYCLE: StatusFilter[] = ["ALL", ...JOB_STATUSES];
const NOT_STARTED: JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE"];

/** The state before the first refresh. */
export function initialState(options: { queue?: string; runId?: string; columns?: number; rows?: number } = {}) {
  const state: MonitorState = {
    queues: options.queue ? [{ name: options.queue, environments: [] }] : [],
    queueIndex: 0,
    jobs: [],
    jobIndex: 0,
    runIndex: 0,
    focus: options.runId ? "jobs" : "queues",
    overlay: "none",
    statusFilter: "ALL",
    nameFilter: "",
    log: { lines: [], exists: false, done: false },
    loading: false,
    size: { columns: options.columns ?? 80, rows: options.rows ?? 24 },
  };
  if (options.runId) state.runFilter = options.runId;
  return state;
}

/** The selected queue's name. */
export function selectedQueue(state: MonitorState): QueueInfo | undefined {
  return state.queues[state.queueIndex];
}

/** Workflow runs among the queue's jobs, newest first. */
export function runsOf(state: MonitorState): RunInfo[] {
  const runs = new Map<string, RunInfo & { createdAt: number }>();
  for (const job of state.jobs) {
    if (!job.run) continue;
    const key = `${job.run.workflow}/${job.run.run}`;
    const info = runs.get(key) ??
      { key, workflow: job.run.workflow, run: job.run.run, total: 0, counts: {}, createdAt: 0 };
    info.total++;
    info.counts[job.status] = (info.counts[job.status] ?? 0) + 1;
    info.createdAt = Math.max(info.createdAt, job.createdAt ?? 0);
    runs.set(key, info);
  }
  return [...runs.values()].sort((a, b) => b.createdAt - a.createdAt || a.key.localeCompare(b.key))
    .map(({ createdAt: _, ...run }) => run);
}

function inRun(job: JobRow, filter: string): boolean {
  if (!job.run) return false;
  return filter.includes("/") ? `${job.run.workflow}/${job.run.run}` === filter : job.run.run === filter;
}

/** The jobs the jobs pane lists: selected queue, status filter, name filter, run filter; newest first. */
export function visibleJobs(state: MonitorState): JobRow[] {
  const name = state.nameFilter.toLowerCase();
  return state.jobs.filter((job) =>
    (state.statusFilter === "ALL" || job.status === state.statusFilter) &&
    (!name || job.jobName.toLowerCase().includes(name)) &&
    (!state.runFilter || inRun(job, state.runFilter))
  );
}

/** The job under the cursor. */
export function selectedJob(state: MonitorState): JobRow | undefined {
  return visibleJobs(state)[state.jobIndex];
}

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
      if (state.message?.kind === "error") delete next.message;
      next.runIndex = clamp(state.runIndex, runsOf(next).length);
      return keepJob(state, next);
    }
    case "refreshStarted":
      return { ...state, loading: true };
    case "refreshFailed":
      return { ...state, loading: false, message: { text: action.text, kind: "error" } };
    case "move":
      return move(state, action.delta);
    case "focusNext": {
      const order: Focus[] = ["queues", "runs", "jobs"];
      return { ...state, focus: order[(order.indexOf(state.focus) + 1) % order.length]!, overlay: "none" };
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
    case "closeOverlay":
      if (state.overlay !== "none") return { ...state, overlay: "none" };
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
      return { ...state, message: { text: action.text, kind: action.kind } };
    case "clearInfo": {
      if (state.message?.kind !== "info") return state;
      const next = { ...state };
      delete next.message;
      return next;
    }
    case "resize":
      return { ...state, size: { columns: action.columns, rows: action.rows } };
  }
}

function move(state: MonitorState, delta: number): MonitorState {
  if (state.focus === "queues") {
    const queueIndex = clamp(state.queueIndex + delta, state.queues.length);
    if (queueIndex === state.queueIndex) return state;
    const next: MonitorState = { ...state, queueIndex, jobs: [], jobIndex: 0, runIndex: 0, overlay: "none" };
    delete next.runFilter;
    return next;
  }
  if (state.focus === "runs") {
    const runs = runsOf(state);
    const runIndex = clamp(state.runIndex + delta, runs.length);
    const run = runs[runIndex];
    const next: MonitorState = { ...state, runIndex, jobIndex: 0 };
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
    return { ...state, runFilter: run.key, focus: "jobs", jobIndex: 0, overlay: "none" };
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
