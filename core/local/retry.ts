/**
 * AWS Batch retry rules: `attempts` and `evaluateOnExit` (exit code, reason, status reason; a trailing `*` is a
 * prefix match; the first matching rule decides; when no rule matches the job is retried).
 * @module
 */
import type { RetryStrategyProps } from "../backend_types.ts";

/** True when `value` matches `pattern` (exact, or a prefix when the pattern ends with `*`). */
export function globMatch(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

/** How an attempt ended, as far as the retry rules look at it. */
export interface AttemptOutcome {
  /** Exit code, when the command ran. */
  exitCode?: number;
  /** Container reason. */
  reason?: string;
  /** Status reason. */
  statusReason?: string;
}

/** Whether a failed attempt is retried, given how many attempts were made (including the failed one). */
export function shouldRetry(
  strategy: RetryStrategyProps | undefined,
  attemptsMade: number,
  outcome: AttemptOutcome,
): boolean {
  const attempts = strategy?.attempts ?? 1;
  if (attemptsMade >= attempts) return false;
  for (const rule of strategy?.evaluateOnExit ?? []) {
    const exitCode = outcome.exitCode === undefined ? undefined : String(outcome.exitCode);
    const matches = (rule.onExitCode === undefined || globMatch(rule.onExitCode, exitCode)) &&
      (rule.onReason === undefined || globMatch(rule.onReason, outcome.reason)) &&
      (rule.onStatusReason === undefined || globMatch(rule.onStatusReason, outcome.statusReason));
    if (matches) return rule.action.toUpperCase() === "RETRY";
  }
  return true;
}
