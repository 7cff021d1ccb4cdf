/**
 * How the submission engine treats a failed call. Private to core.
 * @module
 */
import { AwsCallError } from "./errors.ts";

/**
 * `throttled`: the service refused, try again later. `transient`: the call may or may not have happened.
 * `unsent`: the request never reached a service (connection refused, unknown host): it did not happen, so there is
 * nothing to look up, and a few quick tries are enough.
 */
export type FailureKind = "throttled" | "transient" | "unsent" | "fatal";

/** Attempts the engine makes for an unsent request, the first included. */
export const UNSENT_ATTEMPTS = 3;

const UNSENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ConnectionRefused"]);

const THROTTLING = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "BandwidthLimitExceeded",
  "SlowDown",
]);
const TRANSIENT = new Set([
  "InternalServerError",
  "InternalFailure",
  "ServerException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "NetworkingError",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ConnectionReset",
  "ConnectionAborted",
  "TimedOut",
  "BrokenPipe",
]);

/** Classifies an error from a backend call. */
export function classifyError(error: unknown): FailureKind {
  if (!(error instanceof Error) || error.name === "AbortError") return "fatal";
  const code = error instanceof AwsCallError ? error.code : (error as { code?: unknown }).code ?? error.name;
  // The SDK already retried this call as far as its strategy allows: retrying it again would multiply the wait.
  if (error instanceof AwsCallError && (error.attempts ?? 1) > 1) return "fatal";
  if (typeof code === "string" && UNSENT.has(code)) return "unsent";
  if (typeof code === "string" && THROTTLING.has(code)) return "throttled";
  if (typeof code === "string" && TRANSIENT.has(code)) return "transient";
  // AWS never answered: no code and no request id.
  if (error instanceof AwsCallError && error.code === undefined && error.requestId === undefined) return "transient";
  return "fatal";
}

/** "Full jitter" exponential backoff: a random delay up to min(cap, base * 2^attempt) ms. */
export function backoffMs(attempt: number, random: () => number, base = 100, cap = 5_000): number {
  return Math.round(random() * Math.min(cap, base * 2 ** attempt));
}
