/**
 * `ezbatch jobs submit|list|describe|cancel|terminate|stop|logs|watch`.
 * @module
 */
import type { CliContext } from "./context.ts";
import { registerJobControlCommands } from "./jobs_control.ts";
import { registerJobReadCommands } from "./jobs_read.ts";
import { registerJobSubmitCommand } from "./jobs_submit.ts";
import { type AnyCommand, examples } from "./program.ts";

/** Adds the `jobs` group to `program`. */
export function registerJobsCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("jobs").alias("job")
    .description("submit, list, inspect, stop, follow and wait for jobs");
  examples(
    group,
    "ezbatch jobs submit -q my-queue --image alpine:3.20 -- echo hi",
    "ezbatch jobs list -q my-queue --status RUNNING",
    "ezbatch jobs logs JOB_ID --follow",
  );
  registerJobSubmitCommand(group, ctx);
  registerJobReadCommands(group, ctx);
  registerJobControlCommands(group, ctx);
}
