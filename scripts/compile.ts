/**
 * `deno task compile`: runs `deno compile` with ezbatch's flags (extra arguments such as `--target` are passed on).
 * `deno compile` downloads denort, Deno's runtime for the binary, on first use; without internet it fails with a DNS
 * error and a backtrace. This script recognises that failure and says what to do instead (the offline recipe of
 * docs/distribution.md, `DENORT_BIN`); any other output and error passes through as it is.
 * @module
 */

/** The arguments of `deno compile` the task runs; docs/distribution.md's offline recipe must use the same. */
export const COMPILE_ARGS: readonly string[] = [
  "compile",
  "-A",
  "--include",
  "core/_aws_sdk_embed.ts",
  "--include",
  "tui/mod.ts",
  "--include",
  "scripts/_lazy_modules.ts",
  "-o",
  "dist/ezbatch",
  "main.ts",
];

/** Options of {@linkcode compile}. */
export interface CompileOptions {
  /** The deno executable (default: the one running this script). */
  deno?: string;
  /** Extra arguments, placed before the entry point (e.g. `--target aarch64-apple-darwin`); `-o` replaces ours. */
  args?: string[];
  /** Where deno's progress and errors, and our advice, go (default: this process's stderr). */
  stderr?: { write(text: string): void };
  /** The repository root (default: the parent of this script's folder). */
  cwd?: string;
}

/** Colour codes (built from char 27 so the source holds no control character). */
const COLOUR_CODE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** `text` without colour codes (deno colours its "error:" prefix). */
function stripAnsiCode(text: string): string {
  return text.replaceAll(COLOUR_CODE, "");
}

/** True when `output` is deno compile failing to fetch denort for lack of network. */
export function isRuntimeDownloadFailure(output: string): boolean {
  return /denort|dl\.deno\.land/.test(output) &&
    /dns error|error sending request|failed to lookup address|Connect|connection refused|timed out/i.test(output);
}

/** The advice printed instead of the raw error; `output` is deno's, for the URL it tried. */
export function offlineAdvice(output: string): string {
  const url = output.match(/https:\/\/dl\.deno\.land\/\S+?\.zip/)?.[0] ?? "dl.deno.land";
  return [
    `error: deno compile could not download denort, Deno's runtime for the binary (${url}): no internet here.`,
    `Compile offline with a denort of the same Deno version (${Deno.version.deno}) and target:`,
    "  DENORT_BIN=/path/to/denort deno task compile",
    `How to get one: docs/distribution.md, "Compiling on a machine without internet".`,
    "Or build the one-file bundle, which needs no download: deno task bundle",
    "",
  ].join("\n");
}

/**
 * Runs deno compile, forwarding its progress as it comes; from its first error line on, output is held back and
 * replaced by {@linkcode offlineAdvice} when the runtime could not be downloaded.
 * @returns deno's exit code.
 */
export async function compile(options: CompileOptions = {}): Promise<number> {
  const stderr = options.stderr ?? { write: (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text)) };
  const extra = options.args ?? [];
  const output = COMPILE_ARGS.indexOf("-o");
  const base = extra.some((a) => a === "-o" || a.startsWith("--output"))
    ? [...COMPILE_ARGS.slice(0, output), ...COMPILE_ARGS.slice(output + 2, -1)]
    : COMPILE_ARGS.slice(0, -1);
  const child = new Deno.Command(options.deno ?? Deno.execPath(), {
    args: [...base, ...extra, COMPILE_ARGS.at(-1)!],
    cwd: options.cwd ?? new URL("..", import.meta.url).pathname,
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  let held = "";
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (held || /^error\b/.test(stripAnsiCode(line))) held += `${line}\n`;
      else stderr.write(`${line}\n`);
    }
  }
  held += pending;
  const { code } = await child.status;
  if (code !== 0 && isRuntimeDownloadFailure(held)) stderr.write(offlineAdvice(held));
  else if (held) stderr.write(held);
  return code;
}

if (import.meta.main) Deno.exit(await compile({ args: Deno.args }));
