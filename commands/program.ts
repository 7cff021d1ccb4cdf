/**
 * Builds the ezbatch program: the global options, output and error hooks, and the command groups: only the one the
 * arguments name, or all of them (root help, `help`, completion, an unknown command).
 * @module
 */
import { VERSION } from "../core/version.ts";
import { intBetween } from "./parse.ts";
import type { CliContext, GlobalOptions } from "./context.ts";
import { Command } from "./deps.ts";
import { importLazily } from "./_lazy.ts";

/** Any command of the program, whatever its arguments and options. */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any[], any, any>;

const GLOBAL_KEYS: (keyof GlobalOptions)[] = [
  "region",
  "profile",
  "verbose",
  "json",
  "color",
  "local",
  "localVcpus",
  "localMemory",
];

/** Adds an `Examples:` section to a command's help. */
export function examples<C extends AnyCommand>(command: C, ...lines: string[]): C {
  command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}`);
  return command;
}

function fullPath(command: AnyCommand): string {
  const names: string[] = [];
  for (let c: AnyCommand | null = command; c?.parent; c = c.parent as AnyCommand | null) names.unshift(c.name());
  return names.join(" ");
}

function walk(command: AnyCommand, visit: (c: AnyCommand) => void): void {
  visit(command);
  for (const sub of command.commands) walk(sub as AnyCommand, visit);
}

/** Adds commands to `parent`; `args` (the words after the parent's own name) may let it load only what they name. */
export type Register = (parent: AnyCommand, ctx: CliContext, args?: readonly string[]) => void | Promise<void>;

/** Commands loaded on demand: the names and aliases they register, and a loader of their module. */
export interface Lazy {
  names: readonly string[];
  load: () => Promise<Register>;
}

/**
 * The command groups in help order. The loaders import through `importLazily()` (commands/_lazy.ts) so that a command
 * loads only its own group's modules, and Deno does not prepare the others at start-up as it does any literal
 * `import()`; the names are checked against what each module registers by tests/commands/program_groups_test.ts.
 */
export const GROUPS: readonly Lazy[] = [
  {
    names: ["setup"],
    load: async () => (await importLazily<typeof import("./setup.ts")>("commands/setup.ts")).registerSetupCommand,
  },
  {
    names: ["workflow", "wf"],
    load: async () =>
      (await importLazily<typeof import("./workflow.ts")>("commands/workflow.ts")).registerWorkflowCommands,
  },
  {
    names: ["jobs", "job"],
    load: async () => (await importLazily<typeof import("./jobs.ts")>("commands/jobs.ts")).registerJobsCommands,
  },
  {
    names: ["job-definition", "def"],
    load: async () =>
      (await importLazily<typeof import("./job_definition.ts")>("commands/job_definition.ts"))
        .registerJobDefinitionCommands,
  },
  {
    names: ["job-queue", "queue"],
    load: async () =>
      (await importLazily<typeof import("./job_queue.ts")>("commands/job_queue.ts")).registerJobQueueCommands,
  },
  {
    names: ["compute-environment", "ce"],
    load: async () =>
      (await importLazily<typeof import("./compute_environment.ts")>("commands/compute_environment.ts"))
        .registerComputeEnvironmentCommands,
  },
  {
    names: ["scheduling-policy"],
    load: async () =>
      (await importLazily<typeof import("./scheduling_policy.ts")>("commands/scheduling_policy.ts"))
        .registerSchedulingPolicyCommands,
  },
  {
    names: ["config"],
    load: async () => (await importLazily<typeof import("./config.ts")>("commands/config.ts")).registerConfigCommands,
  },
  {
    names: ["monitor", "interactive"],
    load: async () =>
      (await importLazily<typeof import("./terminal.ts")>("commands/terminal.ts")).registerTerminalCommands,
  },
  // Not `complete`: it answers from the whole tree, so it loads every group (see pick).
  {
    names: ["completions"],
    load: async () =>
      (await importLazily<typeof import("./completions.ts")>("commands/completions.ts")).registerCompletionCommands,
  },
  {
    names: ["version"],
    load: async () => (await importLazily<typeof import("./version.ts")>("commands/version.ts")).registerVersionCommand,
  },
  {
    names: ["__local-supervisor"],
    load: async () =>
      (await importLazily<typeof import("./local_supervisor.ts")>("commands/local_supervisor.ts"))
        .registerLocalSupervisorCommand,
  },
];

/** Global options that take a value as the next argument (their value is not a command name). */
const VALUE_OPTIONS = new Set(["--region", "--profile", "--local-vcpus", "--local-memory"]);

/**
 * The entries of `table` that `args` needs, and the words after the one that named it: the entry its first command
 * word names, or all of them (with no `rest`, so they load in full) when it names none: root help, `help`,
 * `complete`, an unknown command (its suggestions need every name).
 */
export function pick(
  args: readonly string[] | undefined,
  table: readonly Lazy[],
): { chosen: readonly Lazy[]; rest?: readonly string[] } {
  for (let i = 0; args && i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    const entry = table.find((g) => g.names.includes(arg));
    return entry ? { chosen: [entry], rest: args.slice(i + 1) } : { chosen: table };
  }
  return { chosen: table };
}

/** Loads and registers under `parent` what `args` needs of `table`, in the table's order. */
export async function registerLazily(
  parent: AnyCommand,
  ctx: CliContext,
  table: readonly Lazy[],
  args?: readonly string[],
): Promise<void> {
  const { chosen, rest } = pick(args, table);
  const registers = await Promise.all(chosen.map((g) => g.load()));
  for (const register of registers) await register(parent, ctx, rest);
}

/**
 * Builds the program over `ctx` with the command groups `args` needs (all of them by default). Parsing it runs the
 * chosen command; errors are thrown, never exited on.
 */
export async function buildProgram(ctx: CliContext, args?: readonly string[]): Promise<AnyCommand> {
  const program = new Command("ezbatch")
    .description("AWS Batch made easy: run containers, job queues and workflows of jobs without the paperwork.")
    .version(VERSION, "-V, --version", "print the version")
    .option("--region <region>", "AWS region (default: the config file, then AWS_REGION)")
    .option("--profile <name>", "AWS profile from ~/.aws/config")
    .option("--local", "use the local backend: jobs run as processes on this machine")
    .option("--local-vcpus <n>", "vCPUs local jobs may use at once (setting localVcpus)", intBetween(1, 1_000_000))
    .option("--local-memory <mib>", "MiB local jobs may use at once (setting localMemory)", intBetween(1, 1_000_000))
    .option("--json", "print JSON instead of tables")
    .option("--no-color", "turn colours off (NO_COLOR does too)")
    .option("-v, --verbose", "show the stack and cause of errors")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    // A fixed width: help reads the same in any terminal, and main.ts can print the root help without commander
    // (commands/_root_help.ts). Set before the subcommands are added, which share this configuration.
    .configureHelp({ helpWidth: 80 })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: (text, write) => write(`${ctx.errColors.red(text.trimEnd())}\n`),
    });
  program.hook("preAction", (_root, action) => {
    const all = action.optsWithGlobals() as Record<string, unknown>;
    const globals: GlobalOptions = {};
    for (const key of GLOBAL_KEYS) if (all[key] !== undefined) Object.assign(globals, { [key]: all[key] });
    ctx.globals = globals;
    ctx.allErrors = all.allErrors === true;
    ctx.commandPath = fullPath(action as AnyCommand);
  });
  examples(
    program,
    "ezbatch workflow init hello.toml && ezbatch workflow plan hello.toml --local",
    "ezbatch workflow submit hello.toml --local --watch",
    "ezbatch jobs list --queue my-queue --status FAILED --since 1d",
    "ezbatch compute-environment list --json",
  );

  await registerLazily(program, ctx, GROUPS, args);

  walk(program, (c) => {
    const path = fullPath(c);
    c.showHelpAfterError(ctx.errColors.dim(`Run 'ezbatch${path ? ` ${path}` : ""} --help' for usage.`));
  });
  return program;
}
