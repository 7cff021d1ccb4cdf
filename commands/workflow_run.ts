/**
 * `ezbatch workflow submit|status|cancel`: submit a run, find it again from any machine, follow it, stop it.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { JobDetail, JobStatus } from "../core/backend_types.ts";
import { UsageError } from "../core/errors.ts";
import { isFinished, stopJobs, watchJobs } from "../core/jobs.ts";
import type { EZBatchWorkflow } from "../core/model.ts";
import type { PlanOptions } from "../core/plan.ts";
import { findRun, type FoundRun, type RunJob, summarizeRun } from "../core/run.ts";
import { type Run, submitWorkflow } from "../core/submit.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatDuration, plural, renderTable } from "./output.ts";
import { intBetween, parseList } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readWorkflow } from "./workflow_files.ts";
import { planFlagHelp, type PlanFlags, planOptions } from "./workflow_plan.ts";
import { executionRolesFor } from "./backend_factory.ts";
import { warnSecretLikeNames } from "./_warnings.ts";
import { warnRateAboveQuota } from "./_rate.ts";

/** A run's jobs as a table: job, id, state (array children counted), exit code, reason. */
export function renderRunJobs(jobs: RunJob[], ctx: CliContext): string {
  const c = ctx.outColors;
  return renderTable(
    ["JOB", "JOB ID", "STATUS", "CHILDREN", "EXIT", "DURATION", "REASON"],
    jobs.map((j) => [
      j.job,
      j.jobId,
      colorStatus(j.status, c),
      j.array?.size !== undefined
        ? Object.entries(j.array.statusSummary ?? {}).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ") ||
          `${j.array.size}`
        : undefined,
      j.exitCode,
      j.startedAt ? formatDuration((j.stoppedAt || ctx.now()) - j.startedAt) : undefined, // 0: never started
      j.status === "FAILED" ? j.statusReason : undefined,
    ]),
    { colors: c },
  );
}

/** One line of counts, e.g. `2 RUNNING, 1 SUCCEEDED`. */
export function countsLine(counts: Partial<Record<JobStatus, number>>): string {
  return Object.entries(counts).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ") || "no jobs yet";
}

function toRunJob(detail: JobDetail, job: string): RunJob {
  const r: RunJob = {
    job,
    jobId: detail.jobId,
    jobName: detail.jobName,
    jobQueue: detail.jobQueue,
    status: detail.status,
  };
  if (detail.statusReason !== undefined) r.statusReason = detail.statusReason;
  if (detail.createdAt !== undefined) r.createdAt = detail.createdAt;
  if (detail.startedAt !== undefined) r.startedAt = detail.startedAt;
  if (detail.stoppedAt !== undefined) r.stoppedAt = detail.stoppedAt;
  const exit = detail.container?.exitCode ?? detail.attempts?.at(-1)?.container?.exitCode;
  if (exit !== undefined) r.exitCode = exit;
  if (detail.arrayProperties?.size !== undefined) {
    r.array = { size: detail.arrayProperties.size };
    if (detail.arrayProperties.statusSummary) r.array.statusSummary = detail.arrayProperties.statusSummary;
  }
  return r;
}

/**
 * Follows a run's jobs until all finished, with a live summary on stderr when it is a terminal and a line per
 * job that finishes otherwise. Returns the final jobs.
 */
export async function followRun(
  ctx: CliContext,
  backend: Backend,
  jobs: Record<string, string>,
): Promise<RunJob[]> {
  const names = new Map(Object.entries(jobs).map(([job, id]) => [id, job]));
  const tty = ctx.stderr.isTTY === true;
  const reported = new Set<string>();
  let last: RunJob[] = [];
  try {
    for await (
      const snapshot of watchJobs(backend, [...names.keys()], {
        signal: ctx.signal,
        clock: ctx.clock,
        intervalMs: ctx.pollIntervalMs,
      })
    ) {
      last = snapshot.jobs.map((d) => toRunJob(d, names.get(d.jobId) ?? d.jobName));
      for (const job of last) {
        if (!isFinished(job.status) || reported.has(job.jobId)) continue;
        reported.add(job.jobId);
        const line = `${job.job}: ${job.status}${job.exitCode !== undefined ? ` (exit ${job.exitCode})` : ""}` +
          (job.status === "FAILED" && job.statusReason ? ` ${job.statusReason}` : "");
        ctx.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
      }
      if (tty) {
        ctx.stderr.write(`\r\x1b[K${plural(names.size, "job")}: ${countsLine(snapshot.counts)}`);
      }
    }
  } finally {
    if (tty) ctx.stderr.write("\r\x1b[K");
  }
  return last;
}

/** Flags of `workflow submit`. */
interface SubmitFlags extends PlanFlags {
  watch?: boolean;
  keepOnFailure?: boolean;
  rate?: number;
  concurrency?: number;
}

/** Plan options with the roles the chosen backend needs (account lookups happen only when a default is needed). */
async function submitOptions(
  ctx: CliContext,
  backend: Backend,
  wf: EZBatchWorkflow,
  flags: SubmitFlags,
): Promise<PlanOptions> {
  const options = await planOptions(ctx, flags);
  const fargate = Object.values(wf.jobs).some((j) => j.platform === "FARGATE");
  if (fargate && !options.executionRoleArn) Object.assign(options, await executionRolesFor(ctx, backend));
  return options;
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

/** The workflow name of a `status`/`cancel` argument: a name, or a workflow file to read it from. */
async function workflowName(ctx: CliContext, text: string): Promise<string> {
  if (/\.(toml|json)$/i.test(text)) return (await readWorkflow(ctx, text)).name;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text)) {
    throw new UsageError(`'${text}' is neither a workflow name nor a .toml or .json workflow file`);
  }
  return text;
}

async function find(ctx: CliContext, workflowText: string, runId: string, queues?: string[]): Promise<FoundRun> {
  const workflow = await workflowName(ctx, workflowText);
  const backend = await ctx.backend();
  return await findRun(backend, {
    workflow,
    runId,
    signal: ctx.signal,
    clock: ctx.clock,
    ...(queues ? { queues } : {}),
  });
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
    .option("-w, --watch", "follow the run until every job ended; exit 1 if any failed")
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
        ctx.note(`Follow it: ezbatch workflow status ${run.workflow} ${run.runId} --watch`);
        return;
      }
      if (!ctx.json) ctx.out(renderRun(run, ctx));
      const jobs = await followRun(ctx, backend, run.jobs);
      const summary = summarizeRun(jobs);
      if (ctx.json) ctx.outJson({ run, jobs, summary });
      else ctx.out(`\n${renderRunJobs(jobs, ctx)}\n${summaryLine(run.runId, summary)}`);
      if (!summary.succeeded) ctx.exitCode = 1;
    });
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
    .option("-w, --watch", "follow the run until every job ended; exit 1 if any failed")
    .action(async (workflowText, runId, flags) => {
      const found = await find(ctx, workflowText, runId, flags.queues);
      let jobs = found.jobs;
      if (flags.watch && !found.summary.finished) {
        const backend = await ctx.backend();
        jobs = await followRun(ctx, backend, Object.fromEntries(found.jobs.map((j) => [j.job, j.jobId])));
      }
      const summary = summarizeRun(jobs);
      ctx.print(
        { workflow: found.workflow, runId, jobs, summary },
        () => `${renderRunJobs(jobs, ctx)}\n${summaryLine(runId, summary)}`,
      );
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

function summaryLine(runId: string, summary: ReturnType<typeof summarizeRun>): string {
  const state = summary.finished ? (summary.succeeded ? "succeeded" : "failed") : "is running";
  return `Run '${runId}' ${state}: ${countsLine(summary.byStatus)}.`;
}
