/**
 * The monitor's state: what is shown (queues, jobs, runs, details, log), what is selected, which filters apply,
 * and what the footer says; with the selectors the panes use. `reduce.ts` changes it.
 * @module
 */
import type { JobDetail, JobStatus } from "../../core/backend_types.ts";
import type { RunReport } from "../../core/report_types.ts";

/** The status filter of the jobs pane: one state, or all. */
export type StatusFilter = JobStatus | "ALL";
/** The panes that take the cursor. */
export type Focus = "queues" | "runs" | "jobs";
/** What the right-hand pane shows instead of the job list. */
export type Overlay = "none" | "details" | "logs" | "report";

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
  /** Attempt of the job in the run (1, then one more per resume). */
  attempt?: number;
  /** Jobs in the run's plan, when its tags say. */
  jobs?: number;
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
  /** An array parent: its size and its children per state (DescribeJobs' `arrayProperties.statusSummary`). */
  array?: { size: number; summary: Partial<Record<JobStatus, number>> };
  /** An array child: its index. */
  index?: number;
}

/** The children of one array job, listed instead of the queue's jobs while open. */
export interface ChildrenView {
  /** The parent's id. */
  parentId: string;
  /** The parent's name. */
  parentName: string;
  /** The parent's index in the job list, to come back to. */
  parentIndex: number;
  /** The children, in index order. */
  jobs: JobRow[];
  /** A refresh has listed them at least once. */
  loaded: boolean;
}

/** The report summary of one run, read in the background. */
export interface ReportView {
  /** `{workflow}/{run}`. */
  key: string;
  /** Workflow name. */
  workflow: string;
  /** Run id. */
  run: string;
  /** The report, once read. */
  report?: RunReport;
  /** Why it could not be read. */
  error?: string;
  /** A read is under way. */
  loading: boolean;
  /** First line shown. */
  scroll: number;
  /** Bumped to read it again. */
  nonce: number;
}

/** A workflow run found among the queue's jobs. */
export interface RunInfo {
  /** `{workflow}/{run}`. */
  key: string;
  /** Workflow name. */
  workflow: string;
  /** Run id. */
  run: string;
  /** Number of jobs seen (the latest attempt of each). */
  total: number;
  /** Jobs in the run's plan (from the tags; at least `total`): more means some were never submitted. */
  expected: number;
  /** Jobs per state. */
  counts: Partial<Record<JobStatus, number>>;
}

/** What one refresh brought. */
export interface Snapshot {
  /** All queues. */
  queues: QueueInfo[];
  /** The queue whose jobs were listed. */
  queue?: string;
  /** Its jobs (array children left out: they are listed under their parent). */
  jobs: JobRow[];
  /** The children of the array job that was asked for. */
  children?: { parentId: string; jobs: JobRow[] };
  /** Epoch ms. */
  at: number;
}

/** How long a footer message stays: see `MonitorState.message`. */
export type MessageKind = "info" | "error" | "failed";

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
  /** Details, log or run report instead of the job list. */
  overlay: Overlay;
  /** An array job's children, listed instead of the queue's jobs. */
  children?: ChildrenView;
  /** The run report shown by the `report` overlay. */
  report?: ReportView;
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
  /**
   * The footer's message. `info` goes at the next key, `error` (a failed refresh) at the next good refresh, and
   * `failed` (an action the user asked for, e.g. a stop, failed) only at the next key: refreshes never hide it.
   */
  message?: { text: string; kind: MessageKind };
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
  | { type: "openChildren" }
  | { type: "openReport" }
  | { type: "reloadReport" }
  | { type: "reportLoaded"; key: string; report: RunReport }
  | { type: "reportFailed"; key: string; text: string }
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
  | { type: "message"; text: string; kind: MessageKind }
  | { type: "clearInfo" }
  | { type: "resize"; columns: number; rows: number };

/** Lines kept of a followed log. */
export const LOG_KEEP = 1000;

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
  // The latest attempt of each job stands for it: a job resubmitted by resume counts once.
  const latest = new Map<string, JobRow & { run: RunRef }>();
  for (const job of state.jobs) {
    if (!job.run) continue;
    const id = `${job.run.workflow}/${job.run.run}/${job.run.job}`;
    const seen = latest.get(id);
    if (!seen || (job.run.attempt ?? 1) > (seen.run.attempt ?? 1)) latest.set(id, job as JobRow & { run: RunRef });
  }
  const runs = new Map<string, RunInfo & { createdAt: number }>();
  for (const job of latest.values()) {
    const key = `${job.run.workflow}/${job.run.run}`;
    const info = runs.get(key) ??
      { key, workflow: job.run.workflow, run: job.run.run, total: 0, expected: 0, counts: {}, createdAt: 0 };
    info.total++;
    info.counts[job.status] = (info.counts[job.status] ?? 0) + 1;
    info.expected = Math.max(info.expected, info.total, job.run.jobs ?? 0);
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

/**
 * The jobs the jobs pane lists: the selected queue's (newest first) or, while open, an array job's children (in
 * index order); with the status and name filters, and the run filter on the queue's jobs.
 */
export function visibleJobs(state: MonitorState): JobRow[] {
  const name = state.nameFilter.toLowerCase();
  const keep = (job: JobRow) =>
    (state.statusFilter === "ALL" || job.status === state.statusFilter) &&
    (!name || job.jobName.toLowerCase().includes(name));
  if (state.children) return state.children.jobs.filter(keep);
  return state.jobs.filter((job) => keep(job) && (!state.runFilter || inRun(job, state.runFilter)));
}

/** A job of the queue or a child of the open array job, by id. */
export function jobById(state: MonitorState, jobId: string | undefined): JobRow | undefined {
  if (!jobId) return undefined;
  return state.jobs.find((j) => j.jobId === jobId) ?? state.children?.jobs.find((j) => j.jobId === jobId);
}

/** The run the report key would show: the selected run in the runs pane, else the selected job's, else the filter's. */
export function runInScope(state: MonitorState): RunInfo | undefined {
  const runs = runsOf(state);
  if (state.focus === "runs") return runs[state.runIndex];
  const parent = state.children ? jobById(state, state.children.parentId) : undefined;
  const ref = selectedJob(state)?.run ?? parent?.run;
  if (ref) return runs.find((r) => r.workflow === ref.workflow && r.run === ref.run);
  const filter = state.runFilter;
  return filter ? runs.find((r) => r.key === filter || r.run === filter) : undefined;
}

/** The job under the cursor. */
export function selectedJob(state: MonitorState): JobRow | undefined {
  return visibleJobs(state)[state.jobIndex];
}
