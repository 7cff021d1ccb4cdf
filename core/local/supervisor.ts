/**
 * The local supervisor: the one process per state directory that runs the queue. Every tick it takes the state
 * lock, applies what happened to its processes (started, exited, timed out, terminated), moves jobs one step
 * (scheduler.ts), starts the RUNNABLE jobs that fit the budget, and refreshes its heartbeat. It runs either
 * inside the process that uses the backend (`in-process`: tests, the TUI) or as a detached daemon started by
 * `LocalBackend` (`supervisor_main.ts`, or `runLocalSupervisor` from a CLI command), so jobs outlive the CLI.
 * @module
 */
import { join } from "node:path";
import { EzBatchError } from "../errors.ts";
import type { JobRecord, LocalState, SupervisorInfo } from "./_types.ts";
import { DEFAULT_STALE_AFTER_MS, hasOrphans, reapOrphans, supervisorDeath } from "./liveness.ts";
import { LogWriter } from "./logs.ts";
import { processStart } from "./process_tree.ts";
import { enabledEnvironment, nameOf } from "./registry.ts";
import { shouldRetry } from "./retry.ts";
import {
  detectIsolation,
  detectRuntime,
  type Isolation,
  type ProcessExit,
  type Runtime,
  startAttempt,
} from "./runner.ts";
import { advance, type Budget, isDone, setStatus } from "./scheduler.ts";
import { StateStore } from "./store.ts";

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
  /** Receives errors of a tick (the loop goes on). */
  onError?: (error: unknown) => void;
}

type Event =
  | { kind: "started"; jobId: string; attempt: number; pid: number; pidStart?: string; at: number }
  | { kind: "exited"; jobId: string; attempt: number; exit: ProcessExit; at: number };

interface Running {
  attempt: number;
  startedAt?: number;
  kill?: (graceMs: number) => Promise<void>;
  killing?: "timeout" | "terminate" | "shutdown";
  done: Promise<void>;
}

/** Default budget: this machine's cores and memory (MiB). */
export function machineBudget(): Budget {
  return {
    vcpus: navigator.hardwareConcurrency || 1,
    memory: Math.floor(Deno.systemMemoryInfo().total / 1024 / 1024),
  };
}

/** Runs the queue of one state directory. */
export class LocalSupervisor {
  #store: StateStore;
  #options: LocalSupervisorOptions;
  #budget: Budget;
  #info: SupervisorInfo;
  #running = new Map<string, Running>();
  #events: Event[] = [];
  #runtime: Runtime = "host";
  #isolation: Isolation = "none";
  #wake: (() => void) | undefined;
  #stopped = false;
  #lastHeartbeat = 0;

  /** Creates a supervisor; call `claim()` then `run()`. */
  constructor(options: LocalSupervisorOptions) {
    this.#options = options;
    this.#store = new StateStore(options.stateDir);
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
    const tickMs = this.#options.tickMs ?? 100;
    let idleSince = Date.now();
    this.#options.signal?.addEventListener("abort", () => this.#stopNow(), { once: true });
    while (!this.#stopped && !this.#options.signal?.aborted) {
      let busy = true;
      try {
        busy = await this.tick();
      } catch (error) {
        this.#options.onError?.(error);
      }
      const now = Date.now();
      if (busy) idleSince = now;
      else if (this.#options.idleExitMs !== undefined && now - idleSince >= this.#options.idleExitMs) {
        if (await this.#releaseIfIdle()) return;
        idleSince = now;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, tickMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    await this.#shutdown("The local supervisor stopped while the job was running");
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
      if (this.#running.size > 0 || Object.values(state.jobs).some((j) => !isDone(j.status))) return false;
      const current = await this.#store.readSupervisor();
      if (current?.id === this.#info.id) await this.#store.writeSupervisor(undefined);
      return true;
    });
  }

  async #shutdown(reason: string): Promise<void> {
    const grace = this.#options.killGraceMs ?? 2000;
    for (const running of this.#running.values()) {
      running.killing ??= "shutdown";
      void running.kill?.(Math.min(grace, 500));
    }
    await Promise.all([...this.#running.values()].map((r) => r.done));
    await this.#store.update((state) => {
      this.#apply(state, Date.now(), reason);
      this.#running.clear();
    });
    await this.#store.withLock(async () => {
      const current = await this.#store.readSupervisor();
      if (current?.id === this.#info.id) await this.#store.writeSupervisor(undefined);
    });
  }

  /** One scheduling step. Returns whether anything is left to do. */
  async tick(): Promise<boolean> {
    const toStart: { job: JobRecord; arraySize?: number; queue: string; ce: string }[] = [];
    let busy = false;
    let lost = false;
    await this.#store.withLock(async () => {
      const now = Date.now();
      const current = await this.#store.readSupervisor();
      if (current && current.id !== this.#info.id) {
        lost = true;
        return;
      }
      const state = await this.#store.read();
      const before = JSON.stringify(state);
      this.#apply(state, now);
      this.#watch(state, now);
      for (const job of advance(state, now, this.#budget)) {
        const queue = state.queues.find((q) => q.jobQueueName === job.jobQueue)!;
        const ce = enabledEnvironment(state, queue)!;
        this.#begin(job, now);
        const parentSize = job.parentId ? state.jobs[job.parentId]?.arraySize : undefined;
        toStart.push({
          job,
          queue: queue.jobQueueName,
          ce: ce.computeEnvironmentName,
          ...(parentSize ? { arraySize: parentSize } : {}),
        });
      }
      busy = this.#running.size > 0 || toStart.length > 0 || Object.values(state.jobs).some((j) => !isDone(j.status));
      if (JSON.stringify(state) !== before) await this.#store.writeState(state);
      if (now - this.#lastHeartbeat >= (this.#options.heartbeatMs ?? 1000)) {
        this.#info.heartbeatAt = now;
        this.#lastHeartbeat = now;
        await this.#store.writeSupervisor(this.#info);
      }
    });
    if (lost) {
      // Another supervisor took over (this one was stale): it has failed our jobs; stop without touching state.
      for (const running of this.#running.values()) void running.kill?.(0);
      this.#stopped = true;
      return false;
    }
    for (const item of toStart) this.#launch(item);
    return busy;
  }

  #begin(job: JobRecord, now: number): void {
    const attempt = job.attempts.length + 1;
    const safeId = job.jobId.replace(":", "_");
    setStatus(job, "STARTING", now);
    job.attempts.push({
      attempt,
      supervisorId: this.#info.id,
      logStreamName: `${nameOf(job.jobDefinition).split(":")[0]}/default/${crypto.randomUUID().replaceAll("-", "")}`,
      workDir: join(this.#store.dir, "work", safeId, String(attempt)),
    });
  }

  #launch(item: { job: JobRecord; arraySize?: number; queue: string; ce: string }): void {
    const { job } = item;
    const attempt = job.attempts.at(-1)!;
    let resolveDone!: () => void;
    const running: Running = { attempt: attempt.attempt, done: new Promise((r) => (resolveDone = r)) };
    this.#running.set(job.jobId, running);
    const push = (event: Event) => {
      this.#events.push(event);
      this.#wake?.();
    };
    (async () => {
      const log = await LogWriter.open(this.#store.dir, { group: job.spec.logGroup, stream: attempt.logStreamName });
      try {
        const started = await startAttempt({
          job,
          attempt,
          placement: {
            queue: item.queue,
            computeEnvironment: item.ce,
            attempt: attempt.attempt,
            ...(item.arraySize ? { arraySize: item.arraySize } : {}),
          },
          runtime: this.#runtime,
          isolation: this.#isolation,
          log,
        });
        running.kill = started.kill;
        running.startedAt = Date.now();
        push({
          kind: "started",
          jobId: job.jobId,
          attempt: attempt.attempt,
          pid: started.pid,
          at: running.startedAt,
          ...(started.pidStart ? { pidStart: started.pidStart } : {}),
        });
        if (running.killing) void started.kill(0);
        const exit = await started.exited;
        push({ kind: "exited", jobId: job.jobId, attempt: attempt.attempt, exit, at: Date.now() });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await log.write([`[ezbatch local] Cannot start the job: ${message}`]).catch(() => {});
        push({
          kind: "exited",
          jobId: job.jobId,
          attempt: attempt.attempt,
          exit: { reason: `CannotStartContainerError: ${message}` },
          at: Date.now(),
        });
      } finally {
        log.close();
        resolveDone();
      }
    })();
  }

  /** Applies queued process events to the state. */
  #apply(state: LocalState, now: number, shutdownReason?: string): void {
    const events = this.#events.splice(0);
    for (const event of events) {
      const job = state.jobs[event.jobId];
      const attempt = job?.attempts.find((a) => a.attempt === event.attempt);
      if (!job || !attempt || isDone(job.status)) {
        if (event.kind === "exited") this.#running.delete(event.jobId);
        continue;
      }
      if (event.kind === "started") {
        attempt.pid = event.pid;
        if (event.pidStart) attempt.pidStart = event.pidStart;
        attempt.startedAt = event.at;
        job.startedAt = event.at;
        setStatus(job, "RUNNING", now);
        continue;
      }
      const running = this.#running.get(event.jobId);
      this.#running.delete(event.jobId);
      this.#finish(job, attempt, event.exit, running?.killing, now, shutdownReason);
    }
  }

  #finish(
    job: JobRecord,
    attempt: JobRecord["attempts"][number],
    exit: ProcessExit,
    killing: Running["killing"],
    now: number,
    shutdownReason?: string,
  ): void {
    attempt.stoppedAt = now;
    attempt.startedAt ??= now;
    if (exit.exitCode !== undefined) attempt.exitCode = exit.exitCode;
    if (exit.reason !== undefined) attempt.reason = exit.reason;
    let statusReason = "Essential container in task exited";
    if (exit.reason?.startsWith("CannotStartContainerError")) statusReason = "Task failed to start";
    if (killing === "timeout") statusReason = "Job attempt duration exceeded timeout";
    if (killing === "terminate") statusReason = job.terminateRequest ?? "Terminated";
    if (killing === "shutdown") statusReason = shutdownReason ?? "The local supervisor stopped";
    attempt.statusReason = statusReason;
    const requested = job.terminateRequest;
    delete job.terminateRequest;
    if (killing) {
      if (killing === "terminate" || requested) job.isTerminated = true;
      setStatus(job, "FAILED", now, statusReason);
    } else if (exit.exitCode === 0) {
      setStatus(job, "SUCCEEDED", now, statusReason);
    } else if (
      shouldRetry(job.retryStrategy, job.attempts.length, {
        exitCode: exit.exitCode,
        reason: exit.reason,
        statusReason,
      })
    ) {
      setStatus(job, "RUNNABLE", now, `Retrying after attempt ${attempt.attempt}: ${exitText(exit)}`);
    } else {
      setStatus(job, "FAILED", now, statusReason);
    }
  }

  /** Acts on terminate requests and timeouts of the jobs this supervisor runs. */
  #watch(state: LocalState, now: number): void {
    const grace = this.#options.killGraceMs ?? 2000;
    for (const [jobId, running] of this.#running) {
      const job = state.jobs[jobId];
      if (!job || running.killing) continue;
      const limit = job.timeout?.attemptDurationSeconds;
      if (job.terminateRequest !== undefined) running.killing = "terminate";
      else if (limit !== undefined && running.startedAt !== undefined && now - running.startedAt >= limit * 1000) {
        running.killing = "timeout";
      }
      if (running.killing) void running.kill?.(grace);
    }
  }
}

function exitText(exit: ProcessExit): string {
  return exit.exitCode !== undefined ? `exit code ${exit.exitCode}` : exit.reason ?? "no exit code";
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
