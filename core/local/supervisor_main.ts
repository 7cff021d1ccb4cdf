/**
 * Entry point of the detached local supervisor: `deno run -A supervisor_main.ts --state-dir DIR [--vcpus N]
 * [--memory MIB] [--runtime R] [--isolation I] [--idle-exit-ms MS] [--stale-after-ms MS] [--tick-ms MS]
 * [--kill-grace-ms MS]`. Errors go to `DIR/supervisor.log`.
 * @module
 */
import { join } from "node:path";
import { EzBatchError } from "../errors.ts";
import { type LocalSupervisorOptions, runLocalSupervisor } from "./supervisor.ts";

/** Parses the supervisor's flags. */
export function parseSupervisorArgs(args: string[]): LocalSupervisorOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    const value = args[i + 1];
    if (!name.startsWith("--") || value === undefined) throw new Error(`Bad supervisor argument '${name}'`);
    flags.set(name.slice(2), value);
  }
  const stateDir = flags.get("state-dir");
  if (!stateDir) throw new Error("The supervisor needs --state-dir DIR");
  const num = (name: string) => flags.has(name) ? Number(flags.get(name)) : undefined;
  const options: LocalSupervisorOptions = { stateDir, mode: "daemon" };
  const set = <K extends keyof LocalSupervisorOptions>(key: K, value: LocalSupervisorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set("vcpus", num("vcpus"));
  set("memory", num("memory"));
  set("idleExitMs", num("idle-exit-ms"));
  set("staleAfterMs", num("stale-after-ms"));
  set("tickMs", num("tick-ms"));
  set("killGraceMs", num("kill-grace-ms"));
  set("runtime", flags.get("runtime") as LocalSupervisorOptions["runtime"]);
  set("isolation", flags.get("isolation") as LocalSupervisorOptions["isolation"]);
  return options;
}

/**
 * Runs a detached supervisor with the flags of {@link parseSupervisorArgs} until it is idle or signalled; errors go
 * to `DIR/supervisor.log`. Also reached through the CLI's hidden `__local-supervisor` command, so a bundled or
 * compiled ezbatch, which has no `supervisor_main.ts` file to run, can start its own daemon.
 */
export async function supervisorMain(args: string[]): Promise<void> {
  const options = parseSupervisorArgs(args);
  const logPath = join(options.stateDir, "supervisor.log");
  // Owner-only like every other state file (it quotes job data); chmod mends a log an older version left 0644.
  await Deno.chmod(logPath, 0o600).catch(() => {});
  const note = (text: string) => {
    try {
      Deno.writeTextFileSync(logPath, `${new Date().toISOString()} pid ${Deno.pid}: ${text}\n`, {
        append: true,
        mode: 0o600,
      });
    } catch { /* a full disk: the supervisor must outlive its own log */ }
  };
  // Our own errors say all in their message; anything else keeps its stack for the bug report.
  options.onError = (error) =>
    note(
      error instanceof EzBatchError
        ? error.message
        : error instanceof Error
        ? error.stack ?? error.message
        : String(error),
    );
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  options.signal = controller.signal;
  try {
    const ran = await runLocalSupervisor(options);
    if (!ran) note("another supervisor runs this state directory; exiting");
  } catch (error) {
    options.onError(error);
  } finally {
    Deno.removeSignalListener("SIGTERM", stop);
    Deno.removeSignalListener("SIGINT", stop);
  }
}

if (import.meta.main) {
  await supervisorMain(Deno.args);
  Deno.exit(0);
}
