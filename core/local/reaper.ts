/**
 * The end of an attempt, as when a container stops: whatever its main process left running is killed. Finding
 * those processes means reading the environment of every process in /proc (markers, process_tree.ts), which
 * costs milliseconds; with many short jobs ending at once one scan serves all of them, instead of two or more
 * per job. A process in the middle of exec shows no environment, so an attempt is settled only once a scan at least
 * `SETTLE_MS` after its first found nothing left (a single sweep missed one about one time in ten, measured). The job
 * ends (its budget free, its status final) once settled: ending it after the first scan let a process caught in exec
 * outlive the job's end (seen in CI under load). A scan that saw no such process (none with an empty environment
 * outside the sessions of running jobs) is conclusive: an attempt it found nothing of is settled at once, so a
 * stream of short jobs does not hold each one's budget for the settling time.
 * @module
 */
import { scanMarked, type ScanMemory } from "./process_tree.ts";
import { soon } from "./_soon.ts";

const SETTLE_MS = 10;
/** Scans are at least this far apart, so a stream of endings costs a bounded share of a core. */
const MIN_GAP_MS = 2;
const MAX_SCANS = 12;
/** Scans further apart than this start afresh (pids could have been reused meanwhile). */
const FORGET_AFTER_MS = 500;

interface Pending {
  first?: number;
  scans: number;
  swept: () => void;
  resolve: () => void;
}

/** The sweep of one ended attempt. */
export interface Sweep {
  /** The first scan is done: everything of the attempt that could be seen is killed. */
  swept: Promise<void>;
  /** A later scan found nothing left (or a dozen scans were made). */
  settled: Promise<void>;
}

/** Kills the leftovers of ended attempts, batching the /proc scans. */
export class LeftoverReaper {
  #pending = new Map<string, Pending>();
  #cancel: (() => void) | undefined;
  #due = Infinity;
  #last = -Infinity;
  #memory: ScanMemory = { unmarked: new Set(), marked: new Map() };
  #liveSessions: () => ReadonlySet<number>;

  /** `liveSessions` gives the pids of the running job leaders (see `scanMarked`). */
  constructor(liveSessions: () => ReadonlySet<number> = () => new Set()) {
    this.#liveSessions = liveSessions;
  }

  /**
   * Tells the scans that `pid` (an attempt's process just started) carries `marker`, so they need not read its
   * environment while its attempt runs (they read it again before acting on it, once its marker is searched for).
   */
  know(pid: number, marker: string): void {
    this.#memory.marked.set(pid, marker);
  }

  /**
   * Kills the process group led by `pid` and every process marked with `marker`, scanning until none is left
   * (or a dozen scans were made, as the sweeps before did).
   */
  clear(pid: number, marker: string): Sweep {
    try {
      Deno.kill(-pid, "SIGKILL");
    } catch { /* the group is gone */ }
    let swept!: () => void;
    let resolve!: () => void;
    const sweep = { swept: new Promise<void>((r) => (swept = r)), settled: new Promise<void>((r) => (resolve = r)) };
    this.#pending.set(marker, { scans: 0, swept, resolve });
    this.#schedule(performance.now());
    return sweep;
  }

  #schedule(at: number): void {
    const due = Math.max(at, this.#last + MIN_GAP_MS);
    if (due >= this.#due) return;
    this.#cancel?.();
    this.#due = due;
    this.#cancel = soon(() => this.#round(), due - performance.now());
  }

  #round(): void {
    this.#cancel = undefined;
    this.#due = Infinity;
    const now = performance.now();
    // A process seen unmarked keeps its environment (exec with a new one is how a job's process would drop its
    // marker, never gain one), so it is skipped next time; a pid reused for a new process would be missed, and
    // pids are reused only after the counter went round all of pid_max: the memory is dropped after a pause.
    if (now - this.#last > FORGET_AFTER_MS) this.#memory = { unmarked: new Set(), marked: new Map() };
    const scan = scanMarked(new Set(this.#pending.keys()), this.#memory, this.#liveSessions());
    const found = scan.found;
    this.#last = now;
    for (const pids of found.values()) {
      for (const pid of pids) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone already */ }
      }
    }
    let next = Infinity;
    for (const [marker, entry] of this.#pending) {
      entry.first ??= now;
      entry.scans++;
      entry.swept();
      const settled = !found.has(marker) && (!scan.ambiguous || now - entry.first >= SETTLE_MS);
      if (settled || entry.scans >= MAX_SCANS) {
        this.#pending.delete(marker);
        entry.resolve();
      } else next = Math.min(next, Math.max(entry.first + SETTLE_MS, now + SETTLE_MS / 2));
    }
    if (next < Infinity) this.#schedule(next);
  }
}
