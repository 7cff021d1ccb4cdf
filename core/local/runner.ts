/**
 * Runs one attempt of a local job as a process and captures its output as a log stream.
 *
 * Runtimes: with `docker` or `podman` (used when `docker info` / `podman info` succeeds) the job's image runs
 * with its command, environment, resources and the aws shim mounted, and is stopped through the engine (SIGTERM,
 * then SIGKILL after the kill grace rounded up to whole seconds). Otherwise the command runs on this machine
 * in a fresh work directory (`work/<job>/<attempt>/cwd` under the state directory), as its own process group, so
 * a terminate or timeout kills everything it started.
 *
 * Container paths such as `/data/in` on the host: where the OS allows (root, `unshare --mount`), each job gets a
 * private mount namespace whose root is `work/<job>/<attempt>/rootfs`, a directory holding bind mounts of this
 * machine's top-level directories and symlinks, entered with `chroot`. Every host path (the state directory, the
 * s3 directory, tools on PATH) is the same inside, while a path that does not exist on the host, such as
 * `/data/in`, is created by the job inside its own rootfs: private to the job, like a container's filesystem, and
 * left on disk for inspection. The binds exist only in the job's namespace, so deleting the work directory from
 * outside never reaches host files. Where the OS does not allow it, the command runs without isolation and the
 * job's log starts with a line saying that container paths are this machine's own paths.
 * @module
 */
import { join } from "node:path";
import { engineArgs, featureNotes, namespaceVolumes, prepareVolumes } from "./features.ts";
import type { AttemptRecord, RunnableJob } from "./_types.ts";
import { AWS_SHIM_SCRIPT } from "./aws_shim.ts";
import { jobEnvironment, type Placement } from "./environment.ts";
import { type LogWriter, pumpLines } from "./logs.ts";
import { writeFailure } from "./_disk.ts";
import { ATTEMPT_MARKER, killTree, processStart } from "./process_tree.ts";
import { LeftoverReaper } from "./reaper.ts";
import { spawnInOwnGroup } from "./spawn.ts";

const reaper = new LeftoverReaper();

/** How jobs run: `host` processes or containers of an engine. */
export type Runtime = "host" | "docker" | "podman";
/** Host isolation: a private mount namespace, or none. */
export type Isolation = "namespace" | "none";

async function succeeds(cmd: string, args: string[], timeoutMs = 5000): Promise<boolean> {
  try {
    const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const status = await child.status;
    clearTimeout(timer);
    return status.success;
  } catch {
    return false;
  }
}

/** Picks the runtime: docker, then podman, when their engine answers; otherwise the host. */
export async function detectRuntime(): Promise<Runtime> {
  if (await succeeds("docker", ["info"])) return "docker";
  if (await succeeds("podman", ["info"])) return "podman";
  return "host";
}

/** Whether this process may give jobs a private mount namespace (needs root and `unshare`). */
export async function detectIsolation(): Promise<Isolation> {
  if (Deno.uid() !== 0) return "none";
  return await succeeds("unshare", ["--mount", "--propagation", "private", "true"]) ? "namespace" : "none";
}

const NAMESPACE_SETUP = `set -e
root=$1; cwd=$2; fstab=$3; shift 3
mount --make-rprivate /
mount -a -T "$fstab"
exec chroot "$root" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$cwd" "$@"
`;

function fstabPath(path: string): string {
  return path.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
}

/**
 * Prepares `root` for a private mount namespace: a directory (or empty file) for each top-level entry of `/`, a
 * copy of each top-level symlink, and an fstab that binds each entry (recursively) onto its twin. Done here
 * rather than in the shell so that the namespace needs only three processes (mount, mount -a, chroot).
 */
async function prepareRoot(root: string, fstab: string): Promise<void> {
  await Deno.mkdir(root, { recursive: true });
  const lines: string[] = [];
  for await (const entry of Deno.readDir("/")) {
    const host = `/${entry.name}`;
    const twin = join(root, entry.name);
    if (entry.isSymlink) {
      await Deno.symlink(await Deno.readLink(host), twin).catch(() => {});
      continue;
    }
    if (entry.isDirectory) await Deno.mkdir(twin, { recursive: true });
    else await Deno.writeFile(twin, new Uint8Array(), { create: true });
    lines.push(`${fstabPath(host)} ${fstabPath(twin)} none ${entry.isDirectory ? "rbind" : "bind"} 0 0`);
  }
  await Deno.writeTextFile(fstab, lines.join("\n") + "\n");
}

/** The marker of an attempt's processes: the unique last part of its log stream name. */
export function attemptMarker(attempt: AttemptRecord): string {
  return attempt.logStreamName.slice(attempt.logStreamName.lastIndexOf("/") + 1);
}

/** What to run. */
export interface AttemptRequest {
  /** The job, with its spec resolved. */
  job: RunnableJob;
  /** The attempt record (its workDir is created here). */
  attempt: AttemptRecord;
  /** Where it was placed. */
  placement: Placement;
  /** Runtime to use. */
  runtime: Runtime;
  /** Isolation on the host runtime. */
  isolation: Isolation;
  /** The attempt's log. */
  log: LogWriter;
}

/** How an attempt's process ended. */
export interface ProcessExit {
  /** Exit code (128 + signal number when killed by a signal). */
  exitCode?: number;
  /** Container reason, e.g. for a command that could not start. */
  reason?: string;
  /** This machine failed the attempt (its log could not be written, e.g. a full disk): the job fails with this. */
  fault?: string;
}

/** A started attempt. */
export interface RunningAttempt {
  /** Process group leader. */
  pid: number;
  /** Its start time. */
  pidStart?: string;
  /** Resolves when the process ended and its output is in the log. */
  exited: Promise<ProcessExit>;
  /** After `exited`: resolves once a later sweep found nothing of the attempt left (a process caught mid-exec). */
  settled(): Promise<void>;
  /** Kills the attempt and everything it started. */
  kill(graceMs: number): Promise<void>;
}

/** Starts an attempt; throws when the process cannot be started (the caller records CannotStartContainerError). */
export async function startAttempt(request: AttemptRequest): Promise<RunningAttempt> {
  const { job, attempt, log } = request;
  const engine = request.runtime;
  // No command: a container engine runs the image's CMD; only on the host is there nothing to run.
  const command = job.spec.command ?? [];
  if (engine === "host" && command.length === 0) {
    throw new Error("The job has no command and the image's CMD is unknown without a container engine");
  }
  const cwd = join(attempt.workDir, "cwd");
  await Deno.mkdir(cwd, { recursive: true }); // async: three new directories, slow on some file systems
  const { env, warnings } = jobEnvironment(job, request.placement);
  const marker = attemptMarker(attempt);
  env[ATTEMPT_MARKER] = marker;
  const notes = [...warnings, ...featureNotes(job.spec.features, engine, request.isolation)];
  if (engine !== "host") await prepareVolumes(job.spec.features, attempt.workDir);
  if (job.s3Dir) {
    const bin = join(attempt.workDir, "bin");
    await Deno.mkdir(bin, { recursive: true });
    await Deno.writeTextFile(join(bin, "aws"), AWS_SHIM_SCRIPT, { mode: 0o755 });
    env.PATH = `${bin}:${env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}`;
    env.EZBATCH_S3_DIR = job.s3Dir;
  }
  let argv: string[];
  const containerName = `ezbatch-${job.jobId.replace(/[^A-Za-z0-9_.-]/g, "-")}-${attempt.attempt}`;
  let spawnEnv = env;
  if (engine === "docker" || engine === "podman") {
    argv = containerArgv(engine, containerName, job, env, attempt.workDir, command);
    // The engine's client runs on this machine and needs its PATH; the job's own PATH is in argv as a value.
    spawnEnv = { ...env, PATH: Deno.env.get("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
  } else if (request.isolation === "namespace") {
    const root = join(attempt.workDir, "rootfs");
    const fstab = join(attempt.workDir, "fstab");
    await prepareRoot(root, fstab);
    // The job's volumes, bound after the top-level directories (fstab order) so that they land inside them.
    const volumes = await namespaceVolumes(job.spec.features, attempt.workDir, root);
    notes.push(...volumes.notes);
    const lines = volumes.binds.map((b) =>
      `${fstabPath(b.source)} ${fstabPath(b.target)} none bind${b.readOnly ? ",ro" : ""} 0 0\n`
    );
    if (lines.length) await Deno.writeTextFile(fstab, lines.join(""), { append: true });
    argv = ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", NAMESPACE_SETUP, "ezbatch-namespace"];
    argv.push(root, cwd, fstab, ...command);
  } else {
    notes.push("No private mount namespace here (needs root and unshare): container paths are this machine's paths");
    argv = command;
  }
  if (notes.length > 0) await log.write(notes.map((n) => `[ezbatch local] ${n}`));
  const child = spawnInOwnGroup(argv, { cwd, env: spawnEnv });
  const pid = child.pid;
  const pidStart = processStart(pid);
  // A job whose output cannot be kept (a full disk) is stopped and failed with the reason, as AWS Batch fails a
  // task whose log driver fails. The pipes are still drained so the job is never blocked writing its output.
  let logFailure: unknown;
  let kill: (graceMs: number) => Promise<void> = () => Promise.resolve();
  const sink = async (lines: string[]) => {
    if (logFailure !== undefined) return;
    try {
      await log.write(lines);
    } catch (error) {
      logFailure = error;
      kill(1000).catch(() => {});
    }
  };
  const pumps = Promise.all([pumpLines(child.stdout, sink), pumpLines(child.stderr, sink)]).catch(() => {});
  const status = child.status;
  let settled: Promise<void> = Promise.resolve();
  const exited = (async (): Promise<ProcessExit> => {
    const result = await status;
    // As when a container's main process ends: whatever it left behind dies with it (which also closes the
    // output pipes that background processes inherited).
    const sweep = reaper.clear(pid, marker);
    settled = sweep.settled;
    await sweep.swept;
    await pumps;
    if (logFailure === undefined) return { exitCode: result.code };
    return {
      exitCode: result.code,
      fault: writeFailure(`The job's output could not be written to its log`, logFailure),
    };
  })();
  kill = async (graceMs: number) => {
    if (engine === "docker" || engine === "podman") {
      // `stop`, not `kill`: as when AWS Batch stops a job, SIGTERM first and SIGKILL only after the grace (in
      // whole seconds), so the job can clean up. The SIGKILL that killTree may send the client never reaches
      // the container, which is not its child.
      const time = `--time=${Math.ceil(graceMs / 1000)}`;
      await succeeds(engine, ["stop", time, containerName], graceMs + 10_000);
    }
    await killTree(pid, { graceMs, exited: status, marker });
  };
  return { pid, ...(pidStart ? { pidStart } : {}), exited, settled: () => settled, kill };
}

function containerArgv(
  engine: "docker" | "podman",
  name: string,
  job: RunnableJob,
  env: Record<string, string>,
  workDir: string,
  command: string[],
): string[] {
  const argv = [engine, "run", "--rm", "--init", "--name", name];
  argv.push(`--cpus=${job.spec.vcpus}`, `--memory=${job.spec.memory}m`);
  // GPUs as each engine takes them: docker's count; podman's CDI device (NVIDIA Container Toolkit), all of them.
  if (job.spec.gpus > 0) argv.push(engine === "docker" ? `--gpus=${job.spec.gpus}` : "--device=nvidia.com/gpu=all");
  const names = [...job.spec.environment.map((e) => e.name), ...job.spec.secrets.map((s) => s.name)];
  names.push(
    ...Object.keys(env).filter((k) =>
      k.startsWith("AWS_BATCH_") ||
      /^AWS_(REGION|DEFAULT_REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ENDPOINT_URL)$/.test(k)
    ),
  );
  if (job.s3Dir) {
    argv.push("-v", `${job.s3Dir}:${job.s3Dir}`, "-v", `${join(workDir, "bin")}:/opt/ezbatch/bin:ro`);
    names.push("EZBATCH_S3_DIR");
  }
  // PATH goes by value: the client's own PATH is this machine's (to find the engine), not the job's. The shim goes
  // first on the job's PATH, or on the usual one.
  const own = job.spec.environment.find((e) => e.name === "PATH")?.value;
  const shim = job.s3Dir ? "/opt/ezbatch/bin:" : "";
  if (shim || own) {
    argv.push("-e", `PATH=${shim}${own ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}`);
  }
  for (const n of new Set(names)) if (env[n] !== undefined && n !== "PATH") argv.push("-e", n);
  argv.push(...engineArgs(job.spec.features, workDir));
  argv.push(job.spec.image, ...command);
  return argv;
}
