/**
 * The runs of the workflow open in the editor: submit and watch one, find one again by its id (every job's state,
 * the jobs never submitted), resume it, or report on it, by the same core functions and options as the CLI.
 * @module
 */
import { dirname, join } from "node:path";
import type { Backend } from "../../core/backend.ts";
import type { EZBatchWorkflow } from "../../core/model.ts";
import { RUN_ID_PATTERN } from "../../core/plan.ts";
import { findRun, type RunSummary } from "../../core/run.ts";
import { prepareResume, resumeWorkflow } from "../../core/resume.ts";
import { submitRunOptions } from "../../core/actions/run_options.ts";
import { reportRun } from "../../core/report.ts";
import { renderReportHtml } from "../../core/report_html.ts";
import { renderReportText } from "../../core/report_text.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { localFeatureNotes } from "../../core/job_features_local.ts";
import type { Session } from "./context.ts";

/** Asks, submits the workflow of `path`, and offers to watch the run here or in the monitor. */
export async function submitAndWatch(session: Session, path: string, wf: EZBatchWorkflow): Promise<void> {
  const { p } = session;
  if (!await p.confirm(`Submit '${wf.name}' (${Object.keys(wf.jobs).length} jobs)?`, { default: true })) return;
  const backend = await session.backend();
  // As the CLI does: on the local backend, what it ignores or applies only in docker or podman, before it runs.
  if (backend.kind === "local") {
    const notes = Object.entries(wf.jobs).flatMap(([name, job]) => localFeatureNotes(name, job));
    if (notes.length) p.say(...notes.map((n) => `Warning: ${n}`));
  }
  const run = await submitWorkflow(backend, wf, await runSubmitOptions(session, backend, wf));
  p.say(`Submitted run ${run.runId}:`, ...Object.entries(run.jobs).map(([job, id]) => `  ${job}: ${id}`));
  p.command(["workflow", "submit", path]);
  const how = await p.select("Watch it?", [
    { name: "Here, until it ends", value: "here" },
    { name: "In the monitor", value: "monitor" },
    { name: "No", value: "no" },
  ]);
  if (how === "monitor") {
    await session.monitor(backend, { runId: run.runId, ...(run.queues[0] ? { queue: run.queues[0] } : {}) });
  }
  if (how === "here") await watch(session, backend, wf.name, run.runId, run.queues);
  if (how === "monitor") p.command(["monitor", "--run", run.runId]);
  if (how === "here") p.command(["workflow", "status", wf.name, run.runId, "--watch"]);
}

async function watch(session: Session, backend: Backend, workflow: string, runId: string, queues: string[]) {
  session.p.say("Watching (Ctrl-C stops watching; the run goes on).");
  const stopped = await session.p.whileBusy((signal) =>
    watchRun(session, backend, { workflow, runId, queues }, signal)
  );
  if (stopped) session.p.say("(stopped watching)");
}

async function watchRun(
  session: Session,
  backend: Backend,
  query: { workflow: string; runId: string; queues: string[] },
  signal: AbortSignal,
): Promise<void> {
  const { runId } = query;
  let last = "";
  for (;;) {
    signal.throwIfAborted();
    const { workflow, queues } = query;
    const found = await findRun(backend, { workflow, runId, signal, ...(queues.length ? { queues } : {}) });
    const summary = found.summary;
    const line = Object.entries(summary.byStatus).filter(([, n]) => n).map(([s, n]) => `${s} ${n}`).join(", ") +
      (summary.notSubmitted ? `, NOT SUBMITTED ${summary.notSubmitted}` : "");
    if (line !== last) session.p.say(`  ${new Date().toISOString().slice(11, 19)} ${line}`);
    last = line;
    if (summary.finished) return session.p.say(verdict(runId, summary));
    await new Promise((r) => setTimeout(r, Math.max(session.pollMs, 20)));
  }
}

/** The options the CLI's `workflow submit` would use with these settings (the account's default role included). */
async function runSubmitOptions(session: Session, backend: Backend, wf: EZBatchWorkflow) {
  return await submitRunOptions(backend, wf, await session.settings(), await session.planOptions());
}

/** One sentence on how a run ended: succeeded, failed (which jobs, why), or INCOMPLETE. */
function verdict(runId: string, summary: RunSummary): string {
  const failed = summary.failed.map((j) => `${j.job} (${j.statusReason ?? "no reason"})`).join(", ");
  if (summary.state === "INCOMPLETE") {
    return `Run ${runId} is INCOMPLETE: ${summary.notSubmitted} of its ${summary.expected} jobs were never ` +
      `submitted${failed ? `; failed: ${failed}` : ""}.`;
  }
  return summary.succeeded ? `Run ${runId} succeeded.` : `Run ${runId} failed: ${failed}.`;
}

/**
 * Finds a run of the workflow of `path`, shows where it stands, and offers to resume it (when it did not succeed) or
 * to report on it.
 */
export async function runStatus(session: Session, path: string, wf: EZBatchWorkflow): Promise<void> {
  const { p } = session;
  const runId = await p.text("Run id (as submit printed it)", {
    validate: (id) => RUN_ID_PATTERN.test(id) ? undefined : "A run id has 1-32 letters and digits",
  });
  const backend = await session.backend();
  const found = await findRun(backend, { workflow: wf.name, runId, jobNames: Object.keys(wf.jobs) });
  p.say(
    ...found.jobs.map((j) => `  ${j.job}: ${j.status}${(j.attempt ?? 1) > 1 ? ` (attempt ${j.attempt})` : ""}`),
    ...found.missing.map((job) => `  ${job}: NOT SUBMITTED`),
    verdict(runId, found.summary),
  );
  p.command(["workflow", "status", path, runId]);
  const { state, failed } = found.summary;
  const resumable = !(state === "SUCCEEDED" || state === "RUNNING" && !failed.length);
  const options = { ...await runSubmitOptions(session, backend, wf), runId };
  const submits = resumable
    ? (await prepareResume(backend, wf, options)).steps.filter((s) => s.action === "submit")
    : [];
  p.say(...submits.map((s) => `  would submit ${s.job} (attempt ${s.attempt}): ${s.reason}`));
  const next = await p.select(`Run ${runId}: what now?`, [
    ...(resumable ? [{ name: `Resume it: submit ${submits.length} job(s), keep the rest`, value: "resume" }] : []),
    { name: "Report: summary and timeline here, an HTML page next to the workflow file", value: "report" },
    { name: "Back", value: "back" },
  ]);
  if (next === "report") await report(session, backend, path, wf.name, runId);
  if (next !== "resume") return;
  await resumeWorkflow(backend, wf, options);
  p.say(`Resumed run ${runId}.`);
  p.command(["workflow", "resume", path, runId]);
  if (await p.confirm("Watch it here until it ends?", { default: true })) {
    await watch(session, backend, wf.name, runId, []);
  }
}

/** A run's report: the terminal summary and timeline, and the HTML page beside the workflow file. */
async function report(session: Session, backend: Backend, file: string, workflow: string, runId: string) {
  const found = await reportRun(backend, { workflow, runId });
  session.p.say(renderReportText(found, { width: 80 }));
  const html = join(dirname(file), `${workflow}-${runId}-report.html`);
  await Deno.writeTextFile(html, await renderReportHtml(found));
  session.p.say(`Wrote the HTML report to '${html}'.`);
  session.p.command(["workflow", "report", workflow, runId, "-o", html]);
}
