/**
 * `ezbatch workflow runs [NAME]`: the recent runs (of one workflow, or all), found from the jobs' run tags on every
 * queue, with their state (INCOMPLETE included) and counts, so a run can be found again without its id.
 * @module
 */
import { listRuns, type RunListing } from "../core/run_list.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatTime, renderTable } from "./output.ts";
import { parseTimePoint } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { countsLine, NOT_SUBMITTED } from "./_run_view.ts";

function countsOf(run: RunListing): string {
  const counts = countsLine(run.summary.byStatus);
  return run.summary.notSubmitted ? `${counts}, ${run.summary.notSubmitted} ${NOT_SUBMITTED}` : counts;
}

/** Adds `runs` to the `workflow` group. */
export function registerWorkflowRunsCommand(group: AnyCommand, ctx: CliContext): void {
  const runs = group.command("runs").argument("[workflow]", "only the runs of this workflow (its name)")
    .description("list recent runs: workflow, run id, submitted, state (INCOMPLETE too) and job counts")
    .option("--since <time>", "runs with a job created since (a date, a date-time or an age such as 2d)", "7d")
    .option("--queues <names>", "search only these queues (comma-separated; default every queue)")
    .option("--limit <n>", "show at most this many runs, newest first", "20")
    .action(async (workflow: string | undefined, flags: { since: string; queues?: string; limit: string }) => {
      const since = parseTimePoint(flags.since, ctx.now());
      const limit = Math.max(1, Number(flags.limit) || 20);
      const backend = await ctx.backend();
      const found = (await listRuns(backend, {
        since,
        ...(workflow ? { workflow } : {}),
        ...(flags.queues ? { queues: flags.queues.split(",").map((q) => q.trim()).filter(Boolean) } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })).slice(0, limit);
      const c = ctx.outColors;
      ctx.print(
        found.map((r) => ({
          workflow: r.workflow,
          runId: r.runId,
          submittedAt: r.submittedAt ?? null,
          state: r.summary.state,
          jobs: r.summary.expected,
          byStatus: Object.fromEntries(Object.entries(r.summary.byStatus).filter(([, n]) => n)),
          notSubmitted: r.summary.notSubmitted,
          queues: r.queues,
        })),
        () =>
          renderTable(
            ["WORKFLOW", "RUN", "SUBMITTED", "STATE", "JOBS", "COUNTS"],
            found.map((r) => [
              r.workflow,
              r.runId,
              formatTime(r.submittedAt),
              colorStatus(r.summary.state, c),
              String(r.summary.expected),
              countsOf(r),
            ]),
            { colors: c, emptyText: `No workflow runs${workflow ? ` of '${workflow}'` : ""} since ${flags.since}.` },
          ),
      );
    });
  examples(
    runs,
    "ezbatch workflow runs",
    "ezbatch workflow runs demo --since 30d --json",
    "ezbatch workflow runs --local",
  );
}
