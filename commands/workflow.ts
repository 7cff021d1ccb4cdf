/**
 * `ezbatch workflow init|validate|plan|submit|status|resume|runs|cancel|report|convert|schema`.
 * @module
 */
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples, type Lazy, registerLazily } from "./program.ts";
import { importLazily } from "./_lazy.ts";

/**
 * The workflow commands in help order, loaded like the groups of commands/program.ts: `validate` and `plan` (the
 * commands run most) do not load the modules of submit, status, resume, report and the others.
 */
export const WORKFLOW_COMMANDS: readonly Lazy[] = [
  {
    names: ["init", "validate", "schema"],
    load: async () =>
      (await importLazily<typeof import("./workflow_files.ts")>("commands/workflow_files.ts"))
        .registerWorkflowFileCommands,
  },
  {
    names: ["plan"],
    load: async () =>
      (await importLazily<typeof import("./workflow_plan.ts")>("commands/workflow_plan.ts"))
        .registerWorkflowPlanCommand,
  },
  {
    names: ["submit", "status", "cancel"],
    load: async () =>
      (await importLazily<typeof import("./workflow_run.ts")>("commands/workflow_run.ts")).registerWorkflowRunCommands,
  },
  {
    names: ["resume"],
    load: async () =>
      (await importLazily<typeof import("./workflow_resume.ts")>("commands/workflow_resume.ts"))
        .registerWorkflowResumeCommand,
  },
  {
    names: ["runs"],
    load: async () =>
      (await importLazily<typeof import("./workflow_runs.ts")>("commands/workflow_runs.ts"))
        .registerWorkflowRunsCommand,
  },
  {
    names: ["convert"],
    load: async () =>
      (await importLazily<typeof import("./workflow_convert.ts")>("commands/workflow_convert.ts"))
        .registerWorkflowConvertCommand,
  },
  {
    names: ["report"],
    load: async () =>
      (await importLazily<typeof import("./workflow_report.ts")>("commands/workflow_report.ts"))
        .registerWorkflowReportCommand,
  },
];

/** Adds the `workflow` group to `program`, with only the command `args` names when it names one. */
export async function registerWorkflowCommands(
  program: AnyCommand,
  ctx: CliContext,
  args?: readonly string[],
): Promise<void> {
  const group = program.command("workflow").alias("wf")
    .description("validate, plan, submit and follow workflows of jobs written in TOML");
  examples(
    group,
    "ezbatch workflow init pipeline.toml",
    "ezbatch workflow validate pipeline.toml",
    "ezbatch workflow plan pipeline.toml",
    "ezbatch workflow submit pipeline.toml --watch",
  );
  await registerLazily(group, ctx, WORKFLOW_COMMANDS, args);
}
