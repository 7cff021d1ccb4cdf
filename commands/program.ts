/**
 * Builds the ezbatch program: the global options, output and error hooks, and every command group.
 * @module
 */
import { VERSION } from "../core/version.ts";
import type { CliContext, GlobalOptions } from "./context.ts";
import { Command } from "./deps.ts";
import { registerComputeEnvironmentCommands } from "./compute_environment.ts";
import { registerJobQueueCommands } from "./job_queue.ts";
import { registerJobDefinitionCommands } from "./job_definition.ts";
import { registerWorkflowCommands } from "./workflow.ts";
import { registerCompletionCommands } from "./completions.ts";
import { registerJobsCommands } from "./jobs.ts";
import { registerConfigCommands } from "./config.ts";
import { registerTerminalCommands } from "./terminal.ts";
import { registerSetupCommand } from "./setup.ts";
import { registerSchedulingPolicyCommands } from "./scheduling_policy.ts";
import { registerLocalSupervisorCommand } from "./local_supervisor.ts";
import { registerVersionCommand } from "./version.ts";

/** Any command of the program, whatever its arguments and options. */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any[], any, any>;

const GLOBAL_KEYS: (keyof GlobalOptions)[] = ["region", "profile", "verbose", "json", "color", "local"];

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

/** Builds the program over `ctx`. Parsing it runs the chosen command; errors are thrown, never exited on. */
export function buildProgram(ctx: CliContext): AnyCommand {
  const program = new Command("ezbatch")
    .description("AWS Batch made easy: run containers, job queues and workflows of jobs without the paperwork.")
    .version(VERSION, "-V, --version", "print the version")
    .option("--region <region>", "AWS region (default: the config file, then AWS_REGION)")
    .option("--profile <name>", "AWS profile from ~/.aws/config")
    .option("--local", "use the local backend: jobs run as processes on this machine")
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

  registerSetupCommand(program, ctx);
  registerWorkflowCommands(program, ctx);
  registerJobsCommands(program, ctx);
  registerJobDefinitionCommands(program, ctx);
  registerJobQueueCommands(program, ctx);
  registerComputeEnvironmentCommands(program, ctx);
  registerSchedulingPolicyCommands(program, ctx);
  registerConfigCommands(program, ctx);
  registerTerminalCommands(program, ctx);
  registerCompletionCommands(program, ctx);
  registerVersionCommand(program, ctx);
  registerLocalSupervisorCommand(program);

  walk(program, (c) => {
    const path = fullPath(c);
    c.showHelpAfterError(ctx.errColors.dim(`Run 'ezbatch${path ? ` ${path}` : ""} --help' for usage.`));
  });
  return program;
}
