/**
 * Waiting for AWS resources to settle (VALID, DISABLED, deleted) with a timeout, and progress on stderr only when
 * stderr is a terminal.
 * @module
 */
import { EzBatchError } from "../core/errors.ts";
import type { CliContext } from "./context.ts";
import { formatDuration } from "./output.ts";

/** What one poll found. */
export interface PollResult {
  /** True when the wait is over. */
  done: boolean;
  /** The state to show while waiting, e.g. `UPDATING`. */
  status: string;
  /** Set when the resource reached a state it will not leave (e.g. INVALID): the wait fails with this text. */
  failure?: string;
}

/** A resource to wait for. */
export interface WaitTarget {
  /** What is awaited, e.g. `compute environment 'ce' to become VALID`. */
  what: string;
  /** Reads the resource's current state. */
  poll: () => Promise<PollResult>;
}

/** Default time limit of a wait, in seconds. */
export const DEFAULT_WAIT_SECONDS = 600;

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Polls `target` until it is done, it failed, or `timeoutSeconds` passed.
 * @throws EzBatchError on failure or timeout, naming the last state seen.
 */
export async function waitUntil(ctx: CliContext, target: WaitTarget, timeoutSeconds: number): Promise<void> {
  const start = ctx.now();
  const tty = ctx.stderr.isTTY === true;
  let frame = 0;
  try {
    for (;;) {
      const result = await target.poll();
      if (result.failure) throw new EzBatchError(`Gave up waiting for ${target.what}: ${result.failure}`);
      if (result.done) return;
      const elapsed = ctx.now() - start;
      if (elapsed >= timeoutSeconds * 1000) {
        throw new EzBatchError(
          `Timed out after ${formatDuration(elapsed)} waiting for ${target.what} (still ${result.status}); ` +
            `raise --timeout or check it later`,
        );
      }
      if (tty) {
        const spin = FRAMES[frame++ % FRAMES.length];
        ctx.stderr.write(`\r\x1b[K${spin} Waiting for ${target.what}: ${result.status} (${formatDuration(elapsed)})`);
      }
      await ctx.sleep();
    }
  } finally {
    if (tty) ctx.stderr.write("\r\x1b[K");
  }
}

/**
 * Reads every page of a paginated listing. Stops on a repeated token (a buggy server must not loop forever).
 */
export async function readAllPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...page.items);
    token = page.nextToken;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}
