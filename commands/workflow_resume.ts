/**
 * `ezbatch workflow resume NAME RUN_ID [FILE]`: finish a run in place. Keeps what succeeded or still runs, submits
 * what was never submitted or failed (and what waits for it) as new attempts of the same run; `--dry-run` shows
 * exactly that without changing anything.
 * @module
 */
import { UsageError, WorkflowError } from "../core/errors.ts";
import { prepareResume, type ResumePlan, resumeWorkflow } from "../core/resume.ts";
import { summarizeRun } from "../core/run.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, plural, renderTable } from "./output.ts";
import { intBetween, parseList } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { readWorkflow } from "./workflow_files.ts";
import { allErrorsOption } from "./_issues.ts";
import { planFlagHelp } from "./workflow_plan.ts";
import { isWorkflowFile, submitOptions } from "./workflow_run.ts";
import { adviseNext, followSubmitted, localFlag, renderRunJobs, summaryLine } from "./_run_view.ts";

function renderSteps(resume: ResumePlan, ctx: CliContext, ids: Record<string, string> = {}): string {
  return renderTable(
    ["JOB", "ACTION", "ATTEMPT", "WAS", "JOB ID", "WHY"],
    resume.steps.map((s) => [
      s.job,
      s.action === "keep" ? "keep" : ctx.outColors.cyan("submit"),
      s.attempt,
      s.status ? colorStatus(s.status, ctx.outColors) : "NOT SUBMITTED",
      s.action === "keep" ? s.jobId : ids[s.job] ?? "-",
      s.reason + (s.supersedes ? ` (stops ${s.supersedes} first)` : ""),
    ]),
    { colors: ctx.outColors },
  );
}

function headline(resume: ResumePlan, dryRun: boolean): string {
  const submit = resume.steps.filter((s) => s.action === "submit").length;
  const keep = resume.steps.length - submit;
  if (!submit) {
    return `Nothing to resume: every job of run '${resume.runId}' SUCCEEDED or is still in flight ` +
      `(${plural(keep, "job")} kept).`;
  }
  return `${dryRun ? "Would resume" : "Resumed"} run '${resume.runId}' of workflow '${resume.workflow}': ` +
    `${plural(submit, "job")} ${dryRun ? "to submit" : "submitted"}, ${keep} kept.`;
}

/** Adds `resume` to the `workflow` group. */
export function registerWorkflowResumeCommand(group: AnyCommand, ctx: CliContext): void {
  const help = planFlagHelp();
  const resume = group.command("resume")
    .argument("<workflow>", "the workflow's name, or its file")
    .argument("<runId>", "the run id that submit printed")
    .argument("[file]", "the workflow file the run was submitted with (when the first argument is a name)")
    .description(
      "finish a run in place: keep what SUCCEEDED or still runs, submit what was never submitted or FAILED " +
        "(with everything that waits for it) as a new attempt of the same run",
    )
    .option("-n, --dry-run", "show what resume would keep, stop and submit, and change nothing")
    .option(
      "--rerun-changed",
      "submit again the kept jobs whose request differs from the file's (and their dependents)",
    )
    .option("--queues <names>", "search only these queues for the run's jobs (default: every queue)", parseList)
    .option("--queue <queue>", help.queue)
    .option("--execution-role <arn>", help.executionRole)
    .option("--job-role <arn>", help.jobRole)
    .option("-w, --watch", "follow the run until every job ended; exit 1 unless every job SUCCEEDED")
    .option("--keep-on-failure", "if a submission fails part way, leave the jobs this resume submitted running")
    .option("--rate <n>", "most submit calls in any one second (default 50, the SubmitJob quota)", intBetween(1, 50))
    .option("--concurrency <n>", "most calls in flight at once (default 16)", intBetween(1, 64))
    .action(async (workflowText, runId, fileArg, flags) => {
      const file = isWorkflowFile(workflowText) ? workflowText : fileArg;
      if (!file) {
        throw new UsageError(
          `Resume needs the workflow file run '${runId}' was submitted with, to know what to submit: ` +
            `ezbatch workflow resume ${workflowText} ${runId} FILE`,
        );
      }
      const wf = await readWorkflow(ctx, file);
      if (!isWorkflowFile(workflowText) && wf.name !== workflowText) {
        throw new UsageError(`The file '${file}' holds workflow '${wf.name}', not '${workflowText}'`);
      }
      const backend = await ctx.backend();
      const options = {
        ...await submitOptions(ctx, backend, wf, flags),
        runId,
        signal: ctx.signal,
        clock: ctx.clock,
        rerunChanged: flags.rerunChanged === true,
        keepOnFailure: flags.keepOnFailure === true,
        ...(flags.queues ? { queues: flags.queues } : {}),
        ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
      };
      // A refusal names the file it compared the run with.
      const inFile = (error: unknown) => {
        if (!(error instanceof WorkflowError)) throw error;
        throw new WorkflowError(error.issues.map((i) => ({ file, ...i })));
      };
      if (flags.dryRun) {
        const plan = await prepareResume(backend, wf, options).catch(inFile);
        ctx.print(
          { workflow: plan.workflow, runId, dryRun: true, steps: plan.steps },
          () => `${renderSteps(plan, ctx)}\n${headline(plan, true)}`,
        );
        return;
      }
      const result = await resumeWorkflow(backend, wf, options).catch(inFile);
      const { resume: plan } = result;
      const printed = { workflow: plan.workflow, runId, steps: plan.steps, jobs: result.jobs, stopped: result.stopped };
      if (!flags.watch) {
        ctx.print(printed, () => `${renderSteps(plan, ctx, result.run?.jobs)}\n${headline(plan, false)}`);
        if (result.run) ctx.note(`Follow it: ezbatch workflow status ${file} ${runId} --watch${localFlag(ctx)}`);
        return;
      }
      if (!ctx.json) ctx.out(`${renderSteps(plan, ctx, result.run?.jobs)}\n${headline(plan, false)}`);
      const jobs = await followSubmitted(ctx, backend, { workflow: wf.name, runId, jobs: result.jobs, file });
      const summary = summarizeRun(jobs, { expected: Object.keys(wf.jobs).length });
      if (ctx.json) ctx.outJson({ ...printed, final: jobs, summary });
      else ctx.out(`\n${renderRunJobs(jobs, ctx)}\n${summaryLine(runId, summary)}`);
      adviseNext(ctx, { workflow: wf.name, runId, summary, file });
      if (!summary.succeeded) ctx.exitCode = 1;
    });
  allErrorsOption(resume);
  examples(
    resume,
    "ezbatch workflow resume pipeline.toml k3x9a0qz --dry-run",
    "ezbatch workflow resume pipeline k3x9a0qz pipeline.toml --watch",
    "ezbatch workflow resume pipeline.toml k3x9a0qz --rerun-changed",
  );
}
