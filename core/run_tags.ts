/**
 * What a run writes about itself in each job's tags, so that its shape can be read back from AWS alone: the run id,
 * the workflow, the job's name in the workflow, the number of jobs in the run, a digest of the plan, a digest of the
 * job's own request (part by part, so a resume can say which field changed) and the attempt of the job in the run.
 * Tags are propagated to the ECS task with the job's own; all values stay within AWS's 256 characters.
 * @module
 */
import type { ContainerOverrides, RetryStrategyProps } from "./backend_types.ts";
import type { JobDependency } from "./model.ts";
import { sha256Hex } from "./names.ts";

/** The tag keys ezbatch writes on every job of a run. */
export const RUN_TAG = {
  workflow: "ezbatch:workflow",
  run: "ezbatch:run",
  job: "ezbatch:job",
  jobs: "ezbatch:jobs",
  plan: "ezbatch:plan",
  digest: "ezbatch:digest",
  attempt: "ezbatch:attempt",
} as const;

/** How many tags ezbatch adds to a job's own (the attempt tag only on resubmissions, but counted always). */
export const RUN_TAG_COUNT: number = Object.keys(RUN_TAG).length;

/** The parts of a job's request that its digest covers, with the words a person would use for each. */
export const DIGEST_PARTS = {
  def: "image or definition settings (image, platform, secrets, roles, storage, networking)",
  cmd: "command (or mounts, which the preloader's command carries)",
  env: "environment (or matrix values)",
  res: "size (vcpus, memory, gpus)",
  deps: "dependencies",
  array: "matrix size",
  retry: "retry",
  timeout: "timeout",
  sched: "fair-share priority or share",
} as const;

/** A part of a job's request digest. */
export type DigestPart = keyof typeof DIGEST_PARTS;

/** What a job's tags say about its run, or undefined fields when a tag is absent (runs of older versions). */
export interface RunTags {
  /** The workflow's name. */
  workflow?: string;
  /** The run id. */
  run?: string;
  /** The job's name in the workflow. */
  job?: string;
  /** Jobs in the run. */
  jobs?: number;
  /** Digest of the plan. */
  plan?: string;
  /** Digest of the job's request, part by part. */
  digest?: Partial<Record<DigestPart, string>>;
  /** Attempt of this job in the run: 1 for the first submission, then one more for each resume. */
  attempt: number;
}

/** The parts of a planned submission a digest reads (a `PlannedSubmission` has them all). */
export interface DigestInput {
  /** Content-addressed definition name. */
  jobDefinition: string;
  /** Command, environment, size. */
  containerOverrides: ContainerOverrides;
  /** Dependencies by workflow job name. */
  dependsOn: JobDependency[];
  /** Matrix size. */
  arrayProperties?: { size: number };
  /** Retry strategy. */
  retryStrategy?: RetryStrategyProps;
  /** Attempt timeout. */
  timeout?: { attemptDurationSeconds: number };
  /** Fair-share priority. */
  schedulingPriorityOverride?: number;
  /** Fair-share share identifier. */
  shareIdentifier?: string;
}

/**
 * Digest of a planned submission, part by part: what the job would run, independent of the run (its run id, AWS
 * job name, ids of its dependencies, queue and tags are left out).
 */
export function requestDigest(s: DigestInput): Record<DigestPart, string> {
  const { command, environment, resourceRequirements } = s.containerOverrides;
  const parts: Record<DigestPart, unknown> = {
    def: s.jobDefinition,
    cmd: command ?? null,
    env: environment ?? [],
    res: resourceRequirements ?? [],
    deps: s.dependsOn.map((d) => [d.job, d.type ?? ""]),
    array: s.arrayProperties?.size ?? null,
    retry: s.retryStrategy ?? null,
    timeout: s.timeout?.attemptDurationSeconds ?? null,
    sched: [s.schedulingPriorityOverride ?? null, s.shareIdentifier ?? null],
  };
  return Object.fromEntries(
    Object.entries(parts).map(([k, v]) => [k, sha256Hex(JSON.stringify(v)).slice(0, 10)]),
  ) as Record<DigestPart, string>;
}

/** `def=… cmd=… …`: a digest as one tag value (about 130 characters). */
export function formatDigest(digest: Record<DigestPart, string>): string {
  return Object.entries(digest).map(([k, v]) => `${k}=${v}`).join(" ");
}

/** The plan's digest: the jobs and their request digests, in name order (16 hex digits). */
export function planDigest(digests: ReadonlyMap<string, string>): string {
  const lines = [...digests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([job, d]) => `${job}\t${d}`);
  return sha256Hex(lines.join("\n")).slice(0, 16);
}

/** Reads a job's run tags; missing or malformed values are left out. */
export function parseRunTags(tags: Readonly<Record<string, string>> | undefined): RunTags {
  const t = tags ?? {};
  const out: RunTags = { attempt: positive(t[RUN_TAG.attempt]) ?? 1 };
  if (t[RUN_TAG.workflow] !== undefined) out.workflow = t[RUN_TAG.workflow];
  if (t[RUN_TAG.run] !== undefined) out.run = t[RUN_TAG.run];
  if (t[RUN_TAG.job] !== undefined) out.job = t[RUN_TAG.job];
  const jobs = positive(t[RUN_TAG.jobs]);
  if (jobs !== undefined) out.jobs = jobs;
  if (t[RUN_TAG.plan]) out.plan = t[RUN_TAG.plan];
  const digest = t[RUN_TAG.digest];
  if (digest) {
    out.digest = {};
    for (const pair of digest.split(" ")) {
      const [k, v] = pair.split("=");
      if (k && v && k in DIGEST_PARTS) out.digest[k as DigestPart] = v;
    }
  }
  return out;
}

/** The parts whose digests differ between what a job ran and what is planned now (none when unknown). */
export function changedParts(ran: RunTags["digest"], planned: Record<DigestPart, string>): DigestPart[] {
  if (!ran) return [];
  return (Object.keys(planned) as DigestPart[]).filter((k) => ran[k] !== undefined && ran[k] !== planned[k]);
}

function positive(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,6}$/.test(text)) return undefined;
  return Number(text);
}
