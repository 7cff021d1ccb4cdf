/** Test helpers: build jobs and run the preloader wrapper with dash against s3rver. */
import type { EZBatchJob, S3Mount } from "../../core/model.ts";
import { containerLaunch, type LaunchOptions } from "../../preloader/mod.ts";
import { AWS_CLI, type S3rverHandle } from "../support/s3rver.ts";

/** The shell the tests run the wrapper with: dash (POSIX), as Debian's /bin/sh. */
export const SHELL = (() => {
  for (const p of ["/usr/bin/dash", "/bin/dash"]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* next */ }
  }
  return "/bin/sh";
})();

/** A job with defaults filled in. */
export function job(fields: Partial<EZBatchJob> = {}): EZBatchJob {
  return {
    image: "alpine",
    environment: {},
    secrets: {},
    mounts: { read: [], write: [] },
    vcpus: 1,
    memory: 2048,
    gpus: 0,
    platform: "FARGATE",
    tags: {},
    preloader: true,
    ...fields,
  };
}

/** A mount with recursive false unless told. */
export function mount(source: string, destination: string, more: Partial<S3Mount> = {}): S3Mount {
  return { source, destination, recursive: false, ...more };
}

const TOOLS = ["date", "find", "ls", "awk", "mkdir", "sleep", "cat", "wc", "printf", "test", "echo", "env", "rm"];

/** A temp folder of symlinks to the basic tools the wrapper and test commands use, plus `aws` when asked. */
export async function toolDir(withAws: boolean): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "ezbatch-bin-" });
  for (const tool of TOOLS) {
    for (const base of ["/usr/bin", "/bin"]) {
      try {
        const real = await Deno.realPath(`${base}/${tool}`);
        await Deno.symlink(real, `${dir}/${tool}`);
        break;
      } catch { /* try next */ }
    }
  }
  await Deno.symlink(SHELL, `${dir}/sh`);
  if (withAws) await Deno.symlink(AWS_CLI, `${dir}/aws`);
  return dir;
}

/** What a wrapper run produced. */
export interface WrapperRun {
  /** Exit status. */
  code: number;
  /** Standard output (the user's command's). */
  stdout: string;
  /** Standard error (the wrapper's log lines and the command's errors). */
  stderr: string;
}

/** Options of {@link runWrapper}. */
export interface RunOptions extends LaunchOptions {
  /** The s3rver to talk to (sets AWS credentials and AWS_ENDPOINT_URL). */
  server?: S3rverHandle;
  /** Extra environment (e.g. AWS_BATCH_JOB_ARRAY_INDEX). */
  env?: Record<string, string>;
  /** PATH of the run; default a tool folder with aws. */
  path?: string;
}

/** Starts the job's launch (command and environment from containerLaunch) with dash, as a container would. */
export async function spawnWrapper(
  j: EZBatchJob,
  options: RunOptions & { stdin?: "piped" | "null" } = {},
): Promise<Deno.ChildProcess> {
  const launch = containerLaunch(j, options);
  const wrapped = launch.command[0] === "/bin/sh";
  const [program, ...args] = wrapped ? [SHELL, ...launch.command.slice(1)] : launch.command;
  const path = options.path ?? await toolDir(true);
  return new Deno.Command(program!, {
    args,
    clearEnv: true,
    env: {
      PATH: path,
      HOME: Deno.env.get("HOME") ?? "/tmp",
      EZBATCH_RETRY_DELAY: "0",
      ...(options.server?.env ?? {}),
      ...launch.environment,
      ...(options.env ?? {}),
    },
    stdin: options.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs the job's launch with dash and collects its exit status and output. */
export async function runWrapper(j: EZBatchJob, options: RunOptions = {}): Promise<WrapperRun> {
  const out = await (await spawnWrapper(j, options)).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
