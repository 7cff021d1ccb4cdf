/**
 * Starts one attempt for the supervisor and reports what happens to it as events (started with its pid, exited
 * with its exit code or the reason it could not start), which the supervisor applies to the state on its next
 * tick. The attempt's output goes to its log stream.
 * @module
 */
import type { RunnableJob } from "./_types.ts";
import { LogWriter } from "./logs.ts";
import { isOutOfSpace, type LocalDisk, writeFailure } from "./_disk.ts";
import type { Launcher } from "./launcher.ts";
import { type Isolation, type ProcessExit, type Runtime, startAttempt } from "./runner.ts";

/** What happened to an attempt. */
export type AttemptEvent =
  | { kind: "started"; jobId: string; attempt: number; pid: number; pidStart?: string; at: number }
  | { kind: "exited"; jobId: string; attempt: number; exit: ProcessExit; at: number };

/** A job to start, placed in a queue and compute environment. */
export interface LaunchItem {
  /** The job (its last attempt is the one to run). */
  job: RunnableJob;
  /** Size of the parent of an array child. */
  arraySize?: number;
  /** Queue name. */
  queue: string;
  /** Compute environment name. */
  ce: string;
}

/** The supervisor's handle on a running attempt. */
export interface RunningHandle {
  /** Attempt number. */
  attempt: number;
  /** When its process started (epoch ms). */
  startedAt?: number;
  /** Kills it (set once the process started). */
  kill?: (graceMs: number) => Promise<void>;
  /** Why the supervisor is killing it. */
  killing?: "timeout" | "terminate" | "shutdown";
  /** Resolves when the attempt is over and its log closed. */
  done: Promise<void>;
}

/** Starts the last attempt of `item.job`; events go to `context.report`. */
export function launchAttempt(
  item: LaunchItem,
  context: {
    stateDir: string;
    runtime: Runtime;
    isolation: Isolation;
    report: (event: AttemptEvent) => void;
    disk?: LocalDisk;
    launcher?: Launcher;
  },
): RunningHandle {
  const { job } = item;
  const attempt = job.attempts.at(-1)!;
  let resolveDone!: () => void;
  const running: RunningHandle = { attempt: attempt.attempt, done: new Promise((r) => (resolveDone = r)) };
  const base = { jobId: job.jobId, attempt: attempt.attempt };
  (async () => {
    let log: LogWriter | undefined;
    try {
      const stream = { group: job.spec.logGroup, stream: attempt.logStreamName };
      // Created by startAttempt (or the launcher), before the job's process starts.
      log = LogWriter.lazy(context.stateDir, stream, context.disk ? { disk: context.disk } : {});
      const started = await startAttempt({
        job,
        attempt,
        placement: {
          queue: item.queue,
          computeEnvironment: item.ce,
          attempt: attempt.attempt,
          ...(item.arraySize ? { arraySize: item.arraySize } : {}),
        },
        runtime: context.runtime,
        isolation: context.isolation,
        log,
        ...(context.launcher ? { launcher: context.launcher } : {}),
      });
      running.kill = started.kill;
      running.startedAt = Date.now();
      context.report({
        kind: "started",
        ...base,
        pid: started.pid,
        at: running.startedAt,
        ...(started.pidStart ? { pidStart: started.pidStart } : {}),
      });
      if (running.killing) started.kill(0).catch(() => {});
      const exit = await started.exited;
      // The job ends once nothing it left is running (as a container's end does), not after the first sweep: a
      // process caught in the middle of exec by that sweep shows no marker and would outlive the job's end.
      await started.settled();
      context.report({ kind: "exited", ...base, exit, at: Date.now() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await log?.write([`[ezbatch local] Cannot start the job: ${message}`]).catch(() => {});
      const exit = isOutOfSpace(error)
        ? { fault: writeFailure("The job could not start", error) }
        : { reason: `CannotStartContainerError: ${message}` };
      context.report({ kind: "exited", ...base, exit, at: Date.now() });
    } finally {
      log?.close();
      resolveDone();
    }
  })();
  return running;
}
