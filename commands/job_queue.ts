/**
 * `ezbatch job-queue create|list|describe|toggle|enable|disable|delete`.
 * @module
 */
import type { JobQueue } from "../core/backend_types.ts";
import { createJobQueue, jobQueueInput, type JobQueueRequest } from "../core/actions/job_queue.ts";
import { EzBatchError } from "../core/errors.ts";
import {
  findQueue,
  listAllQueues,
  nameOf,
  timeoutSeconds,
  WAIT_HELP,
  type WaitFlags,
  waitForComputeEnvironment,
  waitForQueue,
} from "./_infra.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatMap, plural, renderFields, renderTable } from "./output.ts";
import { describeCounts, unfinishedJobs } from "../core/queue_jobs.ts";
import { completing, intBetween, parseDurationSeconds, parseKeyValue, parseList, QUEUE_NAMES } from "./parse.ts";
import { Argument } from "./deps.ts";
import { type AnyCommand, examples } from "./program.ts";
import { awsClientsOf } from "./scheduling_policy.ts";
import { schedulingPolicyArn } from "../core/aws/scheduling_policy.ts";

/** Flags of `job-queue create`. */
export interface QueueCreateFlags extends WaitFlags {
  computeEnvironments: string[];
  priority: number;
  stuckAfter?: string;
  stuckReason?: string;
  tag?: Record<string, string>;
  disabled?: boolean;
  /** A fair-share scheduling policy (name or ARN; resolved to its ARN before the call). */
  schedulingPolicy?: string;
}

/** The core request of `job-queue create NAME` with these flags. */
export function jobQueueRequest(name: string, flags: QueueCreateFlags): JobQueueRequest {
  const { wait: _wait, timeout: _timeout, tag, schedulingPolicy, ...rest } = flags;
  return {
    name,
    ...rest,
    ...(tag ? { tags: tag } : {}),
    ...(schedulingPolicy ? { schedulingPolicyArn: schedulingPolicy } : {}),
  };
}

function summary(q: JobQueue) {
  return {
    name: q.jobQueueName,
    arn: q.jobQueueArn,
    state: q.state,
    status: q.status,
    statusReason: q.statusReason,
    priority: q.priority,
    computeEnvironments: [...q.computeEnvironmentOrder].sort((a, b) => a.order - b.order).map((o) =>
      nameOf(o.computeEnvironment)
    ),
  };
}

async function setState(ctx: CliContext, name: string, state: "ENABLED" | "DISABLED" | "toggle", flags: WaitFlags) {
  const backend = await ctx.backend();
  const queue = await findQueue(backend, ctx, name);
  const target = state === "toggle" ? (queue.state === "ENABLED" ? "DISABLED" : "ENABLED") : state;
  if (queue.state !== target) {
    await backend.updateJobQueue(queue.jobQueueName, { state: target }, { signal: ctx.signal });
    if (flags.wait !== false) {
      await waitForQueue(backend, ctx, queue.jobQueueName, { state: target }, timeoutSeconds(flags));
    }
  } else {
    ctx.note(`Job queue '${name}' was already ${target}.`);
  }
  ctx.print({ name: queue.jobQueueName, state: target }, () => `${queue.jobQueueName} ${target}`);
}

/** Adds the `job-queue` group to `program`. */
export function registerJobQueueCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("job-queue").alias("queue")
    .description("create and manage job queues (where jobs wait for a compute environment)");
  examples(group, "ezbatch job-queue list", "ezbatch job-queue create my-queue --compute-environments my-fargate");

  const create = group.command("create").argument("<name>", "name of the new queue")
    .description("create a job queue over 1 to 3 compute environments and wait until it is VALID")
    .requiredOption("--compute-environments <names>", "1 to 3 compute environments, in order of preference", parseList)
    .option("--priority <n>", "higher runs first when queues share environments (default 1)", intBetween(0, 1000), 1)
    .option("--stuck-after <duration>", "cancel jobs stuck in RUNNABLE this long (10m to 24h)")
    .option("--stuck-reason <text>", "the status reason given to such jobs")
    .option("--tag <key=value>", "tag the queue (repeatable; the value may contain '=')", parseKeyValue)
    .option("--disabled", "create it DISABLED")
    .option("--scheduling-policy <name>", "a fair-share scheduling policy (name or ARN): jobs then carry a share");
  create.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
    .action((name, flags) => createQueue(ctx, name, flags as QueueCreateFlags));
  examples(
    create,
    "ezbatch job-queue create my-queue --compute-environments my-fargate",
    "ezbatch job-queue create mixed --compute-environments spot-env,ondemand-env --priority 10 --stuck-after 2h",
  );

  const list = group.command("list").alias("ls").description("list every job queue").action(async () => {
    const backend = await ctx.backend();
    const all = (await listAllQueues(backend, ctx)).map(summary);
    const c = ctx.outColors;
    ctx.print(all, () =>
      renderTable(
        ["NAME", "STATE", "STATUS", "PRIORITY", "COMPUTE ENVIRONMENTS"],
        all.map((
          q,
        ) => [q.name, colorStatus(q.state, c), colorStatus(q.status, c), q.priority, q.computeEnvironments.join(", ")]),
        { colors: c, emptyText: "No job queues." },
      ));
  });
  examples(list, "ezbatch job-queue list", "ezbatch job-queue list --json");

  const describe = group.command("describe")
    .addArgument(completing(new Argument("<name>", "queue name or ARN"), QUEUE_NAMES))
    .description("show one job queue with the status of its compute environments")
    .action(async (name) => {
      const backend = await ctx.backend();
      const queue = await findQueue(backend, ctx, name);
      const s = summary(queue);
      const page = await backend.describeComputeEnvironments(s.computeEnvironments, { signal: ctx.signal });
      const envs = s.computeEnvironments.map((n) => {
        const ce = page.computeEnvironments.find((c) => c.computeEnvironmentName === n);
        return { name: n, state: ce?.state, status: ce?.status ?? "MISSING", statusReason: ce?.statusReason };
      });
      const stuck = queue.jobStateTimeLimitActions?.[0];
      const c = ctx.outColors;
      ctx.print({ ...queue, computeEnvironments: envs }, () =>
        renderFields([
          ["Name", queue.jobQueueName],
          ["ARN", queue.jobQueueArn],
          ["State", colorStatus(queue.state, c)],
          ["Status", colorStatus(queue.status, c)],
          ["Reason", queue.statusReason],
          ["Priority", queue.priority],
          ["Stuck jobs", stuck ? `${stuck.action} after ${stuck.maxTimeSeconds} s in ${stuck.state}` : undefined],
          ["Tags", queue.tags ? formatMap(queue.tags) : undefined],
        ], { colors: c }) + "\n\n" + renderTable(
          ["ORDER", "COMPUTE ENVIRONMENT", "STATE", "STATUS", "REASON"],
          envs.map((e, i) => [i + 1, e.name, colorStatus(e.state, c), colorStatus(e.status, c), e.statusReason]),
          { colors: c },
        ));
    });
  examples(describe, "ezbatch job-queue describe my-queue");

  for (
    const [verb, state, help] of [
      ["enable", "ENABLED", "enable a job queue so it accepts jobs"],
      ["disable", "DISABLED", "disable a job queue (queued jobs stay; new submissions fail)"],
      ["toggle", "toggle", "enable a disabled job queue, or disable an enabled one"],
    ] as const
  ) {
    const cmd = group.command(verb).addArgument(completing(new Argument("<name>", "queue name"), QUEUE_NAMES))
      .description(help);
    cmd.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
      .action((name, flags) => setState(ctx, name, state, flags));
    examples(cmd, `ezbatch job-queue ${verb} my-queue`);
  }

  const del = group.command("delete").addArgument(completing(new Argument("<name>", "queue name"), QUEUE_NAMES))
    .description("disable (waiting as needed) and delete a job queue; refuses while it has unfinished jobs")
    .option("--force", "delete it even though it has unfinished jobs (AWS terminates them)");
  del.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
    .action(
      async (name, flags) => {
        const backend = await ctx.backend();
        const seconds = timeoutSeconds(flags);
        const queue = await findQueue(backend, ctx, name);
        await checkQueueEmpty(ctx, queue.jobQueueName, flags.force === true);
        if (queue.state !== "DISABLED") {
          ctx.note(`Disabling job queue '${name}'.`);
          await backend.updateJobQueue(name, { state: "DISABLED" }, { signal: ctx.signal });
        }
        await waitForQueue(backend, ctx, name, { state: "DISABLED" }, seconds);
        await backend.deleteJobQueue(name, { signal: ctx.signal });
        if (flags.wait !== false) await waitForQueue(backend, ctx, name, "gone", seconds);
        ctx.print({ name, deleted: true }, () => `${name} deleted`);
      },
    );
  examples(del, "ezbatch job-queue delete my-queue", "ezbatch job-queue delete old-queue --force");
}

async function createQueue(ctx: CliContext, name: string, flags: QueueCreateFlags): Promise<void> {
  const request = jobQueueRequest(name, flags);
  jobQueueInput(request); // usage errors before any backend is made
  const backend = await ctx.backend();
  if (request.schedulingPolicyArn) {
    const clients = awsClientsOf(backend, "Fair-share queues (--scheduling-policy)");
    request.schedulingPolicyArn = await schedulingPolicyArn(clients, request.schedulingPolicyArn);
  }
  const seconds = timeoutSeconds(flags);
  const { input, arn, message } = await createJobQueue(backend, request, {
    settle: (ce) => waitForComputeEnvironment(backend, ctx, ce, {}, seconds),
    signal: ctx.signal,
  });
  ctx.note(message);
  if (flags.wait !== false) await waitForQueue(backend, ctx, name, {}, seconds);
  ctx.print({ name, arn, state: input.state }, () => arn);
}

/** Refuses to delete a queue with unfinished jobs unless forced (AWS would terminate them without a word). */
async function checkQueueEmpty(ctx: CliContext, name: string, force: boolean): Promise<void> {
  const open = await unfinishedJobs(await ctx.backend(), name, { signal: ctx.signal, clock: ctx.clock });
  if (!open.total) return;
  const what = `${plural(open.total, "unfinished job")} (${describeCounts(open.byStatus)})`;
  if (!force) {
    throw new EzBatchError(
      `Job queue '${name}' still has ${what}: deleting it terminates them. Let them finish or stop them ` +
        `(ezbatch jobs list -q ${name}), or pass --force to delete it anyway`,
    );
  }
  ctx.warn(`Deleting job queue '${name}' terminates its ${what}.`);
}
