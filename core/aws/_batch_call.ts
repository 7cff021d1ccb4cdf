/**
 * The shape of one AWS Batch call as the backend's helpers make it.
 * @module
 */
import type { loadBatchSdk } from "../deps.ts";
import type { CallOptions } from "../backend.ts";
import type { BatchClient } from "./clients.ts";
import type { ToAwsErrorOptions } from "./errors.ts";

/** The AWS Batch SDK module. */
export type BatchSdk = Awaited<ReturnType<typeof loadBatchSdk>>;
/** The SDK input type of a Batch command (our plain types are wire-compatible subsets of it). */
export type In<K extends keyof BatchSdk> = BatchSdk[K] extends abstract new (input: infer I) => unknown ? I : never;

/** Runs one Batch operation with the lazily loaded client and SDK, mapping failures to ezbatch's errors. */
export type BatchCall = <T>(
  operation: string,
  run: (client: BatchClient, sdk: BatchSdk, send: { abortSignal?: AbortSignal }) => Promise<T>,
  options?: CallOptions & Pick<ToAwsErrorOptions, "notFound" | "resource">,
) => Promise<T>;
