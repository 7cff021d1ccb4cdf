/**
 * Builds a run report from what `findRun` read (every submission's DescribeJobs detail), the children of its array
 * jobs, how each job was billed and a price book. Pure: no I/O, the clock is given.
 * @module
 */
import type { JobDetail, ResourceRequirement } from "./backend_types.ts";
import type { FoundRun } from "./run.ts";
import { parseRunTags } from "./run_tags.ts";
import { costOf, type PriceBook, ratesFor } from "./pricing.ts";
import type { Capacity, ReportJob, ReportRow, RunReport, Usage } from "./report_types.ts";
import { addToRow, attemptsOf, type Details, known, readyAt } from "./_report_rows.ts";
import { summarizeReport } from "./_report_summary.ts";

/** What {@link buildRunReport} reads. */
export interface ReportInput {
  /** The run as `findRun` found it. */
  run: FoundRun;
  /** DescribeJobs details of every submission of its jobs (parents and plain jobs). */
  details: readonly JobDetail[];
  /** Children of its array jobs by parent id. */
  children: ReadonlyMap<string, readonly JobDetail[]>;
  /** How a job was billed (default: its platform, on demand, x86). */
  capacity?: (detail: JobDetail) => Capacity;
  /** Prices of the estimate. */
  prices: PriceBook;
  /** `aws` or `local`. */
  backend: "aws" | "local";
  /** The report's time, epoch ms. */
  now: number;
}

/** Builds the report. */
export function buildRunReport(input: ReportInput): RunReport {
  const { run, now } = input;
  const details: Details = { byId: new Map(input.details.map((d) => [d.jobId, d])), children: input.children };
  const nameOf = new Map<string, string>();
  for (const j of run.jobs) for (const s of [...(j.previous ?? []), j]) nameOf.set(s.jobId, j.job);
  const rows = new Map<string, ReportRow>();
  const jobs: ReportJob[] = [];
  const edges = new Map<string, [string, string]>();
  const region = regionOf(input.details); // local ARNs name no region: no console links
  for (const j of run.jobs) {
    const submissions = [...(j.previous ?? []), j].map((s) => details.byId.get(s.jobId)).filter((d) => d !== undefined);
    const latest = details.byId.get(j.jobId);
    if (!latest) continue;
    const capacity = input.capacity?.(latest) ?? defaultCapacity(latest);
    const rates = ratesFor(input.prices.table, capacity);
    const usage: Usage = { vcpuHours: 0, gibHours: 0, gpuHours: 0 };
    let usd = 0;
    let runningMs = 0;
    let attempts = 0;
    const exitCodes: number[] = [];
    let size = sizeOf(latest.container?.resourceRequirements);
    for (const d of submissions) {
      const submission = parseRunTags(d.tags).attempt;
      const kids = details.children.get(d.jobId);
      const units = kids?.length
        ? kids.map((k) => ({ d: k, index: k.arrayProperties?.index }))
        : [{ d, index: undefined }];
      for (const unit of units) {
        const unitSize = sizeOf(unit.d.container?.resourceRequirements) ?? sizeOf(d.container?.resourceRequirements);
        size ??= unitSize;
        const ready = readyAt(details, d, unit.index);
        // A child is ready when its parent's dependencies are done and it exists.
        const childReady = ready !== undefined && unit.d !== d
          ? Math.max(ready, known(unit.d.createdAt) ?? ready)
          : ready;
        const list = attemptsOf(unit.d, childReady, submission, now);
        for (const a of list) {
          const ms = a.phases.running ?? 0;
          if (a.startedAt !== undefined) attempts++;
          if (a.exitCode !== undefined) exitCodes.push(a.exitCode);
          runningMs += ms;
          if (unitSize) {
            const hours = ms / 3_600_000;
            usage.vcpuHours += unitSize.vcpus * hours;
            usage.gibHours += unitSize.memory / 1024 * hours;
            usage.gpuHours += unitSize.gpus * hours;
            a.usd = costOf(unitSize, hours, rates);
            usd += a.usd;
          }
        }
        const key = unit.index === undefined ? { job: j.job } : { job: j.job, index: unit.index };
        addToRow(rows, key, unit.d === d ? d.status : unit.d.status, list);
      }
    }
    const dependsOn = [...new Set((latest.dependsOn ?? []).map((x) => x.jobId && nameOf.get(x.jobId)))]
      .filter((n): n is string => Boolean(n));
    for (const from of dependsOn) edges.set(`${from}\n${j.job}`, [from, j.job]);
    const logGroup = latest.container?.logConfiguration?.options?.["awslogs-group"] ?? "/aws/batch/job";
    const lastStream = [...rows.values()].filter((r) => r.job === j.job).flatMap((r) => r.attempts)
      .map((a) => a.logStream).filter(Boolean).at(-1);
    const job: ReportJob = {
      job: j.job,
      jobId: j.jobId,
      previousJobIds: (j.previous ?? []).map((p) => p.jobId),
      jobName: j.jobName,
      status: j.status,
      queue: latest.jobQueue,
      definition: latest.jobDefinition,
      dependsOn,
      capacity,
      attempts,
      exitCodes,
      runningMs,
      usage,
      usd,
      logGroup,
    };
    if (j.statusReason !== undefined) job.statusReason = j.statusReason;
    if (latest.arrayProperties?.size !== undefined) job.arraySize = latest.arrayProperties.size;
    if (size) Object.assign(job, size);
    if (region) {
      const console = `https://${region}.console.aws.amazon.com`;
      job.consoleUrl = `${console}/batch/home?region=${region}#jobs/detail/${j.jobId}`;
      if (lastStream) {
        const enc = (s: string) => encodeURIComponent(s).replaceAll("%", "$25");
        job.logUrl = `${console}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(logGroup)}` +
          `/log-events/${enc(lastStream)}`;
      }
    }
    jobs.push(job);
  }
  const rowList = [...rows.values()];
  const report: RunReport = {
    workflow: run.workflow,
    runId: run.runId,
    backend: input.backend,
    generatedAt: now,
    summary: summarizeReport(run, jobs, rowList, details, input.prices, now),
    jobs,
    rows: rowList,
    edges: [...edges.values()],
  };
  if (region) report.region = region;
  return report;
}

function sizeOf(list: ResourceRequirement[] | undefined): { vcpus: number; memory: number; gpus: number } | undefined {
  if (!list?.length) return undefined;
  const get = (type: ResourceRequirement["type"]) => Number(list.find((r) => r.type === type)?.value ?? 0) || 0;
  return { vcpus: get("VCPU"), memory: get("MEMORY"), gpus: get("GPU") };
}

/** The platform a job ran on, on demand and x86 (what a report assumes when it could not read more). */
export function defaultCapacity(d: JobDetail): Capacity {
  return { platform: d.platformCapabilities?.includes("FARGATE") ? "FARGATE" : "EC2", spot: false, arch: "X86_64" };
}

function regionOf(details: readonly JobDetail[]): string | undefined {
  for (const d of details) {
    const m = /^arn:aws[a-z-]*:batch:([a-z0-9-]+):/.exec(d.jobArn ?? d.jobQueue);
    if (m && m[1] !== "local") return m[1];
  }
  return undefined;
}
