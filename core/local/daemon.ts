/**
 * Starting the detached supervisor of a state directory. Jobs must keep running after the CLI that submitted them
 * exits, so `LocalBackend` (daemon mode) launches `deno run -A supervisor_main.ts --state-dir DIR ...` (or the
 * configured `supervisorCommand`) as a detached process when no live supervisor runs the directory. Under the state
 * lock it then writes a `pending` placeholder with the new pid, so that other readers polling while the daemon
 * starts do not launch more; the daemon claims the directory over the placeholder.
 * @module
 */
import type { Isolation, Runtime } from "./runner.ts";
import { supervisorDeath } from "./liveness.ts";
import { processStart } from "./process_tree.ts";
import type { StateStore } from "./store.ts";

/** How a daemon supervisor is started and configured. */
export interface DaemonSettings {
  /** The state directory. */
  stateDir: string;
  /** Argv to start it; the flags are appended. Default: `deno run -A <supervisor_main.ts>`. */
  supervisorCommand?: string[];
  /** Exit after this long with nothing to do (default 10,000 ms). */
  idleExitMs?: number;
  /** vCPU budget. */
  vcpus?: number;
  /** Memory budget (MiB). */
  memory?: number;
  /** Runtime. */
  runtime?: Runtime | "auto";
  /** Isolation. */
  isolation?: Isolation | "auto";
  /** Heartbeat age after which a supervisor counts as dead. */
  staleAfterMs: number;
  /** Scheduling period. */
  tickMs?: number;
  /** SIGTERM to SIGKILL delay. */
  killGraceMs?: number;
}

/** The argv that starts a daemon supervisor with `settings` (the flags `supervisor_main.ts` parses). */
export function daemonArgv(settings: DaemonSettings): string[] {
  const argv = settings.supervisorCommand ??
    [Deno.execPath(), "run", "-A", import.meta.resolve("./supervisor_main.ts")];
  const flags = ["--state-dir", settings.stateDir, "--idle-exit-ms", String(settings.idleExitMs ?? 10_000)];
  flags.push("--stale-after-ms", String(settings.staleAfterMs));
  if (settings.vcpus !== undefined) flags.push("--vcpus", String(settings.vcpus));
  if (settings.memory !== undefined) flags.push("--memory", String(settings.memory));
  if (settings.runtime) flags.push("--runtime", settings.runtime);
  if (settings.isolation) flags.push("--isolation", settings.isolation);
  if (settings.tickMs !== undefined) flags.push("--tick-ms", String(settings.tickMs));
  if (settings.killGraceMs !== undefined) flags.push("--kill-grace-ms", String(settings.killGraceMs));
  return [...argv, ...flags];
}

/** Starts a daemon supervisor for `store` unless a live one (or one starting) already runs it. */
export async function ensureDaemon(store: StateStore, settings: DaemonSettings): Promise<void> {
  if (!supervisorDeath(await store.readSupervisor(), Date.now(), settings.staleAfterMs)) return;
  await store.withLock(async () => {
    if (!supervisorDeath(await store.readSupervisor(), Date.now(), settings.staleAfterMs)) return;
    const [command, ...args] = daemonArgv(settings);
    const child = new Deno.Command(command!, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    child.unref();
    const now = Date.now();
    const pidStart = processStart(child.pid);
    await store.writeSupervisor({
      id: `pending-${crypto.randomUUID()}`,
      pid: child.pid,
      mode: "daemon",
      startedAt: now,
      heartbeatAt: now,
      pending: true,
      ...(pidStart ? { pidStart } : {}),
    });
  });
}
