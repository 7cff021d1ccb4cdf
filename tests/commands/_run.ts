/** Runs the CLI in-process against a backend and captures what it printed. */
import { runCli } from "../../main.ts";
import type { CliEnvironment } from "../../commands/context.ts";

/** What one run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sink that collects text. */
export function collector(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => void chunks.push(s), text: () => chunks.join("") };
}

/** Runs `args` with a fake clock whose sleeps advance it, no poll delay, and no settings unless given. */
export async function run(args: string[], environment: CliEnvironment = {}): Promise<RunResult> {
  const out = collector();
  const err = collector();
  let clock = 1_700_000_000_000;
  const code = await runCli(args, {
    stdout: out,
    stderr: err,
    env: {},
    settings: {},
    now: () => clock,
    sleep: (ms) => {
      clock += Math.max(ms, 1000);
      return Promise.resolve();
    },
    pollIntervalMs: 5000,
    createBackend: () => Promise.reject(new Error("no backend in this test")),
    ...environment,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
