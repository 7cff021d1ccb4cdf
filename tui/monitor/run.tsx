/** @jsxRuntime automatic */
/** @jsxImportSource npm:react@^19.2.0 */
/** @jsxImportSourceTypes npm:@types/react@^19.2.0 */
/**
 * `runMonitor`: starts the full-screen monitor on a terminal and resolves when the user quits.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { UsageError } from "../../core/errors.ts";
import { render } from "../deps.ts";
import { MonitorApp } from "./app.tsx";

/** A readable terminal stream (e.g. `process.stdin`). */
export interface TerminalInput {
  /** True on a terminal. */
  isTTY?: boolean;
  /** Node stream methods ink uses. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A writable terminal stream (e.g. `process.stdout`). */
export interface TerminalOutput {
  /** True on a terminal. */
  isTTY?: boolean;
  /** Width in columns. */
  columns?: number;
  /** Height in rows. */
  rows?: number;
  /** Writes text. */
  write(chunk: string): unknown;
  /** Node stream methods ink uses. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of `runMonitor`. */
export interface MonitorOptions {
  /** Keyboard input, e.g. `process.stdin`. */
  stdin: TerminalInput;
  /** The terminal, e.g. `process.stdout`. */
  stdout: TerminalOutput;
  /** Queue selected first (default: the first by name). */
  queue?: string;
  /** Show only this workflow run's jobs at first. */
  runId?: string;
  /** Wait between refreshes in ms (default 5000). */
  intervalMs?: number;
  /** Quits the monitor when aborted. */
  signal?: AbortSignal;
}

const ENTER_ALT_SCREEN = "\x1b[?1049h\x1b[H";
const LEAVE_ALT_SCREEN = "\x1b[?1049l";

/**
 * Runs the monitor until the user presses q (or Ctrl-C, or `signal` aborts). Refuses when stdin or stdout is
 * not a terminal.
 * @throws {UsageError} when stdin or stdout is not a terminal.
 */
export async function runMonitor(backend: Backend, options: MonitorOptions): Promise<void> {
  const { stdin, stdout } = options;
  const notTerminal = !stdout.isTTY ? "stdout" : !stdin.isTTY ? "stdin" : undefined;
  if (notTerminal) {
    throw new UsageError(
      `The monitor needs a terminal, and ${notTerminal} is not one. ` +
        "To read jobs from a script use 'ezbatch jobs list --json', or 'ezbatch jobs watch JOB_ID' to wait for jobs.",
    );
  }
  if (options.signal?.aborted) return;
  stdout.write(ENTER_ALT_SCREEN);
  const ink = render(
    <MonitorApp
      backend={backend}
      intervalMs={options.intervalMs ?? 5000}
      {...(options.queue ? { queue: options.queue } : {})}
      {...(options.runId ? { runId: options.runId } : {})}
    />,
    // deno-lint-ignore no-explicit-any
    { stdin: stdin as any, stdout: stdout as any, exitOnCtrlC: false, patchConsole: false },
  );
  const onAbort = () => ink.unmount();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await ink.waitUntilExit();
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    ink.cleanup();
    stdout.write(LEAVE_ALT_SCREEN);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
