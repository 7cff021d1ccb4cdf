/**
 * `ezbatch scheduling-policy create|list|describe|delete`: fair-share policies, for queues made with
 * `job-queue create --scheduling-policy` whose jobs carry `share` and `priority`.
 * @module
 */
import type { AwsClients } from "../core/aws/clients.ts";
import {
  createSchedulingPolicy,
  deleteSchedulingPolicy,
  describeSchedulingPolicies,
  listSchedulingPolicies,
  schedulingPolicyArn,
} from "../core/aws/scheduling_policy.ts";
import type { Backend } from "../core/backend.ts";
import { NotFoundError, UsageError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { formatMap, renderFields, renderTable } from "./output.ts";
import { intBetween, parseKeyValue } from "./parse.ts";
import { type AnyCommand, examples } from "./program.ts";

/** The AWS clients of the backend: scheduling policies exist on AWS only. */
export function awsClientsOf(backend: Backend, what: string): AwsClients {
  const clients = (backend as { clients?: AwsClients }).clients;
  if (backend.kind === "local" || !clients) {
    throw new UsageError(`${what} exist on AWS only: the local backend runs each queue in submission order`);
  }
  return clients;
}

function shares(text: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(text).map(([k, v]) => [k, Number(v)]));
}

/** Adds the `scheduling-policy` group to `program`. */
export function registerSchedulingPolicyCommands(program: AnyCommand, ctx: CliContext): void {
  const group = program.command("scheduling-policy")
    .description("fair-share scheduling policies (queues that share capacity between teams by 'share')");
  examples(
    group,
    "ezbatch scheduling-policy create fair --share teamA=1 --share teamB=2",
    "ezbatch scheduling-policy list",
  );
  const clients = async () => awsClientsOf(await ctx.backend(), "Scheduling policies");

  const create = group.command("create").argument("<name>", "name of the new policy")
    .description("create a fair-share policy (then: job-queue create --scheduling-policy NAME)")
    .option(
      "--share <id=weight>",
      "weight of a share identifier (lower gets more; repeatable; 'team*' = prefix)",
      parseKeyValue,
    )
    .option("--share-decay <seconds>", "how long past usage counts (0 to 604800)", intBetween(0, 604_800))
    .option("--compute-reservation <percent>", "capacity kept for shares not yet seen (0 to 99)", intBetween(0, 99))
    .option("--tag <key=value>", "tag the policy (repeatable)", parseKeyValue)
    .action(async (name, flags) => {
      const arn = await createSchedulingPolicy(await clients(), {
        name,
        ...(flags.share ? { shares: shares(flags.share) } : {}),
        ...(flags.shareDecay !== undefined ? { shareDecaySeconds: flags.shareDecay } : {}),
        ...(flags.computeReservation !== undefined ? { computeReservation: flags.computeReservation } : {}),
        ...(flags.tag ? { tags: flags.tag } : {}),
      });
      ctx.print({ name, arn }, () => `Created scheduling policy '${name}' (${arn}).`);
    });
  examples(create, "ezbatch scheduling-policy create fair --share teamA=1 --share teamB=2 --share-decay 3600");

  const list = group.command("list").alias("ls").description("list the scheduling policies").action(async () => {
    const c = await clients();
    const all = await describeSchedulingPolicies(c, await listSchedulingPolicies(c));
    ctx.print(all, () =>
      renderTable(
        ["NAME", "SHARE DECAY (s)", "RESERVED %", "SHARES"],
        all.map((p) => [
          p.name,
          p.shareDecaySeconds,
          p.computeReservation,
          p.shareDistribution.map((s) => `${s.shareIdentifier}=${s.weightFactor ?? 1}`).join(", "),
        ]),
        { colors: ctx.outColors, emptyText: "No scheduling policies." },
      ));
  });
  examples(list, "ezbatch scheduling-policy list", "ezbatch scheduling-policy list --json");

  const describe = group.command("describe").argument("<name>", "policy name or ARN").description(
    "show one scheduling policy",
  )
    .action(async (name) => {
      const c = await clients();
      const [policy] = await describeSchedulingPolicies(c, [await schedulingPolicyArn(c, name)]);
      if (!policy) throw new NotFoundError(`Scheduling policy '${name}' was not found`);
      ctx.print(policy, () =>
        renderFields([
          ["Name", policy.name],
          ["ARN", policy.arn],
          ["Share decay", policy.shareDecaySeconds !== undefined ? `${policy.shareDecaySeconds} s` : undefined],
          ["Reserved", policy.computeReservation !== undefined ? `${policy.computeReservation} %` : undefined],
          ["Shares", policy.shareDistribution.map((s) => `${s.shareIdentifier}=${s.weightFactor ?? 1}`).join(", ")],
          ["Tags", policy.tags ? formatMap(policy.tags) : undefined],
        ]));
    });
  examples(describe, "ezbatch scheduling-policy describe fair");

  const remove = group.command("delete").argument("<name>", "policy name or ARN")
    .description("delete a scheduling policy (no queue may use it)")
    .action(async (name) => {
      const c = await clients();
      const arn = await schedulingPolicyArn(c, name);
      await deleteSchedulingPolicy(c, arn);
      ctx.print({ deleted: arn }, () => `Deleted scheduling policy '${name}'.`);
    });
  examples(remove, "ezbatch scheduling-policy delete fair");
}
