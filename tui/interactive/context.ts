/**
 * What every section of the interactive mode works with: the prompts, the lazily created backend, the clock and
 * the waits, and small listing and table helpers over the Backend.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { ComputeEnvironment, JobQueue } from "../../core/backend_types.ts";
import { EzBatchError } from "../../core/errors.ts";
import type { ActionSettings } from "../../core/actions/roles.ts";
import type { PlanOptions } from "../../core/plan.ts";
import type { Prompter } from "./prompter.ts";

/** The context of a section. */
export interface Session {
  /** Prompts and output. */
  p: Prompter;
  /** The backend, created on first use. */
  backend: () => Promise<Backend>;
  /** Waits between polls (ms); tests pass 0. */
  pollMs: number;
  /** Longest wait for a resource to settle (ms). */
  waitMs: number;
  /** The working directory (workflow files are resolved against it). */
  cwd: string;
  /** The settings file, when given. */
  configPath?: string;
  /** The settings the actions take their defaults from (the same the CLI reads). */
  settings: () => Promise<ActionSettings>;
  /** Plan and submit options from the settings (roles, log group, public IP). */
  planOptions: () => Promise<PlanOptions>;
  /** Runs the monitor (the Monitor menu entry). */
  monitor: (backend: Backend, options: { queue?: string; runId?: string }) => Promise<void>;
}

/** Every compute environment (all pages). */
export async function allEnvironments(backend: Backend): Promise<ComputeEnvironment[]> {
  const out: ComputeEnvironment[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.describeComputeEnvironments(undefined, nextToken ? { nextToken } : {});
    out.push(...page.computeEnvironments);
    nextToken = page.nextToken;
  } while (nextToken);
  return out.sort((a, b) => a.computeEnvironmentName.localeCompare(b.computeEnvironmentName));
}

/** Every job queue (all pages). */
export async function allQueues(backend: Backend): Promise<JobQueue[]> {
  const out: JobQueue[] = [];
  let nextToken: string | undefined;
  do {
    const page = await backend.describeJobQueues(undefined, nextToken ? { nextToken } : {});
    out.push(...page.jobQueues);
    nextToken = page.nextToken;
  } while (nextToken);
  return out.sort((a, b) => a.jobQueueName.localeCompare(b.jobQueueName));
}

/** The last path segment of an ARN, or the name itself. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1);
}

/** A plain text table with a header row. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * Polls `read` until `done` says so, or fails after the session's wait limit naming `what` and the last state.
 * @throws {EzBatchError} on timeout.
 */
export async function waitFor<T>(
  session: Session,
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  describe: (value: T) => string,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - start > session.waitMs) {
      throw new EzBatchError(`Timed out waiting for ${what} (still ${describe(value)})`);
    }
    await new Promise((r) => setTimeout(r, session.pollMs));
  }
}
