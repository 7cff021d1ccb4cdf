/**
 * `runInteractive`: the prompt-driven face of ezbatch. A main menu (Infrastructure, Jobs, Workflows, Monitor,
 * Settings, Quit); Ctrl-C at any prompt returns to the menu, and at the menu ends the session, never with a stack
 * trace. Errors of an action are printed in one line and the menu comes back.
 * @module
 */
import process from "node:process";
import type { Readable, Writable } from "node:stream";
import type { Backend } from "../../core/backend.ts";
import type { PlanOptions } from "../../core/plan.ts";
import type { ActionSettings } from "../../core/actions/roles.ts";
import { runMonitor } from "../monitor/run.tsx";
import type { Session } from "./context.ts";
import { infrastructureMenu } from "./infrastructure.ts";
import { jobsMenu } from "./jobs.ts";
import { Cancelled, Prompter } from "./prompter.ts";
import { settingsMenu } from "./settings.ts";
import { setUpAwsBatch } from "./setup.ts";
import { workflowsMenu } from "./workflows.ts";
import { runOptions } from "../../core/actions/run_options.ts";
import { loadConfig } from "../../core/config.ts";
import { errorAdvice } from "../../core/error_advice.ts";

/** Options of `runInteractive`. */
export interface InteractiveOptions {
  /** Creates the backend on first use (so Settings works without credentials). */
  backend: () => Promise<Backend>;
  /** Keyboard input (default: the process's stdin). */
  stdin?: Readable;
  /** Where prompts and results go (default: the process's stdout). */
  stdout?: Writable;
  /** The settings file (default: the config module's default path). */
  configPath?: string;
  /** Folder that relative workflow paths are resolved against (default: the current directory). */
  cwd?: string;
  /** The settings (default: read from `configPath` and the environment, as the CLI does). */
  settings?: () => Promise<ActionSettings>;
  /** Plan options for submissions (roles, log group); default none. */
  planOptions?: () => Promise<PlanOptions>;
  /** Global options the printed `CLI:` commands carry to do the same (e.g. `["--local"]`). */
  globals?: string[];
  /** Wait between polls in ms (default 2000; tests pass 0). */
  pollMs?: number;
  /** Longest wait for a resource to settle in ms (default 10 minutes). */
  waitMs?: number;
}

type Section = "infrastructure" | "jobs" | "workflows" | "monitor" | "settings" | "setup" | "quit";

/**
 * Runs the interactive mode until the user picks Quit or presses Ctrl-C at the main menu.
 * @throws only for programming errors; failed actions are reported and the menu comes back.
 */
export async function runInteractive(options: InteractiveOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const p = new Prompter({ input: stdin, output: stdout, ...(options.globals ? { globals: options.globals } : {}) });
  let backend: Promise<Backend> | undefined;
  const settings = options.settings ??
    (async () => (await loadConfig(options.configPath ? { path: options.configPath } : {})).settings);
  const session: Session = {
    p,
    backend: () => {
      backend ??= options.backend().catch((error) => {
        backend = undefined;
        throw error;
      });
      return backend;
    },
    settings,
    // The CLI passes its own (flags and --local); else the same rules over the settings (core/actions/run_options.ts).
    planOptions: options.planOptions ?? (async () => runOptions(await settings())),
    pollMs: options.pollMs ?? 2000,
    waitMs: options.waitMs ?? 600_000,
    cwd: options.cwd ?? process.cwd(),
    monitor: async (b, o) => {
      // deno-lint-ignore no-explicit-any
      await runMonitor(b, { stdin: stdin as any, stdout: stdout as any, ...o });
      // ink unrefs stdin when it lets go of it; the next prompt reads it, so it must be referenced again.
      (stdin as Readable & { ref?: () => void }).ref?.();
    },
    ...(options.configPath ? { configPath: options.configPath } : {}),
  };
  p.say(
    "ezbatch interactive: pick with the arrows and enter; Esc goes back, Ctrl-C or Ctrl-D back to this menu " +
      "(here, they quit).",
  );
  for (;;) {
    let section: Section;
    try {
      section = await p.select<Section>("What would you like to do?", [
        { name: "Infrastructure", value: "infrastructure", description: "compute environments and job queues" },
        { name: "Jobs", value: "jobs", description: "submit, list, describe, logs, cancel" },
        { name: "Workflows", value: "workflows", description: "create, edit, validate, plan, submit TOML workflows" },
        { name: "Monitor", value: "monitor", description: "the full-screen monitor of queues, jobs and logs" },
        { name: "Settings", value: "settings", description: "create or edit the settings file" },
        { name: "Set up AWS Batch", value: "setup", description: "roles, network, environments and a queue" },
        { name: "Quit", value: "quit" },
      ]);
    } catch (error) {
      if (!(error instanceof Cancelled)) throw error;
      if (error.key === "esc") continue; // nothing above the main menu to go back to
      section = "quit";
    }
    if (section === "quit") {
      p.say("Bye.");
      return;
    }
    try {
      await runSection(session, section);
    } catch (error) {
      if (error instanceof Cancelled) {
        p.say(error.key === "esc" ? "Back to the main menu." : "Cancelled: back to the main menu.");
      } else {
        p.say(`Error: ${error instanceof Error ? error.message : String(error)}`);
        for (const line of errorAdvice(error)) p.say(line);
      }
    }
  }
}

async function runSection(session: Session, section: Exclude<Section, "quit">): Promise<void> {
  switch (section) {
    case "infrastructure":
      return await infrastructureMenu(session);
    case "jobs":
      return await jobsMenu(session);
    case "monitor": {
      await session.monitor(await session.backend(), {});
      session.p.command(["monitor"]);
      return;
    }
    case "workflows":
      return await workflowsMenu(session);
    case "settings":
      return await settingsMenu(session);
    case "setup":
      return await setUpAwsBatch(session);
  }
}
