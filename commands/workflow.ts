/**
 * `ezbatch workflow init|validate|plan|submit|status|resume|runs|cancel|report|convert|schema`.
 * @module
 */
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples } from "./program.ts";
import { registerWorkflowFileCommands } from "./workflow_files.ts";
import { registerWorkflowPlanCommand } from "./workflow_plan.ts";
import { registerWorkflowRunCommands } from "./workflow_run.ts";
import { registerWorkflowResumeCommand } from "./workflow_resume.ts";
import { registerWorkflowConvertCommand } from "./workflow_convert.ts";
import { registerWorkflowRunsCommand } from "./workflow_runs.ts";
import { registerWorkflowReportCommand } from "./workflow_report.ts";

/** Adds the `workflow` group to `program`. */
export function registerWorkflowCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("workflow").alias("wf")
    .description("validate, plan, submit and follow workflows of jobs written in TOML");
  examples(
    group,
    "ezbatch workflow init pipeline.toml",
    "ezbatch workflow validate pipeline.toml",
    "ezbatch workflow plan pipeline.toml",
    "ezbatch workflow submit pipeline.toml --watch",
  );
  registerWorkflowFileCommands(group, ctx);
  registerWorkflowPlanCommand(group, ctx);
  registerWorkflowRunCommands(group, ctx);
  registerWorkflowResumeCommand(group, ctx);
  registerWorkflowRunsCommand(group, ctx);
  registerWorkflowConvertCommand(group, ctx);
  registerWorkflowReportCommand(group, ctx);
}
