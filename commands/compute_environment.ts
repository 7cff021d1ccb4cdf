/**
 * `ezbatch compute-environment create|list|describe|toggle|enable|disable|delete`.
 * @module
 */
import type { ComputeEnvironment } from "../core/backend_types.ts";
import { EzBatchError } from "../core/errors.ts";
import { refuseBuiltInDelete } from "../core/local/registry.ts";
import { describeCounts, unfinishedJobs } from "../core/queue_jobs.ts";
import {
  findComputeEnvironment,
  listAllComputeEnvironments,
  listAllQueues,
  nameOf,
  queuesUsing,
  timeoutSeconds,
  WAIT_HELP,
  type WaitFlags,
  waitForComputeEnvironment,
  waitForQueue,
} from "./_infra.ts";
import type { CliContext } from "./context.ts";
import { colorStatus, formatMap, renderFields, renderTable } from "./output.ts";
import { computeEnvironmentRequest, type CreateFlags, STRATEGIES, TYPES } from "./_ce_input.ts";
import { computeEnvironmentInput, createComputeEnvironment } from "../core/actions/compute_environment.ts";
import { choiceOption, intBetween, parseDurationSeconds, parseKeyValue, parseList } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

function summary(ce: ComputeEnvironment) {
  return {
    name: ce.computeEnvironmentName,
    arn: ce.computeEnvironmentArn,
    type: ce.computeResources?.type ?? ce.type,
    state: ce.state,
    status: ce.status,
    statusReason: ce.statusReason,
    maxvCpus: ce.computeResources?.maxvCpus,
  };
}

async function setState(
  ctx: CliContext,
  name: string,
  state: "ENABLED" | "DISABLED" | "toggle",
  flags: WaitFlags,
): Promise<void> {
  const backend = await ctx.backend();
  const ce = await findComputeEnvironment(backend, ctx, name);
  const target = state === "toggle" ? (ce.state === "ENABLED" ? "DISABLED" : "ENABLED") : state;
  if (ce.state !== target) {
    await backend.updateComputeEnvironment(ce.computeEnvironmentName, { state: target }, { signal: ctx.signal });
    if (flags.wait !== false) {
      await waitForComputeEnvironment(
        backend,
        ctx,
        ce.computeEnvironmentName,
        { state: target },
        timeoutSeconds(flags),
      );
    }
  } else {
    ctx.note(`Compute environment '${name}' was already ${target}.`);
  }
  ctx.print({ name: ce.computeEnvironmentName, state: target }, () => `${ce.computeEnvironmentName} ${target}`);
}

/** Adds the `compute-environment` group to `program`. */
export function registerComputeEnvironmentCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("compute-environment").alias("ce")
    .description("create and manage compute environments (where jobs run: Fargate, Fargate Spot, EC2, Spot)");
  examples(
    group,
    "ezbatch compute-environment list",
    "ezbatch ce create my-fargate --subnets subnet-1 --security-groups sg-1",
  );

  const create = group.command("create").argument("<name>", "name of the new environment")
    .description("create a compute environment and wait until it is VALID")
    .addOption(
      choiceOption("--type <type>", "FARGATE, FARGATE_SPOT, EC2 or SPOT", TYPES).default(
        "FARGATE" as const,
      ),
    )
    .option(
      "--max-vcpus <n>",
      "most vCPUs it may run at once (default: config maxvCpus, else 16)",
      intBetween(1, 1_000_000),
    )
    .option("--min-vcpus <n>", "vCPUs kept running (EC2 and SPOT; default 0)", intBetween(0, 1_000_000))
    .option("--subnets <ids>", "subnet ids, comma-separated (default: config subnets)", parseList)
    .option("--security-groups <ids>", "security group ids (default: config securityGroupIds)", parseList)
    .option("--instance-types <types>", "EC2 instance types or families (EC2 and SPOT; default optimal)", parseList)
    .option("--instance-role <profile>", "instance profile name or ARN, not a role ARN (EC2 and SPOT)")
    .option("--service-role <arn>", "Batch service role (default: config serviceRole, else the service-linked role)")
    .addOption(
      choiceOption("--allocation-strategy <s>", STRATEGIES.join(", ") + " (EC2 and SPOT)", STRATEGIES),
    )
    .option("--bid-percentage <n>", "highest Spot price as a % of On-Demand (SPOT)", intBetween(1, 100))
    .option("--tag <key=value>", "tag the environment (repeatable; the value may contain '=')", parseKeyValue)
    .option("--instance-tag <key=value>", "tag the instances it launches (EC2 and SPOT; repeatable)", parseKeyValue)
    .option("--disabled", "create it DISABLED");
  create.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
    .action(
      async (name, flags) => {
        const request = computeEnvironmentRequest(name, flags as CreateFlags);
        const settings = await ctx.settings();
        computeEnvironmentInput(request, settings); // usage errors before any backend is made
        const backend = await ctx.backend();
        const { input, arn, message } = await createComputeEnvironment(backend, request, {
          settings,
          signal: ctx.signal,
        });
        ctx.note(message);
        if (flags.wait !== false) await waitForComputeEnvironment(backend, ctx, name, {}, timeoutSeconds(flags));
        ctx.print({ name, arn, state: input.state }, () => arn);
      },
    );
  examples(
    create,
    "ezbatch compute-environment create my-fargate --subnets subnet-1,subnet-2 --security-groups sg-1",
    "ezbatch compute-environment create gpu-spot --type SPOT --instance-types g5 --instance-role ecsInstanceRole --max-vcpus 64 --subnets subnet-1 --security-groups sg-1",
  );

  const list = group.command("list").alias("ls").description("list every compute environment")
    .action(async () => {
      const backend = await ctx.backend();
      const all = await listAllComputeEnvironments(backend, ctx);
      const c = ctx.outColors;
      ctx.print(all.map(summary), () =>
        renderTable(
          ["NAME", "TYPE", "STATE", "STATUS", "MAX VCPUS"],
          all.map((ce) => {
            const s = summary(ce);
            return [s.name, s.type, colorStatus(s.state, c), colorStatus(s.status, c), s.maxvCpus];
          }),
          { colors: c, emptyText: "No compute environments." },
        ));
    });
  examples(list, "ezbatch compute-environment list", "ezbatch compute-environment list --json");

  const describe = group.command("describe").argument("<name>", "environment name or ARN")
    .description("show one compute environment and the queues that use it")
    .action(async (name) => {
      const backend = await ctx.backend();
      const ce = await findComputeEnvironment(backend, ctx, name);
      const usedBy = queuesUsing(await listAllQueues(backend, ctx), ce).map((q) => q.jobQueueName);
      const r = ce.computeResources;
      const c = ctx.outColors;
      ctx.print({ ...ce, usedBy }, () =>
        renderFields([
          ["Name", ce.computeEnvironmentName],
          ["ARN", ce.computeEnvironmentArn],
          ["Type", r?.type ?? ce.type],
          ["State", colorStatus(ce.state, c)],
          ["Status", colorStatus(ce.status, c)],
          ["Reason", ce.statusReason],
          ["Max vCPUs", r?.maxvCpus],
          ["Min vCPUs", r?.minvCpus],
          ["Subnets", r?.subnets.join(", ")],
          ["Security groups", r?.securityGroupIds?.join(", ")],
          ["Instance types", r?.instanceTypes?.join(", ")],
          ["Instance role", r?.instanceRole],
          ["Allocation", r?.allocationStrategy],
          ["Service role", ce.serviceRole],
          ["Tags", ce.tags ? formatMap(ce.tags) : undefined],
          ["Used by queues", usedBy.length ? usedBy.join(", ") : "none"],
        ], { colors: c }));
    });
  examples(describe, "ezbatch compute-environment describe my-fargate");

  for (
    const [verb, state, help] of [
      ["enable", "ENABLED", "enable a compute environment so queues can place jobs on it"],
      ["disable", "DISABLED", "disable a compute environment (running jobs finish; no new ones start)"],
      ["toggle", "toggle", "enable a disabled compute environment, or disable an enabled one"],
    ] as const
  ) {
    const cmd = group.command(verb).argument("<name>", "environment name").description(help);
    cmd.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
      .action((name, flags) => setState(ctx, name, state, flags));
    examples(cmd, `ezbatch compute-environment ${verb} my-fargate`);
  }

  const del = group.command("delete").argument("<name>", "environment name")
    .description("disable (waiting as needed) and delete a compute environment")
    .option("--force", "first detach it from the job queues that use it");
  del.option("--no-wait", WAIT_HELP.noWait).option("--timeout <duration>", WAIT_HELP.timeout, parseDurationSeconds)
    .action((name, flags) => deleteComputeEnvironment(ctx, name, flags));
  examples(del, "ezbatch compute-environment delete my-fargate", "ezbatch compute-environment delete old-env --force");
}

async function deleteComputeEnvironment(ctx: CliContext, name: string, flags: WaitFlags & { force?: boolean }) {
  const backend = await ctx.backend();
  const seconds = timeoutSeconds(flags);
  if (backend.kind === "local") refuseBuiltInDelete(name); // before it is disabled and detached
  const ce = await findComputeEnvironment(backend, ctx, name);
  const users = queuesUsing(await listAllQueues(backend, ctx), ce);
  const busy = await busyQueues(ctx, users.map((q) => q.jobQueueName));
  if (users.length && !flags.force) {
    const names = users.map((q) => `'${q.jobQueueName}'`).join(", ");
    throw new EzBatchError(
      `Compute environment '${name}' is used by job queue ${names}${busy ? ` (${busy})` : ""}: delete or change ` +
        `those queues first, or pass --force to detach it from them` +
        (busy ? " (its STARTING and RUNNING jobs are terminated)" : ""),
    );
  }
  const only = users.filter((q) => q.computeEnvironmentOrder.length === 1);
  if (only.length) {
    const names = only.map((q) => `'${q.jobQueueName}'`).join(", ");
    throw new EzBatchError(
      `Compute environment '${name}' is the only one of job queue ${names}: a queue needs at least one, so delete ` +
        `the queue first (ezbatch job-queue delete ${only[0]!.jobQueueName})`,
    );
  }
  if (busy) {
    ctx.warn(`Deleting compute environment '${name}' terminates the jobs running on it; its queues have ${busy}.`);
  }
  for (const queue of users) {
    const rest = queue.computeEnvironmentOrder
      .filter((o) => o.computeEnvironment !== ce.computeEnvironmentArn && nameOf(o.computeEnvironment) !== name)
      .sort((a, b) => a.order - b.order)
      .map((o, i) => ({ order: i + 1, computeEnvironment: o.computeEnvironment }));
    ctx.note(`Detaching it from job queue '${queue.jobQueueName}'.`);
    await backend.updateJobQueue(queue.jobQueueName, { computeEnvironmentOrder: rest }, { signal: ctx.signal });
    await waitForQueue(backend, ctx, queue.jobQueueName, {}, seconds);
  }
  if (ce.state !== "DISABLED") {
    ctx.note(`Disabling compute environment '${name}'.`);
    await backend.updateComputeEnvironment(name, { state: "DISABLED" }, { signal: ctx.signal });
  }
  await waitForComputeEnvironment(backend, ctx, name, { state: "DISABLED" }, seconds);
  await backend.deleteComputeEnvironment(name, { signal: ctx.signal });
  if (flags.wait !== false) await waitForComputeEnvironment(backend, ctx, name, "gone", seconds);
  ctx.print({ name, deleted: true, detachedFrom: users.map((q) => q.jobQueueName) }, () => `${name} deleted`);
}

/** `queue 'a' has 2 RUNNING, 1 PENDING jobs; ...` for the queues with unfinished jobs, or "" when none has any. */
async function busyQueues(ctx: CliContext, queues: string[]): Promise<string> {
  const backend = await ctx.backend();
  const parts: string[] = [];
  for (const queue of queues) {
    const open = await unfinishedJobs(backend, queue, { signal: ctx.signal, clock: ctx.clock });
    if (open.total) {
      parts.push(`queue '${queue}' has ${describeCounts(open.byStatus)} ${open.total === 1 ? "job" : "jobs"}`);
    }
  }
  return parts.join("; ");
}
