/**
 * `ezbatch jobs submit|list|describe|cancel|terminate|stop|logs|watch`.
 * @module
 */
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples, type Lazy, registerLazily } from "./program.ts";
import { importLazily } from "./_lazy.ts";

/**
 * The jobs commands in help order, loaded like the groups of commands/program.ts: `jobs list` does not load the
 * modules of `jobs submit` (the workflow schema, zod, the preloader) nor those of logs and watch.
 */
export const JOBS_COMMANDS: readonly Lazy[] = [
  {
    names: ["submit"],
    load: async () =>
      (await importLazily<typeof import("./jobs_submit.ts")>("commands/jobs_submit.ts")).registerJobSubmitCommand,
  },
  {
    names: ["list", "ls", "describe"],
    load: async () =>
      (await importLazily<typeof import("./jobs_read.ts")>("commands/jobs_read.ts")).registerJobReadCommands,
  },
  {
    names: ["stop", "cancel", "terminate", "logs", "watch"],
    load: async () =>
      (await importLazily<typeof import("./jobs_control.ts")>("commands/jobs_control.ts")).registerJobControlCommands,
  },
];

/** Adds the `jobs` group to `program`, with only the commands `args` names when it names one. */
export async function registerJobsCommands(
  program: AnyCommand,
  ctx: CliContext,
  args?: readonly string[],
): Promise<void> {
  const group = program.command("jobs").alias("job")
    .description("submit, list, inspect, stop, follow and wait for jobs");
  examples(
    group,
    "ezbatch jobs submit -q my-queue --image alpine:3.20 -- echo hi",
    "ezbatch jobs list -q my-queue --status RUNNING",
    "ezbatch jobs logs JOB_ID --follow",
  );
  await registerLazily(group, ctx, JOBS_COMMANDS, args);
}
