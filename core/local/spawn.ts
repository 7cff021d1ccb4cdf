/**
 * Starting a job's process as the leader of its own process group (and session), so that a terminate or timeout
 * can signal everything it started. Deno's `detached: true` does that but costs 5-8 ms per spawn (measured, against
 * about 1.3 ms without it), most of the time of a trivial job; `setsid(1)` (util-linux, busybox) does the same
 * for the price of one more exec. Without `setsid` on the machine, `detached` is used.
 * @module
 */
import { join } from "node:path";
import { pumpLines } from "./logs.ts";

/** A started job process, as the runner uses it (from `spawnJob` or the launcher, launcher.ts). */
export interface JobProcess {
  /** Leader of the job's process group and session. */
  pid: number;
  /** Its start time (field 22 of /proc/PID/stat), when the launcher read it. */
  pidStart?: string;
  /** Resolves when the process ended: its exit code, or 128 + the signal that killed it. */
  status: Promise<{ code: number }>;
  /**
   * Passes the lines of its stdout and stderr to `sink`, one call at a time (the next waits for the last); resolves
   * once both pipes closed (every process holding them ended or closed them) and `sink` took the last lines.
   */
  pump(sink: (lines: string[]) => Promise<void>): Promise<void>;
}

const found = new Map<string, string | undefined>();

/** The path of a system program (`setsid`, `perl`) in the usual directories, or undefined; looked up once. */
export function findProgram(name: string): string | undefined {
  if (!found.has(name)) {
    const dir = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"].find((d) => isExecutable(join(d, name)));
    found.set(name, dir ? join(dir, name) : undefined);
  }
  return found.get(name);
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * The program `argv[0]` names, as exec would find it: a path with a slash (relative to `cwd`), else the first
 * executable file of that name on `PATH`. Throws as Deno's spawn would when there is none, so a missing command
 * still fails the attempt with CannotStartContainerError rather than a setsid error in the job's log.
 */
export function resolveProgram(program: string, cwd: string, path: string | undefined): string {
  if (program.includes("/")) {
    const full = program.startsWith("/") ? program : join(cwd, program);
    if (isExecutable(full)) return program;
  } else {
    for (const dir of (path ?? "/usr/local/bin:/usr/bin:/bin").split(":")) {
      if (dir && isExecutable(join(dir, program))) return program;
    }
  }
  throw new Deno.errors.NotFound(`Failed to spawn '${program}': entity not found`);
}

/** Spawns `argv` with piped output, no stdin and exactly `env`, as the leader of a new process group. */
export function spawnInOwnGroup(
  argv: string[],
  options: { cwd: string; env: Record<string, string> },
): Deno.ChildProcess {
  const common = {
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  } as const;
  const launcher = findProgram("setsid");
  if (!launcher) return new Deno.Command(argv[0]!, { ...common, args: argv.slice(1), detached: true }).spawn();
  resolveProgram(argv[0]!, options.cwd, options.env.PATH);
  return new Deno.Command(launcher, { ...common, args: argv }).spawn();
}

/** `spawnInOwnGroup` as a {@link JobProcess}. */
export function spawnJob(argv: string[], options: { cwd: string; env: Record<string, string> }): JobProcess {
  const child = spawnInOwnGroup(argv, options);
  return {
    pid: child.pid,
    status: child.status,
    pump: async (sink) => {
      await Promise.all([pumpLines(child.stdout, sink), pumpLines(child.stderr, sink)]);
    },
  };
}
