/**
 * How the submission engine treats a failed call. Private to core.
 * @module
 */
import { AwsCallError } from "./errors.ts";

/** `throttled`: the service refused, try again later. `transient`: the call may or may not have happened. */
export type FailureKind = "throttled" | "transient" | "fatal";

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
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ConnectionReset",
  "ConnectionRefused",
  "ConnectionAborted",
  "TimedOut",
  "BrokenPipe",
]);

/** Classifies an error from a backend call. */
export function classifyError(error: unknown): FailureKind {
  if (!(error instanceof Error) || error.name === "AbortError") return "fatal";
  const code = error instanceof AwsCallError ? error.code : (error as { code?: unknown }).code ?? error.name;
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
