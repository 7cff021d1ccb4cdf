/**
 * Runs the real CLI (`deno run -A main.ts`) in a child process, for the black-box tests: a clean environment (no
 * AWS credentials or ezbatch settings of the machine running the tests), and the local backend's daemon stopped
 * afterwards.
 */
import { processAlive } from "../../core/local/process_tree.ts";
import { StateStore } from "../../core/local/store.ts";

/** Path of the CLI entry point. */
export const MAIN: string = new URL("../../main.ts", import.meta.url).pathname;

const DENO_DIR = await (async () => {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  return (JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir: string }).denoDir;
})();

/** The environment of this process without AWS credentials or ezbatch settings, plus `env` on top. */
export function cliEnv(env: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("EZBATCH_")),
  );
  // Tests give the CLI a fresh HOME: keep Deno's cache where it is, or every spawn would download again.
  base.DENO_DIR ??= DENO_DIR;
  return { ...base, NO_COLOR: "", ...env };
}

/** Starts `main.ts args` with piped stdout and stderr; the caller reads them and awaits `status`. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    clearEnv: true,
    env: cliEnv(env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** What one run of the CLI printed and returned. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts args` to the end and returns its exit code and output. */
export async function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<CliOutput> {
  const out = await spawnCli(args, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Ends the local supervisor daemon our commands started for `stateDir` (by its pid), and waits for it. */
export async function stopDaemon(stateDir: string): Promise<void> {
  const store = new StateStore(stateDir);
  const info = await store.readSupervisor();
  if (!info || !processAlive(info.pid, info.pidStart)) return;
  Deno.kill(info.pid, "SIGTERM");
  for (let i = 0; i < 100 && processAlive(info.pid, info.pidStart); i++) await new Promise((r) => setTimeout(r, 50));
}
