/**
 * `ezbatch jobs list` and `ezbatch jobs describe`.
 * @module
 */
import type { AttemptDetail, JobDetail, JobStatus, JobSummary, ListJobsQuery } from "../core/backend_types.ts";
import { JOB_STATUSES } from "../core/backend_types.ts";
import { NotFoundError, UsageError } from "../core/errors.ts";
import { failureAdvice } from "../core/actions/failure_advice.ts";
import { queueOf } from "../core/actions/submit_job.ts";
import { jobCommand } from "../core/job_command.ts";
import { listAllJobs, logLocationsOf, type RunnableDiagnosis, runnableReasons } from "../core/jobs.ts";
import type { CliContext } from "./context.ts";
import { Option } from "./deps.ts";
import { colorStatus, formatDuration, formatTime, renderFields, renderTable } from "./output.ts";
import { choiceOption, completing, intBetween, parseTimePoint, QUEUE_NAMES } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

/** Job states and `ALL`, for `--status`. */
export const STATUS_CHOICES = [...JOB_STATUSES, "ALL"] as const;

/** The queue a command works on: the flag, else the config's default queue, else with --local the local one. */
export async function queueOrDefault(ctx: CliContext, queue: string | undefined): Promise<string> {
  const settings = await ctx.settings();
  const local = ctx.wantsLocal || settings.backend === "local";
  return queueOf(queue, settings, local);
}

/** Flags of `jobs list`. */
interface ListFlags {
  queue?: string;
  array?: string;
  status?: (typeof STATUS_CHOICES)[number];
  name?: string;
  since?: number;
  before?: number;
  limit?: number;
}

/** Lists the jobs the flags select: one server-side filter, the rest applied here; newest first. */
export async function listJobs(ctx: CliContext, flags: ListFlags): Promise<JobSummary[]> {
  const { since, before } = flags;
  const query: ListJobsQuery = flags.array
    ? { arrayJobId: flags.array }
    : { jobQueue: await queueOrDefault(ctx, flags.queue) };
  if (flags.array && flags.queue) throw new UsageError("Give --queue or --array, not both");
  const status = flags.status === "ALL" ? undefined : flags.status;
  if (flags.name) query.filter = { name: "JOB_NAME", values: [flags.name] };
  else if (since !== undefined) query.filter = { name: "AFTER_CREATED_AT", values: [String(since)] };
  else if (before !== undefined) query.filter = { name: "BEFORE_CREATED_AT", values: [String(before)] };
  else if (status) query.jobStatus = status;
  const backend = await ctx.backend();
  const jobs: JobSummary[] = [];
  for await (const job of listAllJobs(backend, query, { signal: ctx.signal, allStatuses: true, clock: ctx.clock })) {
    if (status && job.status !== status) continue;
    if (since !== undefined && (job.createdAt ?? 0) < since) continue;
    if (before !== undefined && (job.createdAt ?? 0) >= before) continue;
    jobs.push(job);
  }
  jobs.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || a.jobName.localeCompare(b.jobName));
  return flags.limit === undefined ? jobs : jobs.slice(0, flags.limit);
}

function exitCodeOf(job: { container?: { exitCode?: number }; attempts?: AttemptDetail[] }): number | undefined {
  return job.container?.exitCode ?? job.attempts?.at(-1)?.container?.exitCode;
}

function duration(job: { startedAt?: number; stoppedAt?: number }, now: number): string | undefined {
  if (!job.startedAt) return undefined; // never started (an array parent, a job failed through a dependency): 0 or absent
  return formatDuration((job.stoppedAt ?? now) - job.startedAt);
}

/** The table of `jobs list`. */
export function renderJobTable(jobs: JobSummary[], ctx: CliContext): string {
  const c = ctx.outColors;
  const now = ctx.now();
  return renderTable(
    ["JOB ID", "NAME", "STATUS", "CREATED", "DURATION", "EXIT"],
    jobs.map((j) => [
      j.jobId,
      j.jobName,
      colorStatus(j.status, c) + (j.arrayProperties?.size ? ` [${j.arrayProperties.size}]` : ""),
      formatTime(j.createdAt),
      duration(j, now),
      exitCodeOf(j),
    ]),
    { colors: c, emptyText: "No jobs." },
  );
}

function attemptsTable(attempts: AttemptDetail[], ctx: CliContext): string {
  return renderTable(
    ["ATTEMPT", "STARTED", "STOPPED", "EXIT", "REASON", "LOG STREAM"],
    attempts.map((a, i) => [
      i + 1,
      formatTime(a.startedAt),
      formatTime(a.stoppedAt),
      a.container?.exitCode,
      a.statusReason ?? a.container?.reason,
      a.container?.logStreamName,
    ]),
    { colors: ctx.outColors },
  );
}

function diagnosisText(d: RunnableDiagnosis, ctx: CliContext): string {
  const c = ctx.outColors;
  const rows = [
    ...(d.queue ? [["queue", d.queue.name, d.queue.state, colorStatus(d.queue.status, c), d.queue.statusReason]] : []),
    ...d.computeEnvironments.map((e) => [
      "compute environment",
      e.name,
      e.state,
      colorStatus(e.status, c),
      e.statusReason,
    ]),
  ];
  const problems = d.problems.length ? d.problems.map((p) => `  ! ${p}`).join("\n") : "  No obvious problem found.";
  return `Why it may be waiting in RUNNABLE:\n${problems}\n\n${
    renderTable(["", "NAME", "STATE", "STATUS", "REASON"], rows, { colors: c })
  }`;
}

/** The Command line of `jobs describe`: what the user wrote (saying when the preloader runs it), or AWS's with `raw`. */
function commandText(command: string[] | undefined, raw: boolean): string | undefined {
  if (!command) return undefined;
  const split = jobCommand(command);
  if (raw || !split.preloader) return JSON.stringify(command);
  const own = split.command.length ? JSON.stringify(split.command) : "(the image's CMD)";
  return `${own}, run by the ezbatch preloader (--raw shows the whole command)`;
}

/** The text of `jobs describe` for one job; `raw` shows the container command exactly as AWS has it. */
export function renderJobDetail(
  job: JobDetail,
  diagnosis: RunnableDiagnosis | undefined,
  ctx: CliContext,
  raw = false,
): string {
  const c = ctx.outColors;
  const summary = job.arrayProperties?.statusSummary;
  const stream = (() => {
    try {
      return logLocationsOf(job)[0];
    } catch {
      return undefined;
    }
  })();
  const fields = renderFields([
    ["Job", `${job.jobName} (${job.jobId})`],
    ["Queue", job.jobQueue],
    ["Definition", job.jobDefinition],
    ["Status", colorStatus(job.status, c)],
    ["Reason", job.statusReason],
    ["Created", formatTime(job.createdAt)],
    ["Started", job.startedAt ? formatTime(job.startedAt) : undefined],
    ["Stopped", job.stoppedAt ? formatTime(job.stoppedAt) : undefined],
    ["Duration", duration(job, ctx.now())],
    ["Exit code", exitCodeOf(job)],
    ["Container", job.container?.reason],
    [
      "Array",
      job.arrayProperties?.size
        ? `${job.arrayProperties.size} children` +
          (summary ? `: ${Object.entries(summary).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(", ")}` : "")
        : job.arrayProperties?.index !== undefined
        ? `child ${job.arrayProperties.index}`
        : undefined,
    ],
    [
      "Depends on",
      job.dependsOn?.length
        ? job.dependsOn.map((d) => `${d.jobId ?? "(own children)"}${d.type ? ` ${d.type}` : ""}`).join(", ")
        : undefined,
    ],
    ["Image", job.container?.image],
    ["Command", commandText(job.container?.command, raw)],
    ["Log", stream ? `${stream.group} ${stream.stream}` : undefined],
    [
      "Tags",
      job.tags && Object.keys(job.tags).length
        ? Object.entries(job.tags).map(([k, v]) => `${k}=${v}`).join(", ")
        : undefined,
    ],
  ], { colors: c });
  const parts = [fields];
  if (job.attempts?.length) parts.push(attemptsTable(job.attempts, ctx));
  if (diagnosis) parts.push(diagnosisText(diagnosis, ctx));
  const advice = failureAdvice(job);
  if (advice) parts.push(`${ctx.outColors.yellow("What to do:")} ${advice}`);
  return parts.join("\n\n");
}

/** Describes jobs; throws NotFoundError naming the ids not found. */
export async function describeJobsOrFail(ctx: CliContext, ids: string[]): Promise<JobDetail[]> {
  const backend = await ctx.backend();
  const found = await backend.describeJobs(ids, { signal: ctx.signal });
  const missing = ids.filter((id) => !found.some((j) => j.jobId === id));
  if (missing.length) {
    throw new NotFoundError(
      `No job with id ${
        missing.map((m) => `'${m}'`).join(", ")
      }; 'ezbatch jobs list --queue Q' shows the jobs of a queue`,
    );
  }
  return ids.map((id) => found.find((j) => j.jobId === id)!);
}

/** Adds `list` and `describe` to the `jobs` group. */
export function registerJobReadCommands(group: AnyCommand, ctx: CliContext): void {
  const list = group.command("list").alias("ls")
    .description("list the jobs of a queue (every state and page by default), newest first")
    .addOption(
      completing(
        new Option("-q, --queue <queue>", "the queue (default: the config's queue; with --local, 'ezbatch-local')"),
        QUEUE_NAMES,
      ),
    )
    .option("--array <jobId>", "list the children of this array job instead")
    .addOption(choiceOption("-s, --status <status>", `${JOB_STATUSES.join(", ")} or ALL (default ALL)`, STATUS_CHOICES))
    .option("--name <pattern>", "job name; a trailing * matches a prefix (case-insensitive)")
    .option(
      "--since <time>",
      "created at or after: 2026-01-31, 2026-01-31T12:00:00Z, or an age like 2h or 3d",
      (text) => parseTimePoint(text, ctx.now()),
    )
    .option("--before <time>", "created before (same forms as --since)", (text) => parseTimePoint(text, ctx.now()))
    .option("--limit <n>", "show at most this many (the newest)", intBetween(1, 1_000_000))
    .action(async (flags) => {
      const jobs = await listJobs(ctx, flags as ListFlags);
      ctx.print(jobs, () => renderJobTable(jobs, ctx));
    });
  examples(
    list,
    "ezbatch jobs list --queue my-queue",
    "ezbatch jobs list -q my-queue --status FAILED --since 1d",
    "ezbatch jobs list -q my-queue --name 'demo-k3x9*' --json",
    "ezbatch jobs list --array 6b2e0c1e-...   # the children of an array job",
  );

  const describe = group.command("describe").argument("<jobIds...>", "one or more job ids (array child: id:index)")
    .description("show a job: state, reason, attempts, exit code; for RUNNABLE jobs, why they may be waiting")
    .option("--raw", "show the container command as AWS has it (with the preloader's wrapper script)")
    .action(async (ids, flags) => {
      const jobs = await describeJobsOrFail(ctx, ids);
      const backend = await ctx.backend();
      const raw = flags.raw === true;
      const results: { job: JobDetail; runnable?: RunnableDiagnosis; advice?: string; userCommand?: string[] }[] = [];
      for (const job of jobs) {
        const runnable = job.status === ("RUNNABLE" satisfies JobStatus)
          ? await runnableReasons(backend, job, { signal: ctx.signal })
          : undefined;
        const advice = failureAdvice(job);
        const split = jobCommand(job.container?.command ?? []);
        results.push({
          job,
          ...(runnable ? { runnable } : {}),
          ...(advice ? { advice } : {}),
          ...(split.preloader && !raw ? { userCommand: split.command } : {}),
        });
      }
      if (ctx.json) ctx.outJson(ids.length === 1 ? results[0] : results);
      else ctx.out(results.map((r) => renderJobDetail(r.job, r.runnable, ctx, raw)).join("\n\n"));
    });
  examples(
    describe,
    "ezbatch jobs describe 6b2e0c1e-0000-4000-8000-000000000000",
    "ezbatch jobs describe ID --json",
    "ezbatch jobs describe ID --raw",
  );
}
