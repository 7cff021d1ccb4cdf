/**
 * A Backend wrapper that misbehaves like a bad day on AWS: it refuses calls (throttling, 5xx) before they reach the
 * service, and loses replies of calls that did happen (a network error after the server acted). Seeded, so a
 * failing run can be replayed.
 */
import type { Backend } from "../../core/backend.ts";
import { AwsCallError } from "../../core/errors.ts";

/** What to break, as probabilities per call. */
export interface ChaosOptions {
  /** Seed of the random source. */
  seed: number;
  /** Refused with TooManyRequestsException before reaching the service. */
  throttle?: number;
  /** Refused with a 5xx (ServerException) before reaching the service. */
  serverError?: number;
  /** The call happens, then the reply is lost (ECONNRESET): only for the operations in `lostReplies`. */
  lostReply?: number;
  /** Operations whose replies may be lost (default submitJob and registerJobDefinition). */
  lostReplies?: string[];
}

/** A seeded linear congruential generator in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

/** Counts of what the chaos did, per operation. */
export type ChaosLog = Record<string, { throttled: number; serverError: number; lostReply: number; ok: number }>;

/** Wraps `backend`; the returned log counts the faults injected. */
export function chaos(backend: Backend, options: ChaosOptions): { backend: Backend; log: ChaosLog } {
  const random = seeded(options.seed);
  const lostReplies = new Set(options.lostReplies ?? ["submitJob", "registerJobDefinition"]);
  const log: ChaosLog = {};
  const wrapped = new Proxy(backend, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return async (...args: unknown[]) => {
        const entry = log[property] ??= { throttled: 0, serverError: 0, lostReply: 0, ok: 0 };
        const r = random();
        const t = options.throttle ?? 0;
        const s = options.serverError ?? 0;
        if (r < t) {
          entry.throttled++;
          throw new AwsCallError(
            { service: "Batch", operation: property, code: "TooManyRequestsException", requestId: "chaos" },
            "Too Many Requests",
          );
        }
        if (r < t + s) {
          entry.serverError++;
          throw new AwsCallError(
            { service: "Batch", operation: property, code: "ServerException", requestId: "chaos" },
            "Internal error",
          );
        }
        const result = await value.apply(target, args);
        if (lostReplies.has(property) && random() < (options.lostReply ?? 0)) {
          entry.lostReply++;
          throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
        }
        entry.ok++;
        return result;
      };
    },
  });
  return { backend: wrapped, log };
}
