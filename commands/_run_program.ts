/**
 * The full run of the CLI through commander: builds the context and the program, parses `args`, and maps errors
 * to exit codes. `main.ts` imports this module only when its fast path (root help, version) does not apply,
 * because loading it starts Deno's Node layer and loads commander and the other npm packages of the commands; the
 * program then loads only the command group `args` names (commands/program.ts).
 * @module
 */
import { createBackend, loadSettings } from "./backend_factory.ts";
import { CliContext, type CliEnvironment } from "./context.ts";
import { buildProgram } from "./program.ts";
import { EXIT_OK, reportError } from "./report.ts";

/** Runs `args` (without the program name) through commander and returns the exit code; never exits. */
export async function runProgram(args: string[], environment: CliEnvironment = {}): Promise<number> {
  const ctx = new CliContext({ createBackend, loadSettings, ...environment });
  if (args.includes("--no-color")) ctx.globals.color = false;
  const program = await buildProgram(ctx, args);
  if (args.length === 0) {
    program.outputHelp();
    return EXIT_OK;
  }
  try {
    await program.parseAsync(args, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, ctx);
  }
}
