/** The interactive mode over a MemoryBackend in a folder of workflow files, for the workflow menu's tests. */
import { runInteractive } from "../../tui/mod.ts";
import type { MemoryBackend } from "../support/memory_backend.ts";
import { ScriptedTerminal } from "./_terminal.ts";

/** The main menu's question. */
export const MENU = "What would you like to do?";
/** Index of Workflows in the main menu. */
export const WORKFLOWS = 2;
/** Index of Quit in the main menu. */
export const QUIT = 6;

/** Starts the interactive mode on `backend`, with workflow files read from `cwd`. */
export function start(backend: MemoryBackend, cwd: string) {
  const term = new ScriptedTerminal();
  const done = runInteractive({
    backend: () => Promise.resolve(backend),
    stdin: term.input,
    stdout: term.output,
    cwd,
    pollMs: 0,
    waitMs: 1000,
    planOptions: () => Promise.resolve({ executionRoleArn: "arn:aws:iam::123456789012:role/exec" }),
  });
  return { term, done };
}
