/**
 * The most a plan can cost before anything runs: each job's requested resources for its timeout, times its
 * attempts and array size. Without a timeout a job may run for ever, so the bound is then unbounded, and says why.
 * @module
 */
import type { Plan } from "./plan.ts";
import { builtInPrices, costOf, type PriceBook, ratesFor } from "./pricing.ts";
import type { Capacity, PriceSource } from "./report_types.ts";

/** The upper bound of a plan's cost. */
export interface PlanCostBound {
  /** USD over the jobs that have a timeout (all of them when `unbounded` is empty). */
  usd: number;
  /** Jobs without a timeout: with any, the cost has no upper bound. */
  unbounded: string[];
  /** Where the prices came from. */
  source: PriceSource;
}

/**
 * Requested vCPU, memory and GPUs x timeout x attempts x array size, priced on demand (Spot is cheaper: the bound
 * holds).
 *
 * @param plan A plan from `planWorkflow`.
 * @param prices Prices (default: the built-in table for `region`).
 * @param region The region priced (default us-east-1).
 */
export function planCostBound(plan: Plan, prices?: PriceBook, region?: string): PlanCostBound {
  const book = prices ?? builtInPrices(region);
  const platformOf = new Map(plan.definitions.map((d) => [d.name, d.input]));
  const unbounded: string[] = [];
  let usd = 0;
  for (const s of plan.submissions) {
    const seconds = s.timeout?.attemptDurationSeconds;
    if (seconds === undefined) {
      unbounded.push(s.job);
      continue;
    }
    const def = platformOf.get(s.jobDefinition);
    const capacity: Capacity = {
      platform: def?.platformCapabilities.includes("EC2") ? "EC2" : "FARGATE",
      spot: false,
      arch: def?.containerProperties.runtimePlatform?.cpuArchitecture === "ARM64" ? "ARM64" : "X86_64",
    };
    const get = (type: string) =>
      Number(s.containerOverrides.resourceRequirements?.find((r) => r.type === type)?.value ?? 0) || 0;
    const runs = (s.retryStrategy?.attempts ?? 1) * (s.arrayProperties?.size ?? 1);
    usd += runs *
      costOf(
        { vcpus: get("VCPU"), memory: get("MEMORY"), gpus: get("GPU") },
        seconds / 3600,
        ratesFor(book.table, capacity),
      );
  }
  return { usd, unbounded, source: book.source };
}

/** A line or two for people: the bound and its prices, or why there is none. */
export function formatPlanCost(bound: PlanCostBound, total: number): string {
  const usd = `$${bound.usd >= 10 ? bound.usd.toFixed(2) : bound.usd.toFixed(4)}`;
  const n = bound.unbounded.length;
  if (n === total) return "Estimated cost: unbounded, as no job has a timeout (set `timeout` to bound it).";
  if (n) {
    const names = bound.unbounded.slice(0, 5).join(", ") + (n > 5 ? ", …" : "");
    return `Estimated cost: unbounded, as ${names} ${n === 1 ? "has" : "have"} no timeout; the jobs with one ` +
      `cost at most ${usd}.\nPrices (an estimate): ${bound.source.note}.`;
  }
  return `Estimated cost: at most ${usd} (requested resources x timeout x attempts, on demand).\n` +
    `Prices (an estimate): ${bound.source.note}.`;
}
