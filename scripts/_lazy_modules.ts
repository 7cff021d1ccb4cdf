/**
 * Every module the program imports through `importLazily()` (commands/_lazy.ts), each with a literal import: the
 * bundle (scripts/bundle.ts, entry scripts/_bundle_main.ts) runs this module first so that esbuild inlines them and
 * the registry answers `importLazily()`, and `deno task compile` includes it so that the binary embeds them.
 * Not imported by the program (Deno would prepare all of them at start-up). tests/commands/lazy_modules_test.ts
 * fails when a path of an `importLazily()` call is missing here.
 * @module
 */
import { LAZY_MODULES } from "../commands/_lazy.ts";

/** The loaders, by path from the repository root. */
export const LOADERS: Record<string, () => Promise<unknown>> = {
  "commands/_run_program.ts": () => import("../commands/_run_program.ts"),
  "commands/setup.ts": () => import("../commands/setup.ts"),
  "commands/workflow.ts": () => import("../commands/workflow.ts"),
  "commands/jobs.ts": () => import("../commands/jobs.ts"),
  "commands/job_definition.ts": () => import("../commands/job_definition.ts"),
  "commands/job_queue.ts": () => import("../commands/job_queue.ts"),
  "commands/compute_environment.ts": () => import("../commands/compute_environment.ts"),
  "commands/scheduling_policy.ts": () => import("../commands/scheduling_policy.ts"),
  "commands/config.ts": () => import("../commands/config.ts"),
  "commands/terminal.ts": () => import("../commands/terminal.ts"),
  "commands/completions.ts": () => import("../commands/completions.ts"),
  "commands/version.ts": () => import("../commands/version.ts"),
  "commands/local_supervisor.ts": () => import("../commands/local_supervisor.ts"),
  "commands/workflow_files.ts": () => import("../commands/workflow_files.ts"),
  "commands/workflow_plan.ts": () => import("../commands/workflow_plan.ts"),
  "commands/workflow_run.ts": () => import("../commands/workflow_run.ts"),
  "commands/workflow_resume.ts": () => import("../commands/workflow_resume.ts"),
  "commands/workflow_runs.ts": () => import("../commands/workflow_runs.ts"),
  "commands/workflow_convert.ts": () => import("../commands/workflow_convert.ts"),
  "commands/workflow_report.ts": () => import("../commands/workflow_report.ts"),
  "commands/jobs_submit.ts": () => import("../commands/jobs_submit.ts"),
  "commands/jobs_read.ts": () => import("../commands/jobs_read.ts"),
  "commands/jobs_control.ts": () => import("../commands/jobs_control.ts"),
  "core/config.ts": () => import("../core/config.ts"),
  "core/local/backend.ts": () => import("../core/local/backend.ts"),
  "core/aws/aws_backend.ts": () => import("../core/aws/aws_backend.ts"),
  "core/actions/roles.ts": () => import("../core/actions/roles.ts"),
};

(globalThis as Record<symbol, unknown>)[LAZY_MODULES] = LOADERS;
