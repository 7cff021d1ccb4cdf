/**
 * The local supervisor: the one process per state directory that runs the queue. Every tick it takes the state
 * lock, applies what happened to its processes (started, exited, timed out, terminated), moves jobs one step
 * (scheduler.ts), starts the RUNNABLE jobs that fit the budget, and refreshes its heartbeat. It runs either
 * inside the process that uses the backend (`in-process`: tests, the TUI) or as a detached daemon started by
 * `LocalBackend` (`supervisor_main.ts`, or `runLocalSupervisor` from a CLI command), so jobs outlive the CLI.
 * @module
 */
import { EzBatchError } from "../errors.ts";
import type { SupervisorInfo } from "./_types.ts";
import { DEFAULT_STALE_AFTER_MS, hasOrphans, reapOrphans, supervisorDeath } from "./liveness.ts";
import type { LaunchItem } from "./launch.ts";
import { beginAttempt, RunningAttempts } from "./attempts.ts";
import { processStart } from "./process_tree.ts";
import { enabledEnvironment } from "./registry.ts";
import { detectIsolation, detectRuntime, type Isolation, type Runtime } from "./runner.ts";
import { advance, type Budget, isDone, machineBudget, specOf } from "./scheduler.ts";
import { StateStore } from "./store.ts";
import { CachedState } from "./cached_state.ts";
import type { LocalDisk } from "./_disk.ts";
import { soon } from "./_soon.ts";

/** Options of a local supervisor. */
export interface LocalSupervisorOptions {
  /** The state directory. */
  stateDir: string;
  /** vCPUs jobs may use at once. Default: this machine's cores. */
  vcpus?: number;
  /** MiB jobs may use at once. Default: this machine's memory. */
  memory?: number;
  /** `auto` (default): docker or podman when their engine answers, else `host`. */
  runtime?: Runtime | "auto";
  /** `auto` (default): a private mount namespace when allowed, else `none`. */
  isolation?: Isolation | "auto";
  /** Scheduling period. Default 100 ms. */
  tickMs?: number;
  /** Heartbeat period. Default 1,000 ms. */
  heartbeatMs?: number;
  /** A supervisor whose heartbeat is older is considered dead. Default 15,000 ms. */
  staleAfterMs?: number;
  /** SIGTERM to SIGKILL delay when killing a job. Default 2,000 ms. */
  killGraceMs?: number;
  /** Stop after this long with nothing to do (daemons). Default: never. */
  idleExitMs?: number;
  /** Stops the supervisor (running jobs are terminated). */
  signal?: AbortSignal;
  /** `daemon` or `in-process` (recorded in supervisor.json). Default `daemon`. */
  mode?: "daemon" | "in-process";
  /** Receives errors of a tick (the loop goes on); the same error again on the next ticks is reported once. */
  onError?: (error: unknown) => void;
}

/** What `LocalSupervisor` takes: the public options, and where the writes go (tests simulate a full disk). */
export type LocalSupervisorSetup = LocalSupervisorOptions & {
  disk?: LocalDisk;
  /** Start jobs through the Perl launcher (launcher.ts) when this machine has Perl. Default true. */
  launcher?: boolean;
};

/** Runs the queue of one state directory. */
export class LocalSupervisor {
  #store: StateStore;
  #options: LocalSupervisorSetup;
  #budget: Budget;
  #info: SupervisorInfo;
  #attempts: RunningAttempts;
  #runtime: Runtime = "host";
  #isolation: Isolation = "none";
  #wake: (() => void) | undefined;
  #stopped = false;
  #lastHeartbeat = 0;
  #cache: CachedState;
  #reported = new Set<string>();
  #troubled = false;
  #again = false;
  #stepDue = true;

  /** Creates a supervisor; call `claim()` then `run()`. */
  constructor(options: LocalSupervisorSetup) {
    this.#options = options;
    this.#store = new StateStore(options.stateDir, {
      keepJournalOpen: true,
      ...(options.disk ? { disk: options.disk } : {}),
    });
    this.#cache = new CachedState(this.#store);
    this.#attempts = new RunningAttempts({
      stateDir: options.stateDir,
      ...(options.disk ? { disk: options.disk } : {}),
      useLauncher: options.launcher !== false,
      onEvent: () => this.#wake?.(),
      onError: (error) => this.#options.onError?.(error),
    });
    const machine = machineBudget();
    this.#budget = { vcpus: options.vcpus ?? machine.vcpus, memory: options.memory ?? machine.memory };
    const now = Date.now();
    this.#info = {
      id: crypto.randomUUID(),
      pid: Deno.pid,
      mode: options.mode ?? "daemon",
      startedAt: now,
      heartbeatAt: now,
      ...(processStart(Deno.pid) ? { pidStart: processStart(Deno.pid)! } : {}),
    };
  }

  /** This supervisor's id. */
  get id(): string {
    return this.#info.id;
  }

  /**
   * Becomes the supervisor of the state directory, failing jobs a dead predecessor left STARTING or RUNNING.
   * Returns false (and does nothing) when another live supervisor already runs it.
   */
  async claim(): Promise<boolean> {
    const runtime = this.#options.runtime ?? "auto";
    this.#runtime = runtime === "auto" ? await detectRuntime() : runtime;
    const isolation = this.#options.isolation ?? "auto";
    this.#isolation = isolation === "auto" ? await detectIsolation() : isolation;
    this.#attempts.configure(this.#runtime, this.#isolation);
    const stale = this.#options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    return await this.#store.withLock(async () => {
      const now = Date.now();
      const current = await this.#store.readSupervisor();
      const death = supervisorDeath(current, now, stale);
      if (current && current.id !== this.#info.id && !current.pending && !death) return false;
      const state = await this.#store.read();
      if (hasOrphans(state, this.#info.id)) {
        reapOrphans(state, this.#info.id, now, death ?? "its supervisor stopped");
        await this.#store.writeState(state);
      }
      this.#info.heartbeatAt = now;
      this.#lastHeartbeat = now;
      await this.#store.writeSupervisor(this.#info);
      return true;
    });
  }

  /** Runs ticks until stopped (signal, `stop()`, or idle for `idleExitMs`); then terminates what still runs. */
  async run(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      this.#store.close();
      await this.#attempts.close();
    }
  }

  async #loop(): Promise<void> {
    const tickMs = this.#options.tickMs ?? 100;
    let idleSince = Date.now();
    this.#options.signal?.addEventListener("abort", () => this.#stopNow(), { once: true });
    while (!this.#stopped && !this.#options.signal?.aborted) {
      let busy = true;
      this.#troubled = false;
      try {
        busy = await this.tick();
        if (!this.#troubled) this.#reported.clear();
      } catch (error) {
        this.#cache.forget();
        this.#report(error);
        if (this.#directoryGone()) break;
      }
      const now = Date.now();
      if (busy) idleSince = now;
      else if (this.#options.idleExitMs !== undefined && now - idleSince >= this.#options.idleExitMs) {
        if (await this.#releaseIfIdle()) return;
        idleSince = now;
      }
      // Event-driven: a process event (a job started or ended) or a step that changed something runs the next
      // tick at once; the period only paces what comes from elsewhere (submits of other processes, timeouts).
      const again = this.#again || this.#attempts.hasEvents;
      this.#again = false;
      await new Promise<void>((resolve) => {
        const cancel = soon(resolve, again ? 0 : tickMs);
        this.#wake = () => {
          cancel();
          resolve();
        };
      });
      this.#wake = undefined;
    }
    await this.#shutdown("The local supervisor stopped while the job was running");
  }

  /** Passes an error on once: a damaged state file or a full disk fails every tick alike, ten times a second. */
  #report(error: unknown): void {
    this.#troubled = true;
    const text = error instanceof Error ? error.message : String(error);
    if (this.#reported.has(text)) return;
    this.#reported.add(text);
    this.#options.onError?.(error);
  }

  #stopNow(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  /** Asks the loop to stop; running jobs are terminated. */
  stop(): void {
    this.#stopNow();
  }

  async #releaseIfIdle(): Promise<boolean> {
    return await this.#store.withLock(async () => {
      const state = await this.#store.read();
      if (this.#attempts.size > 0 || Object.values(state.jobs).some((j) => !isDone(j.status))) return false;
      const current = await this.#store.readSupervisor();
      if (current?.id === this.#info.id) await this.#store.writeSupervisor(undefined);
      return true;
    });
  }

  /** True once the state directory was removed (a test's temporary one): nothing is left to run or record. */
  #directoryGone(): boolean {
    try {
      Deno.statSync(this.#store.dir);
      return false;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false;
      this.#options.onError?.(new EzBatchError(`The state directory '${this.#store.dir}' was removed: stopping`));
      return true;
    }
  }

  async #shutdown(reason: string): Promise<void> {
    this.#attempts.killAll(Math.min(this.#options.killGraceMs ?? 2000, 500), true);
    // Also the attempts already recorded as ended whose leftovers are still being swept up.
    await this.#attempts.settled();
    if (this.#directoryGone()) return;
    await this.#store.update((state) => {
      this.#attempts.forget(
        this.#attempts.apply(state, Date.now(), this.#attempts.takeEvents(), { shutdownReason: reason }),
      );
    });
    await this.#store.withLock(async () => {
      const current = await this.#store.readSupervisor();
      if (current?.id === this.#info.id) await this.#store.writeSupervisor(undefined);
    });
  }

  /**
   * One scheduling step. Returns whether anything is left to do. When the state cannot be written (a full disk),
   * nothing of the step is lost: the process events go back in the queue and no job is started.
   */
  async tick(): Promise<boolean> {
    const toStart: LaunchItem[] = [];
    let busy = false;
    let lost = false;
    const events = this.#attempts.takeEvents();
    let ended: string[] = [];
    await this.#store.withLock(async () => {
      const now = Date.now();
      // Another supervisor may take over only once our heartbeat is stale, so supervisor.json needs reading only
      // when a heartbeat is due (every tick after a stall), not on each of the many ticks of a busy queue.
      const beat = now - this.#lastHeartbeat >= (this.#options.heartbeatMs ?? 1000);
      const current = beat ? await this.#store.readSupervisor() : undefined;
      if (current && current.id !== this.#info.id) {
        lost = true;
        return;
      }
      const state = await this.#cache.read();
      const external = this.#cache.takeChanged();
      const parents = new Set<string>();
      ended = this.#attempts.apply(state, now, events, { touched: parents });
      this.#attempts.watch(state, now, new Set(ended), this.#options.killGraceMs ?? 2000);
      // A step can move jobs only after a change: another writer's, an attempt's end (its budget, its dependents,
      // its parent), or the last step's own moves other than starts (each job moves one step per step). A job that
      // started changes nothing the step looks at, and with ten thousand jobs a step visits them all.
      const due = this.#stepDue || external || ended.length > 0;
      const step = due
        ? advance(state, now, this.#budget, this.#cache.live)
        : { start: [], touched: new Set<string>() };
      if (due) {
        const starting = new Set(step.start.map((job) => job.jobId));
        this.#stepDue = [...step.touched].some((id) => !starting.has(id));
      }
      const touched = step.touched;
      for (const event of events) touched.add(event.jobId);
      for (const id of parents) touched.add(id);
      for (const job of step.start) {
        const queue = state.queues.find((q) => q.jobQueueName === job.jobQueue)!;
        const ce = enabledEnvironment(state, queue)!;
        beginAttempt(job, now, this.#info.id, this.#store.dir);
        touched.add(job.jobId);
        const parentSize = job.parentId ? state.jobs[job.parentId]?.arraySize : undefined;
        toStart.push({
          job: { ...job, spec: specOf(state, job) },
          queue: queue.jobQueueName,
          ce: ce.computeEnvironmentName,
          ...(parentSize ? { arraySize: parentSize } : {}),
        });
      }
      // A step that moved jobs enables the next one: run it at once.
      this.#again = this.#stepDue;
      busy = this.#attempts.size > 0 || toStart.length > 0 || this.#cache.live.size > 0;
      if (touched.size > 0) await this.#cache.write(state, touched);
      if (beat) {
        this.#info.heartbeatAt = now;
        this.#lastHeartbeat = now;
        // The state is written: a failed heartbeat must not replay the events applied above.
        await this.#store.writeSupervisor(this.#info).catch((error) => this.#report(error));
      }
    }).catch((error) => {
      this.#attempts.putBack(events);
      throw error;
    });
    this.#attempts.forget(ended);
    if (lost) {
      // Another supervisor took over (this one was stale): it has failed our jobs; stop without touching state.
      this.#attempts.killAll(0, false);
      this.#stopped = true;
      return false;
    }
    for (const item of toStart) this.#attempts.launch(item);
    return busy;
  }
}

/** Raised when a state directory is already run by another live supervisor. */
export class SupervisorBusyError extends EzBatchError {}

/**
 * Runs a local supervisor until it is stopped or idle: the body of the detached daemon (`supervisor_main.ts`) and
 * of a hidden CLI command. Jobs it still runs when stopped are terminated and marked FAILED with a reason.
 *
 * @param options The state directory, budget, runtime and timings; `signal` stops it, `idleExitMs` ends it
 *   after that long with no job left to run.
 * @returns true after running; false (at once) when another live supervisor already runs the state directory.
 * @throws Errors of the file system when the state directory cannot be read or written.
 * @example Run the queue of a state directory until it is empty for 1 s
 * ```ts
 * import { runLocalSupervisor } from "./mod.ts";
 * const stateDir = await Deno.makeTempDir();
 * const ran = await runLocalSupervisor({ stateDir, idleExitMs: 1000, runtime: "host" });
 * console.log(ran ? "queue drained" : "another supervisor runs it");
 * ```
 */
export async function runLocalSupervisor(options: LocalSupervisorOptions): Promise<boolean> {
  const supervisor = new LocalSupervisor(options);
  if (!(await supervisor.claim())) return false;
  await supervisor.run();
  return true;
}
