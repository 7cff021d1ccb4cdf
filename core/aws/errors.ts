/**
 * Turning SDK errors into ezbatch's error family, and recognising throttling. No SDK import here: the SDK's error
 * objects are read by shape (`name`, `message`, `$metadata`).
 * @module
 */
import { AwsCallError, NotFoundError, type ResourceKind } from "../errors.ts";

/** Error codes AWS services use when they throttle a caller. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "BandwidthLimitExceeded",
]);

/**
 * True when `error` is an `AwsCallError` whose code says AWS throttled the call (after the SDK's own retries):
 * pollers back off and try again instead of failing.
 * @param error Anything caught.
 * @returns Whether it is a throttling error.
 * @example
 * ```ts
 * import { AwsCallError, isThrottlingError } from "./mod.ts";
 * const error = new AwsCallError({ service: "Batch", operation: "DescribeJobs", code: "TooManyRequestsException" }, "Rate exceeded");
 * console.log(isThrottlingError(error)); // true
 * ```
 */
export function isThrottlingError(error: unknown): boolean {
  return error instanceof AwsCallError && error.code !== undefined && THROTTLING_CODES.has(error.code);
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number };
}

// "not in ACTIVE status": SubmitJob's answer for a definition whose revisions were all deregistered.
const NOT_FOUND_MESSAGE = /not found|does not exist|doesn't exist|cannot be found|no such|not in ACTIVE status/i;

/** Options of `toAwsError()`. */
export interface ToAwsErrorOptions {
  /** What was looked for, e.g. `Job 'abc'`: a not-found answer then becomes a `NotFoundError` naming it. */
  notFound?: string;
  /** The kind of what was looked for, passed on to the `NotFoundError`. */
  resource?: ResourceKind;
  /** Take a not-found answer as about `notFound` only when its message matches (an operation naming several things). */
  about?: RegExp;
}

/** The error code of an SDK error (its `name`, or `Code` for older XML services). */
export function errorCodeOf(error: unknown): string | undefined {
  const e = error as SdkErrorShape | undefined;
  if (!e || typeof e !== "object") return undefined;
  return e.Code ?? (e.name && e.name !== "Error" ? e.name : undefined);
}

/**
 * Wraps an SDK error as `AwsCallError` (service, operation, request id, code, and the SDK error as `cause`), or as
 * `NotFoundError` (whose `cause` is that `AwsCallError`) when `options.notFound` is given and AWS said the thing
 * does not exist.
 */
export function toAwsError(
  service: string,
  operation: string,
  error: unknown,
  options: ToAwsErrorOptions = {},
): AwsCallError | NotFoundError {
  if (error instanceof AwsCallError || error instanceof NotFoundError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const network = networkFailure(e);
  const code = network?.code ?? errorCodeOf(error);
  const requestId = e.$metadata?.requestId;
  const attempts = e.$metadata?.attempts;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const text = (typeof e.message === "string" && e.message) || code || String(error);
  const detail = network?.detail ?? (code && !text.includes(code) ? `${code}: ${text}` : text);
  const info = {
    service,
    operation,
    ...(requestId !== undefined ? { requestId } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(typeof attempts === "number" ? { attempts } : {}),
  };
  const callError = new AwsCallError(info, detail, { cause: error });
  const notFound = code === "ResourceNotFoundException" || code === "NotFoundException" || status === 404 ||
    (code === "ClientException" && NOT_FOUND_MESSAGE.test(text));
  if (options.notFound && notFound && (!options.about || options.about.test(text))) {
    return new NotFoundError(`${options.notFound} was not found (${service} ${operation}: ${text})`, {
      cause: callError,
      ...(options.resource ? { resource: options.resource } : {}),
    });
  }
  return callError;
}

/** A failure to reach the endpoint at all, worded to name it: the code and a message. */
function networkFailure(e: SdkErrorShape): { code: string; detail: string } | undefined {
  if (typeof e.code !== "string" || !/^E[A-Z]+$/.test(e.code)) return undefined;
  const where = typeof e.address === "string"
    ? `${e.address}${e.port !== undefined ? `:${e.port}` : ""}`
    : typeof e.hostname === "string"
    ? e.hostname
    : undefined;
  const tries = (e.$metadata?.attempts ?? 1) > 1 ? `, ${e.$metadata?.attempts} attempts` : "";
  const said = `${e.message ?? e.code}${tries}`;
  const endpoint = where ? `the endpoint ${where}` : "the endpoint";
  const detail = e.code === "ECONNREFUSED"
    ? `${endpoint} refused the connection: nothing listens there (${said}). Check AWS_ENDPOINT_URL and the region`
    : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
    ? `the host of ${endpoint} was not found (${said}). Check the endpoint and the region`
    : `${endpoint} could not be reached (${said})`;
  return { code: e.code, detail };
}

/**
 * Runs one AWS call and maps its failure with `toAwsError()`. An abort of `signal` is rethrown as the signal's
 * reason, not wrapped.
 */
export async function callAws<T>(
  service: string,
  operation: string,
  call: () => Promise<T>,
  options: ToAwsErrorOptions & { signal?: AbortSignal } = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw toAwsError(service, operation, error, options);
  }
}
