/**
 * `ezbatch workflow plan`: what `submit` would do, made offline (no credentials, no AWS SDK), optionally checked
 * against the backend for definitions that already exist.
 * @module
 */
import type { JobDependency } from "../core/model.ts";
import { type Plan, type PlanOptions, planWorkflow } from "../core/plan.ts";
import type { CliContext } from "./context.ts";
import { DEFAULT_LOCAL_QUEUE } from "../core/local/registry.ts";
import { runOptions } from "../core/actions/run_options.ts";
import { plural, renderTable } from "./output.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readWorkflow } from "./workflow_files.ts";
import { warnSecretLikeNames } from "./_warnings.ts";
import { allErrorsOption } from "./_issues.ts";
import { formatPlanCost, planCostBound } from "../core/plan_cost.ts";
import { builtInPrices, parsePriceOverrides, withOverrides } from "../core/pricing.ts";

/** Stand-in execution role of an offline plan when none is configured (submit resolves the real one). */
export const PLACEHOLDER_EXECUTION_ROLE = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole";

/** Flags shared by `workflow plan` and `workflow submit`. */
export interface PlanFlags {
  queue?: string;
  runId?: string;
  executionRole?: string;
  jobRole?: string;
}

/** Adds `--queue`, `--run-id`, `--execution-role` and `--job-role` to a command. */
export function planFlagHelp() {
  return {
    queue: `queue of jobs whose file names none (default: the config's queue; with --local, '${DEFAULT_LOCAL_QUEUE}')`,
    runId: "the run id (default: 8 random letters and digits)",
    executionRole: "execution role ARN for Fargate jobs (default: the config's executionRoleArn)",
    jobRole: "role ARN the jobs run as (default: the config's taskRoleArn)",
  };
}

/** Plan options from the flags and the settings (`core/actions/run_options.ts`); roles not known here are left out. */
export async function planOptions(ctx: CliContext, flags: PlanFlags): Promise<PlanOptions> {
  const settings = await ctx.settings();
  return runOptions(settings, {
    ...(flags.queue ? { queue: flags.queue } : {}),
    ...(flags.runId ? { runId: flags.runId } : {}),
    ...(flags.executionRole ? { executionRole: flags.executionRole } : {}),
    ...(flags.jobRole ? { jobRole: flags.jobRole } : {}),
    local: ctx.wantsLocal || settings.backend === "local",
  });
}

function dependencyText(deps: JobDependency[]): string {
  return deps.map((d) => (d.type ? `${d.job} (${d.type})` : d.job)).join(", ");
}

/** The first few jobs of a definition and how many more: a definition shared by 1,000 jobs is one short cell. */
export function usedBy(jobs: readonly string[], shown = 3): string {
  if (jobs.length <= shown + 1) return jobs.join(", ");
  return `${jobs.slice(0, shown).join(", ")} and ${jobs.length - shown} more`;
}

/** The text of a plan; `existing` marks definitions found ACTIVE (undefined: not checked). */
export function renderPlan(plan: Plan, existing: Set<string> | undefined, ctx: CliContext): string {
  const c = ctx.outColors;
  const children = plan.submissions.reduce((n, s) => n + (s.arrayProperties?.size ?? 0), 0);
  const head = `Workflow '${plan.workflow}', run '${plan.runId}': ${plural(plan.submissions.length, "submission")}` +
    (children ? ` (${plural(children, "array child", "array children")})` : "") +
    `, ${plural(plan.definitions.length, "job definition")}.`;
  const defs = renderTable(
    ["JOB DEFINITION", "PLATFORM", "ACTION", "USED BY"],
    plan.definitions.map((d) => [
      d.name,
      d.input.platformCapabilities.join(","),
      existing === undefined ? "reuse or register" : existing.has(d.name) ? c.green("reuse") : c.yellow("register"),
      usedBy(d.jobs),
    ]),
    { colors: c },
  );
  const subs = renderTable(
    ["JOB", "AWS JOB NAME", "QUEUE", "ARRAY", "DEPENDS ON"],
    plan.submissions.map((s) => [
      s.job,
      s.jobName,
      s.jobQueue,
      s.arrayProperties?.size,
      dependencyText(s.dependsOn),
    ]),
    { colors: c },
  );
  return `${head}\n\n${defs}\n\n${subs}`;
}

/** Adds `plan` to the `workflow` group. */
export function registerWorkflowPlanCommand(group: AnyCommand, ctx: CliContext): void {
  const help = planFlagHelp();
  const plan = group.command("plan").argument("<file>", "workflow file (TOML or ezbatch JSON; '-' reads stdin)")
    .description("show what submit would do: definitions, submissions, array sizes, dependencies (no credentials)")
    .option("--queue <queue>", help.queue)
    .option("--run-id <id>", help.runId)
    .option("--execution-role <arn>", help.executionRole)
    .option("--job-role <arn>", help.jobRole)
    .option("--check", "ask the backend which definitions exist already (needs credentials)")
    .action(async (file, flags) => {
      const wf = await readWorkflow(ctx, file);
      warnSecretLikeNames(ctx, wf);
      const options = await planOptions(ctx, flags);
      const fargate = Object.values(wf.jobs).some((j) => j.platform === "FARGATE");
      if (fargate && !options.executionRoleArn) {
        options.executionRoleArn = PLACEHOLDER_EXECUTION_ROLE;
        ctx.warn(
          "No execution role is configured: the plan uses a stand-in, so its definition names differ from what " +
            "submit registers (set executionRoleArn with 'ezbatch config set', or pass --execution-role)",
        );
      }
      const result = planWorkflow(wf, { ...options, now: ctx.now });
      let existing: Set<string> | undefined;
      if (flags.check) {
        const backend = await ctx.backend();
        const found = await backend.describeJobDefinitions(result.definitions.map((d) => d.name), {
          signal: ctx.signal,
        });
        existing = new Set(found.map((d) => d.jobDefinitionName));
      }
      const data = existing
        ? {
          ...result,
          definitions: result.definitions.map((d) => ({ ...d, exists: existing.has(d.name) })),
        }
        : result;
      // The most the run can cost, from the built-in table (a plan makes no network call) and the config's prices.
      const settings = await ctx.settings();
      const prices = withOverrides(
        builtInPrices(settings.region),
        settings.prices ? parsePriceOverrides(settings.prices) : {},
      );
      const cost = planCostBound(result, prices);
      ctx.print(
        { ...data, cost },
        () => `${renderPlan(result, existing, ctx)}\n\n${formatPlanCost(cost, result.submissions.length)}`,
      );
    });
  allErrorsOption(plan);
  examples(
    plan,
    "ezbatch workflow plan pipeline.toml",
    "ezbatch workflow plan pipeline.toml --queue my-queue --json",
    "ezbatch workflow plan pipeline.toml --check",
  );
}
