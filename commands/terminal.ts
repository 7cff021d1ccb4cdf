/**
 * `ezbatch monitor` and `ezbatch interactive`: the terminal faces in tui/. They are imported only when used, through
 * a computed specifier, so `--help` and the other commands never load ink and React, and the offline bundle (which
 * cannot carry ink's optional devtools import) still builds.
 * @module
 */
import process from "node:process";
import { UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples } from "./program.ts";

type TuiModule = typeof import("../tui/mod.ts");

async function loadTui(): Promise<TuiModule> {
  // ink draws only a final frame when it believes it runs in CI (CI=true at import). Both faces run only on a real
  // terminal (checked by the callers), so a CI variable inherited by a person's shell must not freeze the screen.
  for (const name of ["CI", "CONTINUOUS_INTEGRATION"]) delete process.env[name];
  const specifier = new URL("../tui/mod.ts", import.meta.url).href;
  try {
    return await import(specifier) as TuiModule;
  } catch (error) {
    throw new UsageError(
      "The terminal UI is not part of this build of ezbatch; run it from source or a compiled binary",
      { cause: error },
    );
  }
}

/** Adds `monitor` and `interactive` to `program`. */
export function registerTerminalCommands(program: AnyCommand, ctx: CliContext): void {
  const monitor = program.command("monitor")
    .description("full-screen monitor of queues, jobs, workflow runs and logs (needs a terminal)")
    .option("-q, --queue <name>", "queue selected first")
    .option("--run <id>", "show this workflow run's jobs first")
    .option("--interval <seconds>", "seconds between refreshes", "5")
    .action(async (options: { queue?: string; run?: string; interval: string }) => {
      const seconds = Number(options.interval);
      if (!Number.isFinite(seconds) || seconds < 1) {
        throw new UsageError(`--interval must be a number of seconds of at least 1, got '${options.interval}'`);
      }
      // Both ends: ink reads keys in raw mode, which a pipe or /dev/null on stdin cannot give.
      const notTerminal = !process.stdout.isTTY ? "stdout" : !process.stdin.isTTY ? "stdin" : undefined;
      if (notTerminal) {
        throw new UsageError(
          `The monitor needs a terminal, and ${notTerminal} is not one. ` +
            "To read jobs from a script use 'ezbatch jobs list --json', or 'ezbatch jobs watch JOB_ID'.",
        );
      }
      const tui = await loadTui();
      await tui.runMonitor(await ctx.backend(), {
        stdin: process.stdin,
        stdout: process.stdout,
        intervalMs: seconds * 1000,
        ...(options.queue ? { queue: options.queue } : {}),
        ...(options.run ? { runId: options.run } : {}),
      });
    });
  examples(monitor, "ezbatch monitor", "ezbatch monitor --local --queue my-queue", "ezbatch monitor --run a1b2c3d4");

  const interactive = program.command("interactive")
    .description("menus and prompts for infrastructure, jobs, workflows and settings")
    .action(async () => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError("Interactive mode needs a terminal on stdin and stdout; use the commands directly");
      }
      const tui = await loadTui();
      const { planOptions } = await import("./workflow_plan.ts");
      const { LOCAL_EXECUTION_ROLE } = await import("../core/actions/roles.ts");
      const local = ctx.wantsLocal || (await ctx.settings()).backend === "local";
      const globals = [
        ...(ctx.globals.region ? ["--region", ctx.globals.region] : []),
        ...(ctx.globals.profile ? ["--profile", ctx.globals.profile] : []),
        ...(ctx.wantsLocal ? ["--local"] : []),
      ];
      await tui.runInteractive({
        backend: () => ctx.backend(),
        settings: () => ctx.settings(),
        // The plan options the CLI would use: with --local the queue 'ezbatch-local' and no execution role needed.
        planOptions: async () => ({
          ...(local ? { executionRoleArn: LOCAL_EXECUTION_ROLE } : {}),
          ...await planOptions(ctx, {}),
        }),
        globals,
      });
    });
  examples(interactive, "ezbatch interactive", "ezbatch --local interactive");
}
