/**
 * The SDK retry strategy of our clients: the SDK's own adaptive strategy (throttling, 5xx, timeouts), except that a
 * refused connection is tried at most three times. Adaptive retry with 8 attempts spent about 4 s on an endpoint
 * that refuses every connection; nothing is listening, so the later tries only delay the error. Private to aws/.
 * @module
 */

/** Attempts (the first included) for a connection the endpoint refused: the AWS CLI's standard mode makes 3. */
export const REFUSED_ATTEMPTS = 3;

/** The parts of the SDK's retry token and strategy (RetryStrategyV2) we use, by shape: no SDK types here. */
interface Token {
  getRetryCount(): number;
}
interface Strategy<T extends Token> {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<T>;
  refreshRetryTokenForRetry(token: T, info: { error?: unknown }): Promise<T>;
  recordSuccess(token: T): void;
}

/** Network error codes that mean the request never left this machine or never reached a listener. */
const UNSENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** True when `error` (an SDK error) is a connection that was refused or a host that does not resolve. */
export function isUnsent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNSENT.has(code);
}

/** Wraps `base` so an unsent request gives up after {@link REFUSED_ATTEMPTS} attempts. */
export function failFast<T extends Token>(base: Strategy<T>): Strategy<T> {
  return {
    ...(base.mode ? { mode: base.mode } : {}),
    acquireInitialRetryToken: (scope) => base.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token, info) => {
      // Throwing ends the SDK's retries: it then throws the last error, with $metadata.attempts set.
      if (isUnsent(info.error) && token.getRetryCount() + 1 >= REFUSED_ATTEMPTS) throw info.error;
      return await base.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token) => base.recordSuccess(token),
  };
}
