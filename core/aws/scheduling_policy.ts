/**
 * Fair-share scheduling policies (AWS Batch CreateSchedulingPolicy, ListSchedulingPolicies,
 * DescribeSchedulingPolicies, DeleteSchedulingPolicy). A queue with a policy schedules by share: each job names its
 * `shareIdentifier` (a workflow job's `share`) and may carry a `schedulingPriorityOverride` (`priority`). AWS only;
 * the local backend runs queues in submission order.
 * @module
 */
import { loadBatchSdk } from "../deps.ts";
import { UsageError } from "../errors.ts";
import type { AwsClients } from "./clients.ts";
import { callAws } from "./errors.ts";

/** A fair-share policy as ezbatch shows it. */
export interface SchedulingPolicy {
  /** Name. */
  name: string;
  /** ARN. */
  arn: string;
  /** How long past usage counts, in seconds (0–604800). */
  shareDecaySeconds?: number;
  /** Percent of capacity kept for share identifiers not yet seen (0–99). */
  computeReservation?: number;
  /** Weights by share identifier (a lower weight gets more). */
  shareDistribution: { shareIdentifier: string; weightFactor?: number }[];
  /** Tags. */
  tags?: Record<string, string>;
}

/** What `create` takes. */
export interface SchedulingPolicyRequest {
  /** 1–128 letters, digits, '-' and '_'. */
  name: string;
  /** Seconds of usage history that count (0–604800). */
  shareDecaySeconds?: number;
  /** Percent reserved for unseen shares (0–99). */
  computeReservation?: number;
  /** Weight factor by share identifier (0.0001–999.9999); a trailing `*` matches a prefix. */
  shares?: Record<string, number>;
  /** Tags. */
  tags?: Record<string, string>;
}

const SHARE_RULE = /^[A-Za-z0-9_]{1,255}\*?$/;

/** The CreateSchedulingPolicy request, checked with AWS's limits before any call. */
export function schedulingPolicyInput(request: SchedulingPolicyRequest) {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(request.name)) {
    throw new UsageError(
      `Scheduling policy name '${request.name}' is not valid: use 1 to 128 letters, digits, '-' and '_'`,
    );
  }
  const decay = request.shareDecaySeconds;
  if (decay !== undefined && !(Number.isInteger(decay) && decay >= 0 && decay <= 604_800)) {
    throw new UsageError(`--share-decay must be whole seconds from 0 to 604800 (7 days), got ${decay}`);
  }
  const reserve = request.computeReservation;
  if (reserve !== undefined && !(Number.isInteger(reserve) && reserve >= 0 && reserve <= 99)) {
    throw new UsageError(`--compute-reservation must be a whole percent from 0 to 99, got ${reserve}`);
  }
  const shares = Object.entries(request.shares ?? {});
  if (shares.length > 500) throw new UsageError(`A policy takes at most 500 shares, got ${shares.length}`);
  for (const [id, weight] of shares) {
    if (!SHARE_RULE.test(id)) {
      throw new UsageError(`Share '${id}' is not valid: use 1–255 letters, digits and '_', optionally ending in '*'`);
    }
    if (!(weight >= 0.0001 && weight <= 999.9999)) {
      throw new UsageError(`The weight of share '${id}' must be from 0.0001 to 999.9999, got ${weight}`);
    }
  }
  return {
    name: request.name,
    fairsharePolicy: {
      ...(decay !== undefined ? { shareDecaySeconds: decay } : {}),
      ...(reserve !== undefined ? { computeReservation: reserve } : {}),
      ...(shares.length
        ? { shareDistribution: shares.map(([shareIdentifier, weightFactor]) => ({ shareIdentifier, weightFactor })) }
        : {}),
    },
    ...(request.tags ? { tags: request.tags } : {}),
  };
}

/** Creates a policy; returns its ARN. */
export async function createSchedulingPolicy(clients: AwsClients, request: SchedulingPolicyRequest): Promise<string> {
  const input = schedulingPolicyInput(request);
  const [batch, sdk] = await Promise.all([clients.batch(), loadBatchSdk()]);
  const out = await callAws(
    "Batch",
    "CreateSchedulingPolicy",
    () => batch.send(new sdk.CreateSchedulingPolicyCommand(input)),
  );
  return out.arn ?? "";
}

/** Every policy's ARN (paginated). */
export async function listSchedulingPolicies(clients: AwsClients): Promise<string[]> {
  const [batch, sdk] = await Promise.all([clients.batch(), loadBatchSdk()]);
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await callAws(
      "Batch",
      "ListSchedulingPolicies",
      () => batch.send(new sdk.ListSchedulingPoliciesCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) })),
    );
    arns.push(...(out.schedulingPolicies ?? []).map((p) => p.arn ?? "").filter(Boolean));
    nextToken = out.nextToken;
  } while (nextToken);
  return arns;
}

/** The ARN of a policy given by name or ARN. */
export async function schedulingPolicyArn(clients: AwsClients, nameOrArn: string): Promise<string> {
  if (nameOrArn.startsWith("arn:")) return nameOrArn;
  const arn = (await listSchedulingPolicies(clients)).find((a) => a.endsWith(`/${nameOrArn}`));
  if (!arn) {
    throw new UsageError(
      `Scheduling policy '${nameOrArn}' does not exist; 'ezbatch scheduling-policy list' shows the ones there are`,
    );
  }
  return arn;
}

/** Describes policies by ARN (at most 100 per call, as AWS takes them). */
export async function describeSchedulingPolicies(clients: AwsClients, arns: string[]): Promise<SchedulingPolicy[]> {
  const [batch, sdk] = await Promise.all([clients.batch(), loadBatchSdk()]);
  const out: SchedulingPolicy[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const page = await callAws(
      "Batch",
      "DescribeSchedulingPolicies",
      () => batch.send(new sdk.DescribeSchedulingPoliciesCommand({ arns: arns.slice(i, i + 100) })),
    );
    for (const p of page.schedulingPolicies ?? []) {
      const f = p.fairsharePolicy;
      out.push({
        name: p.name ?? "",
        arn: p.arn ?? "",
        ...(f?.shareDecaySeconds !== undefined ? { shareDecaySeconds: f.shareDecaySeconds } : {}),
        ...(f?.computeReservation !== undefined ? { computeReservation: f.computeReservation } : {}),
        shareDistribution: (f?.shareDistribution ?? []).map((s) => ({
          shareIdentifier: s.shareIdentifier ?? "",
          ...(s.weightFactor !== undefined ? { weightFactor: s.weightFactor } : {}),
        })),
        ...(p.tags ? { tags: p.tags } : {}),
      });
    }
  }
  return out;
}

/** Deletes a policy (by ARN). AWS refuses while a queue uses it. */
export async function deleteSchedulingPolicy(clients: AwsClients, arn: string): Promise<void> {
  const [batch, sdk] = await Promise.all([clients.batch(), loadBatchSdk()]);
  await callAws("Batch", "DeleteSchedulingPolicy", () => batch.send(new sdk.DeleteSchedulingPolicyCommand({ arn })));
}
