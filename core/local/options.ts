/**
 * The settings of a `LocalBackend`: where its state lives, how its supervisor runs jobs, and its budget.
 * @module
 */
import type { Isolation, Runtime } from "./runner.ts";

/** Options of {@linkcode LocalBackend}. */
export interface LocalBackendOptions {
  /** State directory. Default: `$EZBATCH_STATE_DIR`, else `$XDG_STATE_HOME/ezbatch/local` (~/.local/state/...). */
  stateDir?: string;
  /**
   * `daemon` (default): a detached supervisor process runs the jobs, so they outlive this process and other
   * shells see them. `in-process`: this process runs them (tests, the TUI); call `close()` when done.
   */
  mode?: "daemon" | "in-process";
  /** Serve `s3://bucket/key` from `DIR/bucket/key` in jobs submitted by this backend (offline S3 mounts). */
  s3Dir?: string;
  /** Create unknown queues as local queues on submit (default true), so any workflow's queue name works. */
  autoCreateQueues?: boolean;
  /** vCPU budget of the supervisor this backend starts. Default: this machine's cores. */
  vcpus?: number;
  /** Memory budget (MiB) of the supervisor this backend starts. Default: this machine's memory. */
  memory?: number;
  /** `auto` (default): docker or podman when their engine answers, else the host. */
  runtime?: Runtime | "auto";
  /** `auto` (default): a private mount namespace per job where allowed, else none. */
  isolation?: Isolation | "auto";
  /** A supervisor whose heartbeat is older is dead and its running jobs FAILED. Default 15,000 ms. */
  staleAfterMs?: number;
  /** Scheduling period of the supervisor. Default 100 ms. */
  tickMs?: number;
  /** SIGTERM to SIGKILL delay on terminate and timeout. Default 2,000 ms. */
  killGraceMs?: number;
  /** A daemon exits after this long with nothing to do. Default 10,000 ms. */
  idleExitMs?: number;
  /**
   * How to start a daemon supervisor: an argv to which `--state-dir DIR` and the budget flags are appended.
   * Default: `deno run -A <supervisor_main.ts>` resolved from this module (a bundled CLI passes its own hidden
   * command that calls `runLocalSupervisor`).
   */
  supervisorCommand?: string[];
}

/**
 * How to raise the local budget for a job that asks for more than all of it, e.g. " with --local-vcpus 8 (setting
 * localVcpus, ...)": the supervisor FAILs such a job at once, and its reason must say what to do.
 */
export function raiseBudgetHint(
  asks: { vcpus: number; memory: number },
  budget: { vcpus: number; memory: number },
): string {
  const raise = [
    ...(asks.vcpus > budget.vcpus ? [`--local-vcpus ${Math.ceil(asks.vcpus)} (setting localVcpus)`] : []),
    ...(asks.memory > budget.memory ? [`--local-memory ${Math.ceil(asks.memory)} (setting localMemory)`] : []),
  ];
  const key = asks.vcpus > budget.vcpus ? "localVcpus" : "localMemory";
  const value = Math.ceil(asks.vcpus > budget.vcpus ? asks.vcpus : asks.memory);
  return ` with ${raise.join(" and ")}, e.g. 'ezbatch config set ${key} ${value}' (in a script: LocalBackend's ` +
    `vcpus and memory options); a local supervisor already running keeps its budget until it has been idle 10 s`;
}
