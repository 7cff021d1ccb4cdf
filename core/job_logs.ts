/**
 * Where a job's logs are, and reading them: once, or following them until the job ends.
 * @module
 */
import type { Backend } from "./backend.ts";
import type { JobDetail, LogEvent, LogLocation } from "./backend_types.ts";
import { type Clock, systemClock } from "./rate_limiter.ts";
import { DEFAULT_LOG_GROUP } from "./definitions.ts";
import { NotFoundError, UsageError } from "./errors.ts";
import { withThrottleRetry } from "./_poll.ts";

/** A log stream of a job, with the attempt or container it belongs to. */
export interface JobLogLocation extends LogLocation {
  /** 1-based attempt (containerProperties jobs). */
  attempt?: number;
  /** Container name (ecsProperties jobs). */
  container?: string;
}

/** Options of `logLocationsOf()`. */
export interface LogLocationOptions {
  /** 1-based attempt to read; default the latest. Applies to containerProperties jobs. */
  attempt?: number;
  /** Log group that wins over the job's `awslogs-group` option and the default. */
  group?: string;
  /** Only the container with this name (ecsProperties jobs). */
  container?: string;
}

type LogConfig = { options?: Record<string, string> } | undefined;

function groupOf(config: LogConfig, override?: string): string {
  return override ?? config?.options?.["awslogs-group"] ?? DEFAULT_LOG_GROUP;
}

/**
 * The log streams of a job, read from both shapes AWS Batch uses: `container.logStreamName` and
 * `attempts[].container.logStreamName` (containerProperties jobs), `ecsProperties.taskProperties[].containers[]`
 * (ecsProperties jobs). The group comes from `logConfiguration.options["awslogs-group"]`, else `/aws/batch/job`.
 * @param detail The job as `describeJobs()` returned it.
 * @param options `attempt` (1-based, default the latest), `group` override, `container` name.
 * @returns The streams (empty while the job has not reached RUNNING).
 * @throws {UsageError} When `attempt` asks for an attempt the job has not had.
 * @example
 * ```ts
 * import { logLocationsOf } from "./mod.ts";
 * const detail = { jobId: "1", jobName: "a", jobQueue: "q", jobDefinition: "d", status: "RUNNING" as const,
 *   container: { logStreamName: "d/default/abc" } };
 * console.log(logLocationsOf(detail)); // [{ group: "/aws/batch/job", stream: "d/default/abc", attempt: 1 }]
 * ```
 */
export function logLocationsOf(detail: JobDetail, options: LogLocationOptions = {}): JobLogLocation[] {
  const containers = (detail.ecsProperties?.taskProperties ?? []).flatMap((t) => t.containers ?? []);
  const ecs = containers.filter((c) => c.logStreamName && (!options.container || c.name === options.container));
  if (ecs.length > 0) {
    return ecs.map((c) => ({
      group: groupOf(c.logConfiguration, options.group),
      stream: c.logStreamName!,
      ...(c.name ? { container: c.name } : {}),
    }));
  }
  const streams = (detail.attempts ?? []).map((a) => a.container?.logStreamName);
  const current = detail.container?.logStreamName;
  if (current && streams.at(-1) !== current) streams.push(current);
  const group = groupOf(detail.container?.logConfiguration, options.group);
  if (options.attempt !== undefined) {
    const stream = streams[options.attempt - 1];
    if (!Number.isInteger(options.attempt) || options.attempt < 1 || options.attempt > Math.max(streams.length, 1)) {
      throw new UsageError(
        `Job '${detail.jobName}' has no attempt ${options.attempt}: it has had ${streams.length} (count from 1)`,
      );
    }
    return stream ? [{ group, stream, attempt: options.attempt }] : [];
  }
  const last = streams.length;
  return last > 0 && streams[last - 1] ? [{ group, stream: streams[last - 1]!, attempt: last }] : [];
}

/** A log event with the stream it came from. */
export interface JobLogEvent extends LogEvent {
  /** The stream. */
  stream: string;
}

/** Options of `followLog()`. */
export interface FollowLogOptions extends LogLocationOptions {
  /** Stops following (the iterator then throws the signal's reason). */
  signal?: AbortSignal;
  /** Wait between polls in ms; default 2,000. */
  pollMs?: number;
  /** Time source; default the system clock. */
  clock?: Clock;
  /** Keep polling while the job runs; `false` reads what is there now and stops. Default `true`. */
  follow?: boolean;
}

const FINISHED = new Set(["SUCCEEDED", "FAILED"]);

/**
 * The log events of a job, oldest first. Polls GetLogEvents with `startFromHead` and the forward token; between
 * polls it waits `pollMs`. A stream that does not exist yet is "no logs yet", not an error. It ends when the job
 * has finished and the token stops moving (or at once when `follow` is false and the current events are read).
 * Without a pinned `attempt` it moves on to the stream of a new attempt after a retry; for a multi-container
 * (ecsProperties) job it reads every container's stream (or the one named by `container`), each poll's events
 * merged by time. Throttling (after the SDK's
 * own retries) makes it back off and go on.
 * @param backend The backend to use.
 * @param jobId The job.
 * @param options `pollMs`, `clock`, `signal`, `follow`, and which stream (`attempt`, `container`, `group`).
 * @returns An async iterator of events.
 * @throws {NotFoundError} When the job does not exist.
 * @example
 * ```ts ignore
 * import { AwsBackend, followLog } from "./mod.ts";
 * for await (const event of followLog(new AwsBackend(), "6b2e0c1e-0000-4000-8000-000000000000")) {
 *   console.log(new Date(event.timestamp).toISOString(), event.message);
 * }
 * ```
 */
export async function* followLog(
  backend: Backend,
  jobId: string,
  options: FollowLogOptions = {},
): AsyncGenerator<JobLogEvent, void, undefined> {
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 2000;
  const { signal } = options;
  const retry = <T>(call: () => Promise<T>) => withThrottleRetry(call, { clock, baseMs: pollMs, signal });
  // Streams being read, in the order they appeared, with their forward tokens.
  const streams = new Map<string, { location: JobLogLocation; token?: string }>();
  const drain = async function* (entry: { location: JobLogLocation; token?: string }) {
    // Read until the forward token stops moving; a missing stream means "no logs yet".
    for (;;) {
      const from = entry.token;
      const page = await retry(() =>
        backend.getLogEvents(entry.location, { nextToken: from, startFromHead: true, signal })
      );
      if (!page.exists) return;
      for (const event of page.events) yield { ...event, stream: entry.location.stream };
      if (page.nextForwardToken === undefined || page.nextForwardToken === from) return;
      entry.token = page.nextForwardToken;
    }
  };
  for (;;) {
    const [detail] = await retry(() => backend.describeJobs([jobId], { signal }));
    if (!detail) throw new NotFoundError(`Job '${jobId}' was not found`);
    const finished = FINISHED.has(detail.status);
    const current = logLocationsOf(detail, options);
    for (const location of current) {
      if (!streams.has(location.stream)) streams.set(location.stream, { location });
    }
    const batch: JobLogEvent[] = [];
    for (const [name, entry] of streams) {
      for await (const event of drain(entry)) {
        if (current.length > 1) batch.push(event); // several containers: merged by time below
        else yield event;
      }
      // A stream no longer current (the attempt before a retry) has just been read to its end: drop it.
      if (!current.some((l) => l.stream === name)) streams.delete(name);
    }
    yield* batch.sort((a, b) => a.timestamp - b.timestamp);
    if (finished || options.follow === false) return;
    await clock.sleep(pollMs, signal);
  }
}
