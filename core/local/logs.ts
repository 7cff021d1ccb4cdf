/**
 * Log streams of the local backend: one JSON-lines file per stream (`logs/<group>/<stream>.jsonl`, names
 * URI-encoded), one `{"t":epochMs,"m":"line"}` per event. Writers append whole lines; readers page with byte
 * offsets as tokens (`f/<offset>`), so `getLogEvents` behaves like CloudWatch's: forward tokens that stop moving
 * when nothing new arrived, and `exists: false` for a stream that has no file yet.
 * @module
 */
import { join } from "node:path";
import type { LogEvent, LogLocation, LogPage } from "../backend_types.ts";

/** Path of the file of a log stream under a state directory. */
export function logFilePath(stateDir: string, location: LogLocation): string {
  return join(stateDir, "logs", encodeURIComponent(location.group), `${encodeURIComponent(location.stream)}.jsonl`);
}

/** Appends events to one log stream, one whole line per event. */
export class LogWriter {
  #file: Deno.FsFile;
  #encoder = new TextEncoder();
  #now: () => number;

  private constructor(file: Deno.FsFile, now: () => number) {
    this.#file = file;
    this.#now = now;
  }

  /** Opens (creating) the stream's file for appending. */
  static async open(stateDir: string, location: LogLocation, now: () => number = Date.now): Promise<LogWriter> {
    const path = logFilePath(stateDir, location);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    return new LogWriter(await Deno.open(path, { create: true, append: true }), now);
  }

  /** Appends lines (without their newline) as events stamped now. */
  async write(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const t = this.#now();
    const text = lines.map((m) => JSON.stringify({ t, m }) + "\n").join("");
    const bytes = this.#encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }

  /** Closes the file. */
  close(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
  }
}

/** Splits a byte stream into lines (a final line without newline is flushed at the end). */
export async function pumpLines(stream: ReadableStream<Uint8Array>, sink: (lines: string[]) => Promise<void>) {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split("\n");
    rest = parts.pop() ?? "";
    if (parts.length > 0) await sink(parts.map((l) => l.replace(/\r$/, "")));
  }
  rest += decoder.decode();
  if (rest) await sink([rest]);
}

/** Options of `readLogEvents`, as GetLogEvents takes them. */
export interface ReadLogOptions {
  /** A token from a previous page. */
  nextToken?: string;
  /** Without a token: true reads from the first event, false (default) returns the last `limit` events. */
  startFromHead?: boolean;
  /** At most this many events (default 10,000). */
  limit?: number;
}

/** Reads one page of a stream. */
export async function readLogEvents(stateDir: string, location: LogLocation, options: ReadLogOptions = {}) {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(logFilePath(stateDir, location));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { events: [], exists: false } satisfies LogPage;
    throw error;
  }
  const limit = Math.max(1, Math.min(options.limit ?? 10_000, 10_000));
  const start = options.nextToken ? Number(options.nextToken.replace(/^[fb]\//, "")) || 0 : 0;
  const lines: { event: LogEvent; end: number }[] = [];
  let offset = Math.min(start, bytes.length);
  const decoder = new TextDecoder();
  while (offset < bytes.length) {
    const newline = bytes.indexOf(10, offset);
    if (newline < 0) break; // a line still being written
    const record = JSON.parse(decoder.decode(bytes.subarray(offset, newline))) as { t: number; m: string };
    lines.push({ event: { timestamp: record.t, message: record.m }, end: newline + 1 });
    offset = newline + 1;
  }
  const page = options.nextToken || options.startFromHead ? lines.slice(0, limit) : lines.slice(-limit);
  const end = page.length > 0 ? page[page.length - 1]!.end : start;
  return { events: page.map((l) => l.event), nextForwardToken: `f/${end}`, exists: true } satisfies LogPage;
}
