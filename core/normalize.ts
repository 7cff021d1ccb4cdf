/**
 * Turns a document whose shape passed the schema into the workflow model: defaults filled in, numbers and
 * booleans turned into strings where strings are stored, durations into seconds, JSON `options` decoded.
 * Objects are built with `Object.fromEntries` so that keys such as `__proto__` stay plain data.
 * @module
 */
import type { PathIssue } from "./_zod_issues.ts";
import { parseMountOptions } from "./ezbatch_json.ts";
import type { EZBatchJob, JobDependency, RetryRule, S3Mount } from "./model.ts";
import type { DependencyInput, JobInput, S3MountInput, Scalar } from "./schema.ts";
import { DURATION_PATTERN } from "./schema.ts";
import type { KeyPath } from "./source_map.ts";
import { normalizeFeatures } from "./job_features.ts";

/** Seconds of a duration such as `1h30m`, or of a whole number of seconds. */
export function durationSeconds(value: number | string): number {
  if (typeof value === "number") return value;
  const m = DURATION_PATTERN.exec(value);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function strings(table: Record<string, Scalar> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(table ?? {}).map(([k, v]) => [k, String(v)]));
}

function mount(raw: S3MountInput & { options?: string }, path: KeyPath, issues: PathIssue[]): S3Mount {
  const opts = raw.options === undefined
    ? { recursive: false }
    : parseMountOptions(raw.options, [...path, "options"], issues);
  const out: S3Mount = {
    source: raw.source,
    destination: raw.destination,
    recursive: raw.recursive === true || opts.recursive,
  };
  const sse = raw.sse ?? opts.sse;
  const key = raw.sse_kms_key_id ?? opts.sse_kms_key_id;
  if (sse !== undefined) out.sse = sse;
  if (key !== undefined) out.sse_kms_key_id = key;
  return out;
}

/** The model of one job whose shape is valid. */
export function normalizeJob(raw: JobInput, path: KeyPath, issues: PathIssue[]): EZBatchJob {
  const read = (raw.mounts?.read ?? []).map((m, i) => mount(m, [...path, "mounts", "read", i], issues));
  const write = (raw.mounts?.write ?? []).map((m, i) => mount(m, [...path, "mounts", "write", i], issues));
  const job: EZBatchJob = {
    image: raw.image,
    environment: strings(raw.environment),
    secrets: Object.fromEntries(Object.entries(raw.secrets ?? {})),
    mounts: { read, write },
    vcpus: raw.vcpus ?? 1,
    memory: raw.memory ?? 2048,
    gpus: raw.gpus ?? 0,
    platform: raw.platform ?? "FARGATE",
    tags: strings(raw.tags),
    preloader: raw.preloader ?? (read.length + write.length > 0),
  };
  if (raw.command !== undefined) job.command = typeof raw.command === "string" ? raw.command : [...raw.command];
  if (raw.storage_size !== undefined) job.storage_size = raw.storage_size;
  if (raw.assign_public_ip !== undefined) job.assign_public_ip = raw.assign_public_ip;
  if (raw.queue !== undefined) job.queue = raw.queue;
  if (raw.retry !== undefined) {
    job.retry = {
      attempts: raw.retry.attempts,
      evaluate_on_exit: (raw.retry.evaluate_on_exit ?? []).map((rule) => {
        const out: RetryRule = { action: rule.action };
        if (rule.on_exit_code !== undefined) out.on_exit_code = rule.on_exit_code;
        if (rule.on_reason !== undefined) out.on_reason = rule.on_reason;
        if (rule.on_status_reason !== undefined) out.on_status_reason = rule.on_status_reason;
        return out;
      }),
    };
  }
  if (raw.timeout !== undefined) job.timeout = durationSeconds(raw.timeout);
  if (raw.matrix !== undefined) {
    job.matrix = Object.fromEntries(Object.entries(raw.matrix).map(([k, values]) => [k, values.map(String)]));
  }
  Object.assign(job, normalizeFeatures(raw));
  return job;
}

/** The model of one dependency list entry. */
export function normalizeDependency(raw: DependencyInput): JobDependency {
  if (typeof raw === "string") return { job: raw };
  return raw.type === undefined ? { job: raw.job } : { job: raw.job, type: raw.type };
}
