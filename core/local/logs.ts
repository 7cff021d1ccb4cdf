/**
 * Log streams of the local backend: one JSON-lines file per stream (`logs/<group>/<stream>.jsonl`, names
 * URI-encoded), one `{"t":epochMs,"m":"line"}` per event. Writers append whole lines; readers page with byte
 * offsets as tokens (`f/<offset>`), so `getLogEvents` behaves like CloudWatch's: forward tokens that stop moving
 * when nothing new arrived, and `exists: false` for a stream that has no file yet. A line cut by a full disk costs
 * that line only: the writer ends it before writing again, and the reader shows a note in its place.
 * @module
 */
import { join } from "node:path";
import type { LogEvent, LogLocation, LogPage } from "../backend_types.ts";
import { type AppendFile, type LocalDisk, realDisk } from "./_disk.ts";

/** Path of the file of a log stream under a state directory. */
export function logFilePath(stateDir: string, location: LogLocation): string {
  return join(stateDir, "logs", encodeURIComponent(location.group), `${encodeURIComponent(location.stream)}.jsonl`);
}

/** Appends events to one log stream, one whole line per event. */
export class LogWriter {
  #path: string;
  #disk: LocalDisk | undefined;
  #file: Promise<AppendFile> | undefined;
  #encoder = new TextEncoder();
  #now: () => number;
  #cut = false;

  private constructor(path: string, disk: LocalDisk | undefined, now: () => number) {
    this.#path = path;
    this.#disk = disk;
    this.#now = now;
  }

  /** Opens (creating) the stream's file for appending. */
  static async open(
    stateDir: string,
    location: LogLocation,
    options: { now?: () => number; disk?: LocalDisk } = {},
  ): Promise<LogWriter> {
    const writer = LogWriter.lazy(stateDir, location, options);
    await writer.ensure();
    return writer;
  }

  /** A writer that opens (creating) the stream's file at its first write or `ensure()`, or lets `handOff` do it. */
  static lazy(stateDir: string, location: LogLocation, options: { now?: () => number; disk?: LocalDisk } = {}) {
    return new LogWriter(logFilePath(stateDir, location), options.disk, options.now ?? Date.now);
  }

  /** Opens (creating) the file now, when not open yet. */
  async ensure(): Promise<void> {
    await this.#open();
  }

  #open(): Promise<AppendFile> {
    if (!this.#file) {
      // Synchronous: microseconds, where an async call waits for Deno's thread pool (each job start pays it).
      Deno.mkdirSync(join(this.#path, ".."), { recursive: true, mode: 0o700 });
      this.#file = (this.#disk ?? realDisk).openAppend(this.#path, 0o600);
      this.#file.catch(() => (this.#file = undefined));
    }
    return this.#file;
  }

  /**
   * For a process that creates the file itself (the job launcher, launcher.ts): the file's path and the bytes
   * `write(lines)` would append now. Undefined when this writer opened its file already, or writes to another
   * disk than the real one (a test's). After a successful hand-off the file exists and starts with `head`.
   */
  handOff(lines: string[]): { path: string; head: Uint8Array } | undefined {
    if (this.#file || (this.#disk && this.#disk !== realDisk)) return undefined;
    return { path: this.#path, head: this.#encode(lines) };
  }

  #encode(lines: string[]): Uint8Array {
    const t = this.#now();
    // After a failed write the file may end in half a line: end it, so the damage stays on that line.
    const text = (this.#cut ? "\n" : "") + lines.map((m) => JSON.stringify({ t, m }) + "\n").join("");
    return this.#encoder.encode(text);
  }

  /** Appends lines (without their newline) as events stamped now. Throws when the file cannot be written. */
  async write(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const file = await this.#open();
    const bytes = this.#encode(lines);
    let written = 0;
    try {
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      this.#cut = false;
    } catch (error) {
      this.#cut = true;
      throw error;
    }
  }

  /** Closes the file. */
  close(): void {
    this.#file?.then((file) => {
      try {
        file.close();
      } catch { /* already closed */ }
    }, () => {});
  }
}

/** Splits bytes into lines as they arrive: UTF-8, a trailing `\r` dropped, a last line without newline at `end`. */
export class LineSplitter {
  #decoder = new TextDecoder();
  #rest = "";

  /** The whole lines completed by `chunk`. */
  push(chunk: Uint8Array): string[] {
    const parts = (this.#rest + this.#decoder.decode(chunk, { stream: true })).split("\n");
    this.#rest = parts.pop() ?? "";
    return parts.map((l) => l.replace(/\r$/, ""));
  }

  /** The last line, when the bytes did not end with a newline. */
  end(): string[] {
    const rest = this.#rest + this.#decoder.decode();
    this.#rest = "";
    return rest ? [rest] : [];
  }
}

/** Splits a byte stream into lines (a final line without newline is flushed at the end). */
export async function pumpLines(stream: ReadableStream<Uint8Array>, sink: (lines: string[]) => Promise<void>) {
  const splitter = new LineSplitter();
  for await (const chunk of stream) {
    const lines = splitter.push(chunk);
    if (lines.length > 0) await sink(lines);
  }
  const last = splitter.end();
  if (last.length > 0) await sink(last);
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
  let lastTime = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(10, offset);
    if (newline < 0) break; // a line still being written
    const event = parseLine(decoder.decode(bytes.subarray(offset, newline)), lastTime);
    if (event) lines.push({ event, end: newline + 1 });
    if (event) lastTime = event.timestamp;
    offset = newline + 1;
  }
  const page = options.nextToken || options.startFromHead ? lines.slice(0, limit) : lines.slice(-limit);
  const end = page.length > 0 ? page[page.length - 1]!.end : start;
  return { events: page.map((l) => l.event), nextForwardToken: `f/${end}`, exists: true } satisfies LogPage;
}

/** One stored line as an event: undefined for an empty line, a note in place of a damaged one. */
function parseLine(text: string, lastTime: number): LogEvent | undefined {
  if (text === "") return undefined;
  try {
    const record = JSON.parse(text) as { t?: unknown; m?: unknown };
    if (typeof record.t === "number" && typeof record.m === "string") return { timestamp: record.t, message: record.m };
  } catch { /* damaged: reported below */ }
  return {
    timestamp: lastTime,
    message: `[ezbatch local] ${text.length} characters of this log were damaged (a write cut short, e.g. a full disk)`,
  };
}
