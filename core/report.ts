/**
 * `reportRun()`: where a run's time and money went, from what AWS (or the local backend) still knows about it.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail } from "./backend_types.ts";
import { Caller } from "./_caller.ts";
import { type Clock, RateLimiter, systemClock } from "./rate_limiter.ts";
import { collectRun, type FindRunOptions } from "./run.ts";
import { builtInPrices, localPrices, type PriceBook, type PriceTable, withOverrides } from "./pricing.ts";
import { buildRunReport, defaultCapacity } from "./report_build.ts";
import type { Capacity, RunReport } from "./report_types.ts";

/** What {@link reportRun} reports on, and how it prices it. */
export interface ReportRunOptions extends FindRunOptions {
  /** Prices to use as they are (default: the Price List API when it answers, else the built-in table). */
  prices?: PriceBook;
  /** Prices that replace some of the others (the config's `prices` setting). */
  priceOverrides?: Partial<PriceTable>;
  /** Ask the AWS Price List API (default true on AWS; never on the local backend, which costs nothing). */
  priceList?: boolean;
  /** The report's time (default now). */
  now?: () => number;
}

/**
 * Reports on a run: its timeline (one row per job and per array child, each attempt's pending, queued and running
 * phases), the whole-run figures (wall time, states, attempts and retries, time per phase, the critical path,
 * vCPU-, GiB- and GPU-hours) and an estimated cost with the source of its prices. Reads the run as
 * {@link findRun} does, plus the children of its array jobs, its definitions (CPU architecture) and its queues'
 * compute environments (Spot or not). Works on the local backend too, at a cost of 0.
 *
 * @param backend Where the run was submitted.
 * @param options Workflow name and run id; queues to search; prices.
 * @returns The report, as data: render it with {@link renderReportText}, {@link renderReportHtml} or
 *   {@link renderReportCsv}.
 * @throws {NotFoundError} When no job of the run is found.
 * @throws {AwsCallError} When a call fails for good.
 * @example
 * ```ts ignore
 * import { type Backend, renderReportText, reportRun } from "./mod.ts";
 * declare const backend: Backend;
 * const report = await reportRun(backend, { workflow: "demo", runId: "k3x9a0qz", queues: ["my-queue"] });
 * console.log(report.summary.cost.usd, report.summary.cost.source.note);
 * console.log(renderReportText(report, { width: 80 }));
 * ```
 */
export async function reportRun(backend: Backend, options: ReportRunOptions): Promise<RunReport> {
  const { signal } = options;
  const now = options.now ?? Date.now;
  const { run, details } = await collectRun(backend, options);
  const caller = new Caller({
    limiter: new RateLimiter({ ratePerSecond: options.ratePerSecond ?? 20, ...clockOf(options.clock) }),
    clock: options.clock ?? systemClock,
    random: Math.random,
    maxAttempts: 10,
  });
  // Children are `<parent>:<index>` on AWS and locally: described by id, no listing needed.
  const childIds = details.flatMap((d) =>
    d.arrayProperties?.size ? Array.from({ length: d.arrayProperties.size }, (_, i) => `${d.jobId}:${i}`) : []
  );
  const kids = childIds.length ? await caller.call(() => backend.describeJobs(childIds, { signal }), { signal }) : [];
  const children = new Map<string, JobDetail[]>();
  for (const k of kids) {
    const parent = k.jobId.slice(0, k.jobId.lastIndexOf(":"));
    children.set(parent, [...children.get(parent) ?? [], k]);
  }
  for (const list of children.values()) {
    list.sort((a, b) => (a.arrayProperties?.index ?? 0) - (b.arrayProperties?.index ?? 0));
  }
  const capacity = await capacities(backend, details, caller, signal);
  const region = details.map((d) => /^arn:aws[a-z-]*:batch:([a-z0-9-]+):/.exec(d.jobArn ?? "")?.[1]).find(Boolean);
  const prices = withOverrides(await pricesFor(backend, region, options), options.priceOverrides ?? {});
  return buildRunReport({
    run,
    details,
    children,
    capacity: (d) => capacity.get(d.jobId) ?? defaultCapacity(d),
    prices,
    backend: backend.kind,
    now: now(),
  });
}

function clockOf(clock: Clock | undefined): { clock?: Clock } {
  return clock ? { clock } : {};
}

async function pricesFor(backend: Backend, region: string | undefined, options: ReportRunOptions): Promise<PriceBook> {
  if (options.prices) return options.prices;
  if (backend.kind === "local") return localPrices();
  if (options.priceList !== false && region) {
    const { priceListPrices } = await import("./aws/pricing_api.ts");
    const clients = (backend as { clients?: { clientConfig(): Record<string, unknown> } }).clients;
    const book = await priceListPrices(region, clients ? { clientConfig: clients.clientConfig() } : {});
    if (book) return book;
  }
  return builtInPrices(region);
}

/**
 * How each job was billed: its definition's CPU architecture, and Spot when its queue's first compute environment
 * is FARGATE_SPOT or SPOT. What cannot be read (permissions, deleted resources) is assumed on demand and x86.
 */
async function capacities(
  backend: Backend,
  details: readonly JobDetail[],
  caller: Caller,
  signal: AbortSignal | undefined,
): Promise<Map<string, Capacity>> {
  const arch = new Map<string, "X86_64" | "ARM64">();
  const spot = new Map<string, boolean>();
  const defNames = [...new Set(details.map((d) => /job-definition\/([^:]+)/.exec(d.jobDefinition)?.[1]))]
    .filter((n): n is string => Boolean(n));
  try {
    const defs = defNames.length
      ? await caller.call(() => backend.describeJobDefinitions(defNames, { signal }), { signal })
      : [];
    for (const d of defs) {
      arch.set(d.jobDefinitionArn, d.containerProperties?.runtimePlatform?.cpuArchitecture ?? "X86_64");
    }
    const queues = [...new Set(details.map((d) => d.jobQueue.split("/").pop()!))];
    const { jobQueues } = await caller.call(() => backend.describeJobQueues(queues, { signal }), { signal });
    const firstCe = new Map(jobQueues.map((q) => [
      q.jobQueueName,
      [...q.computeEnvironmentOrder].sort((a, b) => a.order - b.order)[0]?.computeEnvironment,
    ]));
    const ceNames = [...new Set(firstCe.values())].filter((n): n is string => Boolean(n));
    const { computeEnvironments } = ceNames.length
      ? await caller.call(() => backend.describeComputeEnvironments(ceNames, { signal }), { signal })
      : { computeEnvironments: [] };
    for (const [queue, ce] of firstCe) {
      const env = computeEnvironments.find((c) => c.computeEnvironmentArn === ce || c.computeEnvironmentName === ce);
      spot.set(queue, /SPOT/.test(env?.computeResources?.type ?? ""));
    }
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  const out = new Map<string, Capacity>();
  for (const d of details) {
    const base = defaultCapacity(d);
    out.set(d.jobId, {
      ...base,
      arch: arch.get(d.jobDefinition) ?? base.arch,
      spot: spot.get(d.jobQueue.split("/").pop()!) ?? false,
    });
  }
  return out;
}
