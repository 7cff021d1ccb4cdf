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
// Only small local modules load up front: the root help and the version are printed before commander and the
// other npm packages load (they cost ~200 ms of start-up); everything else imports commands/_run_program.ts.
import { ROOT_HELP } from "./commands/_root_help.ts";
import type { CliEnvironment, TextSink } from "./commands/context.ts";
import { VERSION } from "./core/version.ts";
import { importLazily } from "./commands/_lazy.ts";

export type { CliEnvironment, TextSink } from "./commands/context.ts";

/** Boolean global options that change nothing about the root help or the version (commander accepts them first). */
const HARMLESS_GLOBALS = new Set(["--json", "--local", "--no-color", "-v", "--verbose"]);

/**
 * What commander would print for `args` when that is only the root help or the version, else undefined. Kept to
 * the exact forms whose output tests/commands/root_help_test.ts compares with commander's.
 */
function quickAnswer(args: string[]): string | undefined {
  if (args.length === 0) return ROOT_HELP;
  const last = args[args.length - 1]!;
  if (!args.slice(0, -1).every((a) => HARMLESS_GLOBALS.has(a))) return undefined;
  if (last === "--help" || last === "-h" || last === "help") return ROOT_HELP;
  if (last === "--version" || last === "-V") return `${VERSION}\n`;
  return undefined;
}

/**
 * Runs the CLI with `args` (without the program name) and returns the exit code: 0 success, 1 runtime error,
 * 2 usage error (a command may return another code, e.g. `jobs watch` returns the job's exit code).
 * Never exits the process.
 */
export async function runCli(args: string[], environment: CliEnvironment = {}): Promise<number> {
  const quick = quickAnswer(args);
  if (quick !== undefined) {
    environment.stdout?.write(quick);
    return 0;
  }
  const { runProgram } = await importLazily<typeof import("./commands/_run_program.ts")>("commands/_run_program.ts");
  return await runProgram(args, environment);
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

/**
 * Runs the CLI as the program: `Deno.args`, the process's streams and environment, Ctrl-C as an abort; exits with
 * the code. main.ts runs it when it is the main module; the bundle's entry (scripts/_bundle_main.ts) calls it, as
 * `deno bundle` turns `import.meta.main` of any other module than the entry into `false`.
 */
export async function main(): Promise<never> {
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
    // How to run this program again: the local backend starts its daemon as `<this> __local-supervisor ...`, which
    // works from source, from the bundle and from the compiled binary alike.
    selfCommand: Deno.build.standalone ? [Deno.execPath()] : [Deno.execPath(), "run", "-A", Deno.mainModule],
  });
  Deno.exit(code);
}

if (import.meta.main) await main();
