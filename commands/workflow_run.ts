/**
 * `ezbatch workflow submit|status|cancel`: submit a run, find it again from any machine, follow it, stop it.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { UsageError } from "../core/errors.ts";
import { isFinished, stopJobs } from "../core/jobs.ts";
import type { EZBatchWorkflow } from "../core/model.ts";
import type { PlanOptions } from "../core/plan.ts";
import { submitRunOptions } from "../core/actions/run_options.ts";
import { findRun, type FoundRun, summarizeRun } from "../core/run.ts";
import { type Run, submitWorkflow } from "../core/submit.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./output.ts";
import { adviseNext, followRun, followSubmitted, localFlag, renderRunJobs, summaryLine } from "./_run_view.ts";
import { intBetween, parseList } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readWorkflow } from "./workflow_files.ts";
import { planFlagHelp, type PlanFlags, planOptions } from "./workflow_plan.ts";
import { warnLocalFeatures, warnSecretLikeNames } from "./_warnings.ts";
import { warnRateAboveQuota } from "./_rate.ts";
import { allErrorsOption } from "./_issues.ts";

/** Flags of `workflow submit` (and `resume`). */
export interface SubmitFlags extends PlanFlags {
  watch?: boolean;
  keepOnFailure?: boolean;
  rate?: number;
  concurrency?: number;
}

/** Plan options with the roles the chosen backend needs (account lookups happen only when a default is needed). */
export async function submitOptions(
  ctx: CliContext,
  backend: Backend,
  wf: EZBatchWorkflow,
  flags: SubmitFlags,
): Promise<PlanOptions> {
  return await submitRunOptions(backend, wf, await ctx.settings(), await planOptions(ctx, flags));
}

function renderRun(run: Run, ctx: CliContext): string {
  const head = `Run '${run.runId}' of workflow '${run.workflow}': ${plural(Object.keys(run.jobs).length, "job")} ` +
    `submitted to ${run.queues.map((q) => `'${q}'`).join(", ")} (job definitions: ` +
    `${run.definitions.registered.length} registered, ${run.definitions.reused.length} reused).`;
  const table = renderTable(
    ["JOB", "JOB ID", "AWS JOB NAME"],
    Object.entries(run.jobs).map(([job, id]) => [job, id, run.jobNames[job]]),
    { colors: ctx.outColors },
  );
  return `${head}\n${table}`;
}

/** True when a `status`/`cancel`/`resume` argument names a workflow file rather than a workflow. */
export function isWorkflowFile(text: string): boolean {
  return /\.(toml|json)$/i.test(text) || text === "-";
}

/** The workflow of a `status`/`cancel` argument: a name, or a workflow file to read (and name its jobs) from. */
async function workflowOf(ctx: CliContext, text: string): Promise<{ name: string; jobs?: string[]; file?: string }> {
  if (isWorkflowFile(text)) {
    const wf = await readWorkflow(ctx, text);
    return { name: wf.name, jobs: Object.keys(wf.jobs), file: text };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text)) {
    throw new UsageError(`'${text}' is neither a workflow name nor a .toml or .json workflow file`);
  }
  return { name: text };
}

async function find(
  ctx: CliContext,
  workflowText: string,
  runId: string,
  queues?: string[],
): Promise<FoundRun & { file?: string }> {
  const workflow = await workflowOf(ctx, workflowText);
  const backend = await ctx.backend();
  const found = await findRun(backend, {
    workflow: workflow.name,
    runId,
    signal: ctx.signal,
    clock: ctx.clock,
    ...(workflow.jobs ? { jobNames: workflow.jobs } : {}),
    ...(queues ? { queues } : {}),
  });
  if (found.plans.length > 1) {
    ctx.warn(
      `Run '${runId}' has jobs from ${found.plans.length} different plans: the workflow file changed between its ` +
        "submission and a resume (--rerun-changed), so its jobs do not all come from one version of the file",
    );
  }
  return { ...found, ...(workflow.file ? { file: workflow.file } : {}) };
}

/** Adds `submit`, `status` and `cancel` to the `workflow` group. */
export function registerWorkflowRunCommands(group: AnyCommand, ctx: CliContext): void {
  const help = planFlagHelp();
  const submit = group.command("submit").argument("<file>", "workflow file (TOML or ezbatch JSON; '-' reads stdin)")
    .description("submit a workflow: prints the run id and job ids; --watch follows the run to its end")
    .option("--queue <queue>", help.queue)
    .option("--run-id <id>", help.runId)
    .option("--execution-role <arn>", help.executionRole)
    .option("--job-role <arn>", help.jobRole)
    .option("-w, --watch", "follow the run until every job ended; exit 1 unless every job SUCCEEDED")
    .option("--keep-on-failure", "if a submission fails part way, leave the jobs already submitted running")
    .option(
      "--rate <n>",
      "most submit calls in any one second (default 50, AWS's SubmitJob quota; more only for emulators or --local)",
      intBetween(1, 10_000),
    )
    .option("--concurrency <n>", "most calls in flight at once (default 16)", intBetween(1, 64))
    .action(async (file, flags) => {
      const wf = await readWorkflow(ctx, file);
      warnSecretLikeNames(ctx, wf);
      const backend = await ctx.backend();
      warnRateAboveQuota(ctx, backend.kind, flags.rate);
      warnLocalFeatures(ctx, backend.kind, wf.jobs);
      const options = await submitOptions(ctx, backend, wf, flags);
      const tty = ctx.stderr.isTTY === true;
      const run = await submitWorkflow(backend, wf, {
        ...options,
        signal: ctx.signal,
        keepOnFailure: flags.keepOnFailure === true,
        ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        onProgress: (p) => {
          if (tty) ctx.stderr.write(`\r\x1b[KSubmitting: ${p.submitted}/${p.total}${p.job ? ` (${p.job})` : ""}`);
        },
      });
      if (tty) ctx.stderr.write("\r\x1b[K");
      if (!flags.watch) {
        ctx.print(run, () => renderRun(run, ctx));
        ctx.note(`Follow it: ezbatch workflow status ${run.workflow} ${run.runId} --watch${localFlag(ctx)}`);
        return;
      }
      if (!ctx.json) ctx.out(renderRun(run, ctx));
      const named = file === "-" ? {} : { file };
      const jobs = await followSubmitted(ctx, backend, { ...run, ...named });
      const summary = summarizeRun(jobs, { expected: Object.keys(wf.jobs).length });
      if (ctx.json) ctx.outJson({ run, jobs, summary });
      else ctx.out(`\n${renderRunJobs(jobs, ctx)}\n${summaryLine(run.runId, summary)}`);
      adviseNext(ctx, { ...run, summary, ...named });
      if (!summary.succeeded) ctx.exitCode = 1;
    });
  allErrorsOption(submit);
  examples(
    submit,
    "ezbatch workflow submit pipeline.toml",
    "ezbatch workflow submit pipeline.toml --watch",
    "ezbatch workflow submit examples/hello.toml --local --watch",
  );

  const status = group.command("status").argument("<workflow>", "the workflow's name (or its file)")
    .argument("<runId>", "the run id that submit printed")
    .description("find a run's jobs again (from any machine) and show each job's state")
    .option("--queues <names>", "search only these queues (default: every queue)", parseList)
    .option(
      "-w, --watch",
      "follow the run until every job ended; exit 1 unless every job of the run SUCCEEDED (failed or incomplete)",
    )
    .action(async (workflowText, runId, flags) => {
      const found = await find(ctx, workflowText, runId, flags.queues);
      let jobs = found.jobs;
      if (flags.watch && !found.summary.finished) {
        const backend = await ctx.backend();
        const ids = Object.fromEntries(found.jobs.map((j) => [j.job, j.jobId]));
        jobs = await followRun(ctx, backend, ids);
      }
      const summary = summarizeRun(jobs, { expected: found.summary.expected });
      const missing = found.missing;
      ctx.print(
        { workflow: found.workflow, runId, state: summary.state, jobs, missing, plans: found.plans, summary },
        () => `${renderRunJobs(jobs, ctx, missing)}\n${summaryLine(runId, summary)}`,
      );
      adviseNext(ctx, { workflow: found.workflow, runId, summary, ...(found.file ? { file: found.file } : {}) });
      if (flags.watch && !summary.succeeded) ctx.exitCode = 1;
    });
  examples(
    status,
    "ezbatch workflow status demo k3x9a0qz",
    "ezbatch workflow status pipeline.toml k3x9a0qz --watch",
    "ezbatch workflow status demo k3x9a0qz --queues my-queue --json",
  );

  const cancel = group.command("cancel").argument("<workflow>", "the workflow's name (or its file)")
    .argument("<runId>", "the run id")
    .description("stop every unfinished job of a run (cancel or terminate, by state)")
    .option("--queues <names>", "search only these queues (default: every queue)", parseList)
    .option("--reason <text>", "the reason shown on the jobs", "Run cancelled with ezbatch")
    .action(async (workflowText, runId, flags) => {
      const found = await find(ctx, workflowText, runId, flags.queues);
      const open = found.jobs.filter((j) => !isFinished(j.status));
      const backend = await ctx.backend();
      const { results } = open.length
        ? await stopJobs(backend, open.map((j) => j.jobId), { reason: flags.reason, signal: ctx.signal })
        : { results: [] };
      ctx.print(
        { workflow: found.workflow, runId, results },
        () =>
          results.length
            ? results.map((r) => r.message).join("\n")
            : `Nothing to stop: every job of run '${runId}' has finished.`,
      );
    });
  examples(
    cancel,
    "ezbatch workflow cancel demo k3x9a0qz",
    "ezbatch workflow cancel demo k3x9a0qz --reason 'bad input'",
  );
}
