/**
 * `ezbatch setup`: shows the plan (what exists, what will be created, IAM policies by name), asks (or takes
 * `--yes`), creates what is missing and writes the config; `--destroy` removes what setup created. Core does the
 * work (core/setup/); this file parses flags, asks and prints.
 * @module
 */
import type { AwsClients } from "../core/aws/clients.ts";
import type { Backend } from "../core/backend.ts";
import { SETUP_PLAN_HEADER, setupPlanRows, writeSetupSettings } from "../core/setup/present.ts";
import { EzBatchError, UsageError } from "../core/errors.ts";
import { applySetup, bucketNames, planSetup, type SetupOptions, type SetupPlan } from "../core/setup/setup.ts";
import { applyDestroy, explainDenied, nothingToDestroy, planDestroy } from "../core/setup/destroy.ts";
import type { CliContext } from "./context.ts";
import { renderTable } from "./output.ts";
import { intBetween, parseList } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";
import { timeoutSeconds, waitForComputeEnvironment, waitForQueue } from "./_infra.ts";

interface SetupFlags {
  yes?: boolean;
  ec2?: boolean;
  gpu?: boolean;
  destroy?: boolean;
  subnets?: string[];
  securityGroups?: string[];
  maxVcpus?: number;
  buckets?: string[];
}

/** The AWS backend's clients (setup needs IAM and EC2 besides Batch). */
function clientsOf(backend: Backend): AwsClients {
  const clients = (backend as { clients?: AwsClients }).clients;
  if (backend.kind === "local" || !clients) {
    throw new UsageError("ezbatch setup prepares an AWS account: it has nothing to do with --local");
  }
  return clients;
}

/** The plan as a table (the interactive mode shows the same rows). */
export function renderSetupPlan(plan: SetupPlan): string {
  return renderTable(SETUP_PLAN_HEADER, setupPlanRows(plan), {});
}

async function ask(ctx: CliContext, question: string): Promise<boolean> {
  if (!ctx.stdin || !ctx.stdinIsTerminal) {
    throw new UsageError("Nothing created: pass --yes to create these (stdin is not a terminal to ask on)");
  }
  ctx.stderr.write(`${question} [y/N] `);
  const reader = ctx.stdin.getReader();
  try {
    const { value } = await reader.read();
    return /^\s*y(es)?\s*$/i.test(new TextDecoder().decode(value ?? new Uint8Array()));
  } finally {
    reader.releaseLock();
  }
}

async function runSetup(ctx: CliContext, flags: SetupFlags): Promise<void> {
  const backend = await ctx.backend();
  const clients = clientsOf(backend);
  const seconds = timeoutSeconds({ timeout: 1800 }); // environments take minutes to become VALID
  try {
    if (flags.destroy) return await runDestroy(ctx, backend, clients, flags, seconds);
    const options: SetupOptions = {
      ...(flags.ec2 ? { ec2: true } : {}),
      ...(flags.gpu ? { gpu: true } : {}),
      ...(flags.subnets ? { subnets: flags.subnets } : {}),
      ...(flags.securityGroups ? { securityGroups: flags.securityGroups } : {}),
      ...(flags.maxVcpus !== undefined ? { maxVcpus: flags.maxVcpus } : {}),
      ...(flags.buckets ? { buckets: bucketNames(flags.buckets) } : {}),
    };
    const plan = await planSetup(backend, clients, options);
    const missing = plan.steps.filter((s) => s.action === "create");
    if (!ctx.json) ctx.stderr.write(`${renderSetupPlan(plan)}\n`);
    let settings = plan.settings;
    if (missing.length === 0) ctx.note("Everything setup makes exists already: nothing to create.");
    else {
      if (!flags.yes && !(await ask(ctx, `Create ${missing.length} resource(s)?`))) {
        throw new EzBatchError("Nothing created (answered no)");
      }
      settings = await applySetup(backend, clients, plan, {
        ...options,
        progress: (m) => ctx.stderr.write(`${m}\n`),
        settle: (name) => waitForComputeEnvironment(backend, ctx, name, {}, seconds),
        sleep: (ms) => ctx.sleep(ms),
      });
    }
    const path = await writeSetupSettings(settings, { env: ctx.env });
    ctx.print(
      { steps: plan.steps, settings, config: path },
      () =>
        `Ready: submit to queue '${settings.queue}' (settings written to ${path}). Try:\n` +
        "  ezbatch jobs submit --image public.ecr.aws/docker/library/alpine:3.20 --command 'echo hello' --watch",
    );
  } catch (error) {
    throw explainDenied(error);
  }
}

async function runDestroy(
  ctx: CliContext,
  backend: Backend,
  clients: AwsClients,
  flags: SetupFlags,
  seconds: number,
): Promise<void> {
  const plan = await planDestroy(backend, clients);
  const rows = [
    ...plan.queues.map((n) => ["job queue", n]),
    ...plan.computeEnvironments.map((n) => ["compute environment", n]),
    ...plan.securityGroups.map((n) => ["security group", n]),
    ...plan.instanceProfiles.map((p) => ["instance profile", p.name]),
    ...plan.roles.map((n) => ["IAM role", n]),
  ];
  if (nothingToDestroy(plan)) {
    ctx.print({ deleted: plan }, () => "Nothing to delete: no resource carries the tag ezbatch:setup = true.");
    return;
  }
  if (!ctx.json) ctx.stderr.write(`${renderTable(["RESOURCE (tagged ezbatch:setup)", "NAME"], rows, {})}\n`);
  if (!flags.yes && !(await ask(ctx, `Delete these ${rows.length} resource(s)?`))) {
    throw new EzBatchError("Nothing deleted (answered no)");
  }
  const goal = (g: "DISABLED" | "gone") => g === "gone" ? "gone" as const : { state: "DISABLED" as const };
  await applyDestroy(backend, clients, plan, {
    waitQueue: (name, g) => waitForQueue(backend, ctx, name, goal(g), seconds),
    waitComputeEnvironment: (name, g) => waitForComputeEnvironment(backend, ctx, name, goal(g), seconds),
    progress: (m) => ctx.stderr.write(`${m}\n`),
    sleep: (ms) => ctx.sleep(ms),
  });
  ctx.print({ deleted: plan }, () => `Deleted ${rows.length} resource(s) that ezbatch setup had created.`);
}

/** Adds `setup` to `program`. */
export function registerSetupCommand(program: AnyCommand, ctx: CliContext): void {
  const setup = program.command("setup")
    .description("create what a first job needs in an empty AWS account (roles, network, environments, queue)")
    .option("--yes", "create (or with --destroy, delete) without asking")
    .option("--ec2", "also an EC2 environment and queue, with their instance role and profile")
    .option("--gpu", "also a GPU (EC2 g4dn/g5) environment and queue")
    .option("--subnets <ids>", "subnets to use instead of the default VPC's", parseList)
    .option("--security-groups <ids>", "security groups to use instead of creating one", parseList)
    .option("--max-vcpus <n>", "max vCPUs of each compute environment (default 16)", intBetween(1, 1_000_000))
    .option(
      "--buckets <names>",
      "limit the job role's S3 access to these buckets (an inline policy) instead of AmazonS3FullAccess",
      parseList,
    )
    .option("--destroy", "delete what setup created (only resources tagged ezbatch:setup = true)")
    .action((flags) => runSetup(ctx, flags as SetupFlags));
  examples(
    setup,
    "ezbatch setup",
    "ezbatch setup --ec2 --yes",
    "ezbatch setup --buckets my-data,my-results --yes",
    "ezbatch setup --destroy --yes",
  );
}
