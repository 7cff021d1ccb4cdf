/**
 * The Jobs menu: list a queue's jobs by state, describe one, follow its log, cancel or terminate it (confirmed).
 * @module
 */
import process from "node:process";
import type { Backend } from "../../core/backend.ts";
import { JOB_STATUSES, type JobStatus, type JobSummary } from "../../core/backend_types.ts";
import { detailLines } from "../monitor/format.ts";
import { listQueueJobs, queueInfoOf, runOf } from "../monitor/data.ts";
import { followLog as followJobLog, stopJob } from "../../core/jobs.ts";
import { DEFAULT_STOP_REASON } from "../../core/job_stop.ts";
import { Cancelled } from "./prompter.ts";
import { allQueues, type Session, table } from "./context.ts";
import { submitJobFlow } from "./submit.ts";

const NOT_STARTED: JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE"];
const ENDED: JobStatus[] = ["SUCCEEDED", "FAILED"];

/** The Jobs menu; returns on Back. */
export async function jobsMenu(session: Session): Promise<void> {
  const { p } = session;
  for (;;) {
    const action = await p.select("Jobs", [
      { name: "Submit an image and command", value: "submit" },
      { name: "List jobs", value: "list" },
      { name: "Describe a job", value: "describe" },
      { name: "Follow a job's log", value: "logs" },
      { name: "Cancel or terminate a job", value: "stop" },
      { name: "Back", value: "back" },
    ]);
    if (action === "back") return;
    const backend = await session.backend();
    await p.inMenu("the Jobs menu", async () => {
      if (action === "submit") await submitJobFlow(session, backend, pickQueue, followLog);
      if (action === "list") await list(session, backend);
      if (action === "describe") await describe(session, backend);
      if (action === "logs") await logs(session, backend);
      if (action === "stop") await stop(session, backend);
    });
  }
}

/** Asks for a queue among the live ones; undefined (with a message) when there is none. */
export async function pickQueue(session: Session, backend: Backend): Promise<string | undefined> {
  const queues = await allQueues(backend);
  if (!queues.length) {
    session.p.say("There is no job queue yet: create one under Infrastructure.");
    return undefined;
  }
  if (queues.length === 1) return queues[0]!.jobQueueName;
  return await session.p.select(
    "Job queue",
    queues.map((q) => ({ name: `${q.jobQueueName} (${q.state ?? "?"}, ${q.status ?? "?"})`, value: q.jobQueueName })),
  );
}

async function list(session: Session, backend: Backend): Promise<void> {
  const queue = await pickQueue(session, backend);
  if (!queue) return;
  const status = await session.p.select<JobStatus | "ALL">("Which jobs?", [
    { name: "All states", value: "ALL" },
    ...JOB_STATUSES.map((s) => ({ name: s, value: s })),
  ]);
  const jobs = await listQueueJobs(backend, queue, status === "ALL" ? {} : { statuses: [status] });
  session.p.say(
    ...(jobs.length
      ? table(
        ["JOB ID", "NAME", "STATUS", "EXIT", "CREATED"],
        jobs.map((j) => [
          j.jobId,
          j.jobName,
          j.status ?? "",
          j.container?.exitCode === undefined ? "" : String(j.container.exitCode),
          j.createdAt ? new Date(j.createdAt).toISOString().slice(0, 19).replace("T", " ") : "",
        ]),
      )
      : [`No ${status === "ALL" ? "" : `${status} `}jobs in queue '${queue}'.`]),
  );
  session.p.command(["jobs", "list", "-q", queue, ...(status === "ALL" ? [] : ["--status", status])]);
}

async function pickJob(
  session: Session,
  backend: Backend,
  statuses: readonly JobStatus[] = JOB_STATUSES,
): Promise<JobSummary | undefined> {
  const queue = await pickQueue(session, backend);
  if (!queue) return undefined;
  const jobs = await listQueueJobs(backend, queue, { statuses });
  if (!jobs.length) {
    session.p.say(`No matching jobs in queue '${queue}'.`);
    return undefined;
  }
  return await session.p.select(
    "Job",
    jobs.slice(0, 200).map((j) => ({ name: `${j.jobName}  ${j.status ?? ""}  ${j.jobId}`, value: j })),
  );
}

async function describe(session: Session, backend: Backend): Promise<void> {
  const job = await pickJob(session, backend);
  if (!job) return;
  const [detail] = await backend.describeJobs([job.jobId]);
  if (!detail) return session.p.say(`Job '${job.jobId}' is gone.`);
  const queueInfo = detail.status === "RUNNABLE" ? await queueInfoOf(backend, detail.jobQueue) : undefined;
  const row = {
    jobId: detail.jobId,
    jobName: detail.jobName,
    status: detail.status,
    detail,
    ...(detail.statusReason ? { statusReason: detail.statusReason } : {}),
    ...(detail.createdAt ? { createdAt: detail.createdAt } : {}),
    ...(detail.startedAt ? { startedAt: detail.startedAt } : {}),
    ...(detail.stoppedAt ? { stoppedAt: detail.stoppedAt } : {}),
    ...(detail.container?.exitCode !== undefined ? { exitCode: detail.container.exitCode } : {}),
    ...(runOf(detail) ? { run: runOf(detail)! } : {}),
  };
  session.p.say(...detailLines(row, queueInfo));
  session.p.command(["jobs", "describe", detail.jobId]);
}

async function logs(session: Session, backend: Backend): Promise<void> {
  const job = await pickJob(session, backend);
  if (job) await followLog(session, backend, job);
}

/** Prints a job's log from the start and follows it until the job ends (Ctrl-C stops following). */
export async function followLog(
  session: Session,
  backend: Backend,
  job: { jobId: string; jobName: string },
): Promise<void> {
  const { p } = session;
  p.say(`Log of '${job.jobName}' (Ctrl-C stops following):`);
  let lines = 0;
  const stopped = await interruptible(async (signal) => {
    for await (const event of followJobLog(backend, job.jobId, { signal, pollMs: Math.max(session.pollMs, 10) })) {
      p.say(event.message);
      lines++;
    }
  });
  const [detail] = await backend.describeJobs([job.jobId]);
  if (!lines) p.say("(no log lines: the stream appears once the job is RUNNING)");
  p.say(stopped ? "(stopped following)" : `(job ${detail?.status ?? "ended"})`);
  p.command(["jobs", "logs", job.jobId, "--follow"]);
}

/**
 * Runs `work` until it ends or the user presses Ctrl-C (SIGINT while no prompt is shown); true when interrupted.
 */
export async function interruptible(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Cancelled());
  process.on("SIGINT", onSigint);
  try {
    await work(abort.signal);
    return false;
  } catch (error) {
    if (abort.signal.aborted) return true;
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

async function stop(session: Session, backend: Backend): Promise<void> {
  const job = await pickJob(session, backend, JOB_STATUSES.filter((s) => !ENDED.includes(s)));
  if (!job) return;
  const cancel = NOT_STARTED.includes(job.status ?? "SUBMITTED");
  if (!await session.p.confirm(`${cancel ? "Cancel" : "Terminate"} job '${job.jobName}' (${job.status})?`)) {
    return session.p.say("Kept it.");
  }
  // The reason `jobs stop` sends by default, so the CLI line below sends the very same request.
  const result = await stopJob(backend, job.jobId, { reason: DEFAULT_STOP_REASON });
  session.p.say(result.message);
  session.p.command(["jobs", "stop", job.jobId]);
}
