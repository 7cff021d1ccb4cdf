/**
 * The retry flags of `jobs submit` and `job-definition create`: `--retry N` (attempts in all) and
 * `--retry-on-exit-code CODE` (repeatable), which become the workflow file's `retry` field, so the one-off job's
 * retry strategy is built (core/definitions.ts `retryStrategy`) and checked (at most 5 rules, the code's form) by
 * the same code as a workflow file's.
 * @module
 */
import { UsageError } from "../core/errors.ts";
import type { JobInput } from "../core/schema.ts";

/** The retry flags. */
export interface RetryFlags {
  retry?: number;
  retryOnExitCode?: string[];
}

/** Collects a repeated flag. */
export function collect(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

/**
 * The `retry` field the flags make over `base` (a `--from` job's): `--retry` sets the attempts, keeping the base's
 * rules; `--retry-on-exit-code` replaces the rules with RETRY on each code and a final EXIT on anything else (AWS
 * retries whatever no rule matches, so without it every failure would still be retried).
 * @throws UsageError for exit codes without attempts.
 */
export function retryFromFlags(flags: RetryFlags, base?: JobInput["retry"]): JobInput["retry"] {
  if (flags.retry === undefined && !flags.retryOnExitCode?.length) return base;
  const attempts = flags.retry ?? base?.attempts;
  if (attempts === undefined) {
    throw new UsageError("--retry-on-exit-code needs --retry N: the attempts in all, 2 to 10 for a retry to happen");
  }
  const rules = flags.retryOnExitCode?.length
    ? [
      ...flags.retryOnExitCode.map((code) => ({ on_exit_code: code, action: "RETRY" as const })),
      { on_reason: "*", action: "EXIT" as const },
    ]
    : base?.evaluate_on_exit;
  return { attempts, ...(rules?.length ? { evaluate_on_exit: rules } : {}) };
}

/** The flag a workflow-rule problem of the `retry` field (`jobs.job.retry...`) is about. */
export function retryFlagOfField(field: string | undefined): string | undefined {
  if (!field?.startsWith("jobs.job.retry")) return undefined;
  return field.includes("evaluate_on_exit") ? "--retry-on-exit-code" : "--retry";
}
