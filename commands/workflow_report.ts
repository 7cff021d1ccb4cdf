/**
 * `ezbatch workflow report NAME RUN_ID`: where a run's time and money went, as a terminal summary and timeline,
 * an HTML page (`-o report.html`), JSON (`--json`) or a CSV trace of attempts (`--csv`).
 * @module
 */
import { parsePriceOverrides } from "../core/pricing.ts";
import { reportRun } from "../core/report.ts";
import type { RunReport } from "../core/report_types.ts";
import { UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { type AnyCommand, examples } from "./program.ts";

function parseList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Reads a run's report with the CLI's backend, settings and clock. */
export async function cliReport(
  ctx: CliContext,
  workflow: string,
  runId: string,
  options: { queues?: string[]; priceList?: boolean } = {},
): Promise<RunReport> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(workflow)) {
    throw new UsageError(`'${workflow}' is not a workflow name: letters, digits, '-' and '_'`);
  }
  const settings = await ctx.settings();
  const backend = await ctx.backend();
  return await reportRun(backend, {
    workflow,
    runId,
    signal: ctx.signal,
    clock: ctx.clock,
    now: ctx.now,
    ...(options.queues ? { queues: options.queues } : {}),
    ...(options.priceList === false ? { priceList: false } : {}),
    ...(settings.prices ? { priceOverrides: parsePriceOverrides(settings.prices) } : {}),
  });
}

/** Writes the HTML page of a report; returns its size in bytes. */
export async function writeReportHtml(report: RunReport, path: string): Promise<number> {
  const { renderReportHtml } = await import("../core/report_html.ts");
  const bytes = new TextEncoder().encode(await renderReportHtml(report));
  await Deno.writeFile(path, bytes);
  return bytes.length;
}

/** Adds `report` to the `workflow` group. */
export function registerWorkflowReportCommand(group: AnyCommand, ctx: CliContext): void {
  const report = group.command("report").argument("<workflow>", "the workflow's name").argument(
    "<run-id>",
    "the run id",
  )
    .description("where a run's time and money went: summary, timeline, critical path, estimated cost")
    .option("-o, --output <file>", "also write a self-contained HTML report (timeline, DAG, job table) to <file>")
    .option("--csv", "print one CSV row per attempt instead (like Nextflow's trace)")
    .option("--queues <names>", "search only these queues (default: every queue)", parseList)
    .option("--no-price-list", "use the built-in price table without asking the AWS Price List API")
    .action(async (workflow, runId, flags) => {
      if (flags.csv && ctx.json) throw new UsageError("Give --csv or --json, not both");
      const data = await cliReport(ctx, workflow, runId, {
        ...(flags.queues ? { queues: flags.queues } : {}),
        priceList: flags.priceList,
      });
      if (flags.output) {
        const size = await writeReportHtml(data, flags.output);
        ctx.note(`Wrote ${flags.output} (${(size / 1024).toFixed(0)} KiB): open it in a browser`);
      }
      if (flags.csv) {
        const { renderReportCsv } = await import("../core/report_csv.ts");
        ctx.out(renderReportCsv(data).trimEnd());
        return;
      }
      const { renderReportText } = await import("../core/report_text.ts");
      ctx.print(data, () => renderReportText(data, { width: Math.min(ctx.stdout.columns ?? 80, 120) }));
    });
  examples(
    report,
    "ezbatch workflow report demo k3x9a0qz",
    "ezbatch workflow report demo k3x9a0qz -o report.html",
    "ezbatch workflow report demo k3x9a0qz --csv > trace.csv",
    "ezbatch workflow report demo k3x9a0qz --json",
  );
}
