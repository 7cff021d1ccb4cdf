/**
 * The attempts one supervisor runs: their handles, the process events they report (started, exited) until the
 * supervisor applies them to the state, terminate requests and timeouts, and the job launcher that starts their
 * processes (launcher.ts; started again when it stopped, not used without Perl). The supervisor (supervisor.ts)
 * owns the loop, the lock and the state; this owns the processes.
 * @module
 */
import { join } from "node:path";
import type { JobRecord, LocalState } from "./_types.ts";
import type { LocalDisk } from "./_disk.ts";
import { type AttemptEvent, launchAttempt, type LaunchItem, type RunningHandle } from "./launch.ts";
import { Launcher } from "./launcher.ts";
import { finishAttempt } from "./outcome.ts";
import { nameOf } from "./registry.ts";
import type { Isolation, Runtime } from "./runner.ts";
import { isDone, setStatus } from "./scheduler.ts";

/** What the attempts need from their supervisor. */
export interface AttemptsContext {
  /** The state directory. */
  stateDir: string;
  /** Where the writes go (a test's full disk). */
  disk?: LocalDisk;
  /** Start processes through the launcher when this machine has Perl. */
  useLauncher: boolean;
  /** Called when an event arrives (wakes the supervisor). */
  onEvent: () => void;
  /** Receives errors of kills. */
  onError: (error: unknown) => void;
}

/**
 * The directory of an attempt: `work/<job>/<attempt>`, and for an array child `work/<parent>/<index>.<attempt>`
 * (the children of a sweep share their parent's directory: one directory less to create per child, each creation
 * about 0.5 ms of system time on some file systems, and no work/ of ten thousand entries). Both two levels under
 * `work/`, which features.ts counts on.
 */
export function attemptDir(stateDir: string, job: JobRecord, attempt: number): string {
  if (job.parentId !== undefined && job.arrayIndex !== undefined) {
    return join(stateDir, "work", job.parentId.replace(":", "_"), `${job.arrayIndex}.${attempt}`);
  }
  return join(stateDir, "work", job.jobId.replace(":", "_"), String(attempt));
}

/** Moves `job` to STARTING with a new attempt record of supervisor `supervisorId`. */
export function beginAttempt(job: JobRecord, now: number, supervisorId: string, stateDir: string): void {
  const attempt = job.attempts.length + 1;
  setStatus(job, "STARTING", now);
  job.attempts.push({
    attempt,
    supervisorId,
    logStreamName: `${nameOf(job.jobDefinition).split(":")[0]}/default/${crypto.randomUUID().replaceAll("-", "")}`,
    workDir: attemptDir(stateDir, job, attempt),
  });
}

/** The running attempts of one supervisor. */
export class RunningAttempts {
  #context: AttemptsContext;
  #running = new Map<string, RunningHandle>();
  #events: AttemptEvent[] = [];
  #settling = new Set<Promise<void>>();
  #launcher: Launcher | undefined;
  #noLauncher = false;
  #runtime: Runtime = "host";
  #isolation: Isolation = "none";

  /** Attempts of a supervisor; call `configure` once the runtime is known. */
  constructor(context: AttemptsContext) {
    this.#context = context;
  }

  /** Sets how jobs run. */
  configure(runtime: Runtime, isolation: Isolation): void {
    this.#runtime = runtime;
    this.#isolation = isolation;
  }

  /** How many attempts run (their end not yet applied to the state). */
  get size(): number {
    return this.#running.size;
  }

  /** True when events wait to be applied. */
  get hasEvents(): boolean {
    return this.#events.length > 0;
  }

  /** Takes the events that arrived; `putBack` returns them when they could not be recorded. */
  takeEvents(): AttemptEvent[] {
    return this.#events.splice(0);
  }

  /** Returns events taken by `takeEvents`, before any that arrived since. */
  putBack(events: AttemptEvent[]): void {
    this.#events.unshift(...events);
  }

  /** Starts the last attempt of `item.job` (recorded by `beginAttempt`). */
  launch(item: LaunchItem): void {
    const launcher = this.#currentLauncher();
    const running = launchAttempt(item, {
      stateDir: this.#context.stateDir,
      runtime: this.#runtime,
      isolation: this.#isolation,
      ...(this.#context.disk ? { disk: this.#context.disk } : {}),
      ...(launcher ? { launcher } : {}),
      report: (event) => {
        this.#events.push(event);
        this.#context.onEvent();
      },
    });
    this.#running.set(item.job.jobId, running);
    this.#settling.add(running.done);
    running.done.then(() => this.#settling.delete(running.done));
  }

  /** The launcher, started (again) when needed; undefined without Perl, or when it could not start. */
  #currentLauncher(): Launcher | undefined {
    if (this.#noLauncher || !this.#context.useLauncher) return undefined;
    if (this.#launcher?.alive) return this.#launcher;
    const launcher = Launcher.start();
    this.#launcher = launcher;
    if (!launcher) this.#noLauncher = true;
    launcher?.ready.then((ok) => {
      if (!ok) this.#noLauncher = true;
    });
    return launcher;
  }

  /**
   * Applies process events to the state. Returns the jobs whose process ended: call `forget` with them once the
   * state is written. An array parent whose first start this is gets its `startedAt`, and its id in `touched`.
   */
  apply(
    state: LocalState,
    now: number,
    events: AttemptEvent[],
    options: { touched?: Set<string>; shutdownReason?: string } = {},
  ): string[] {
    const ended: string[] = [];
    for (const event of events) {
      const job = state.jobs[event.jobId];
      const attempt = job?.attempts.find((a) => a.attempt === event.attempt);
      if (event.kind === "exited") ended.push(event.jobId);
      if (!job || !attempt || isDone(job.status)) continue;
      if (event.kind === "started") {
        attempt.pid = event.pid;
        if (event.pidStart) attempt.pidStart = event.pidStart;
        attempt.startedAt = event.at;
        job.startedAt = event.at;
        setStatus(job, "RUNNING", now);
        const parent = job.parentId === undefined ? undefined : state.jobs[job.parentId];
        if (parent && (parent.startedAt === undefined || event.at < parent.startedAt)) {
          parent.startedAt = event.at;
          options.touched?.add(parent.jobId);
        }
        continue;
      }
      const running = this.#running.get(event.jobId);
      finishAttempt(
        job,
        attempt,
        { ...event.exit, ...(running?.killing ? { killed: running.killing } : {}) },
        now,
        options.shutdownReason,
      );
    }
    return ended;
  }

  /** Forgets the handles of ended attempts. */
  forget(jobIds: Iterable<string>): void {
    for (const jobId of jobIds) this.#running.delete(jobId);
  }

  /** Acts on terminate requests and timeouts (`ended`: attempts whose end is being applied). */
  watch(state: LocalState, now: number, ended: Set<string>, graceMs: number): void {
    for (const [jobId, running] of this.#running) {
      const job = state.jobs[jobId];
      if (!job || running.killing || ended.has(jobId)) continue;
      const limit = job.timeout?.attemptDurationSeconds;
      if (job.terminateRequest !== undefined) running.killing = "terminate";
      else if (limit !== undefined && running.startedAt !== undefined && now - running.startedAt >= limit * 1000) {
        running.killing = "timeout";
      }
      if (running.killing) running.kill?.(graceMs).catch(this.#context.onError);
    }
  }

  /** Kills every running attempt (`shutdown` records why; without it they are killed at once, unrecorded). */
  killAll(graceMs: number, shutdown: boolean): void {
    for (const running of this.#running.values()) {
      if (shutdown) running.killing ??= "shutdown";
      running.kill?.(graceMs).catch(shutdown ? this.#context.onError : () => {});
    }
  }

  /** Resolves once every attempt is over, including the sweeps for leftovers of those already ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done).concat([...this.#settling]));
  }

  /** Stops the launcher (after `settled`). */
  async close(): Promise<void> {
    await this.#launcher?.close();
  }
}
