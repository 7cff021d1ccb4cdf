/**
 * The ezbatch command line. The only module that exits: it builds the program, runs it, and maps errors to
 * messages and exit codes (0 success, 1 runtime error, 2 usage error).
 *
 * @example Run a command in-process
 * ```ts
 * import { runCli } from "./main.ts";
 * const code = await runCli(["workflow", "schema"], { stdout: { write: (s) => console.log(s) } });
 * ```
 * @module
 */
import { createBackend } from "./commands/backend_factory.ts";
import { CliContext, type CliEnvironment, type TextSink } from "./commands/context.ts";
import { buildProgram } from "./commands/program.ts";
import { EXIT_OK, reportError } from "./commands/report.ts";

export type { CliEnvironment, TextSink } from "./commands/context.ts";

/**
 * Runs the CLI with `args` (without the program name) and returns the exit code: 0 success, 1 runtime error,
 * 2 usage error (a command may return another code, e.g. `jobs watch` returns the job's exit code).
 * Never exits the process.
 */
export async function runCli(args: string[], environment: CliEnvironment = {}): Promise<number> {
  const ctx = new CliContext({ createBackend, ...environment });
  if (args.includes("--no-color")) ctx.globals.color = false;
  const program = buildProgram(ctx);
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

/** A sink over a Deno file (stdout or stderr) that writes everything and ignores a closed pipe. */
function fileSink(file: typeof Deno.stdout): TextSink {
  const encoder = new TextEncoder();
  const isTTY = file.isTerminal();
  return {
    isTTY,
    get columns() {
      try {
        return isTTY ? Deno.consoleSize().columns : undefined;
      } catch {
        return undefined;
      }
    },
    write(text: string) {
      let bytes = encoder.encode(text);
      try {
        while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
      } catch (error) {
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      }
    },
  };
}

if (import.meta.main) {
  const controller = new AbortController();
  Deno.addSignalListener("SIGINT", () => {
    if (controller.signal.aborted) Deno.exit(130);
    controller.abort(new DOMException("Interrupted", "AbortError"));
  });
  const code = await runCli(Deno.args, {
    env: Deno.env.toObject(),
    stdout: fileSink(Deno.stdout),
    stderr: fileSink(Deno.stderr),
    stdin: Deno.stdin.readable,
    signal: controller.signal,
  });
  Deno.exit(code);
}
