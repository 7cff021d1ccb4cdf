/**
 * Starting job processes through one long-lived helper process (the launcher, `_launcher_script.ts`) instead of a
 * `Deno.Command` per job. A spawn from the supervisor costs about 1.5 ms of its one JavaScript thread (measured by
 * CPU profile) plus an exec of `setsid`; through the launcher it is one line written to a pipe, and the fork, the
 * `setsid()` and the exec happen in the small helper, on another core when there is one. The supervisor still
 * signals the job's process group and pids itself (terminate, timeout, leftovers), and receives the job's output
 * to write into its log as before. Without Perl, `spawnInOwnGroup` (spawn.ts) is used.
 * @module
 */
import { LAUNCHER_SCRIPT } from "./_launcher_script.ts";
import { findProgram, type JobProcess, resolveProgram } from "./spawn.ts";
import { LineSplitter } from "./logs.ts";

/** What `Launcher.spawn` takes besides the argv. */
export interface SpawnOptions {
  /** The working directory. */
  cwd: string;
  /** The whole environment. */
  env: Record<string, string>;
  /** Create `cwd` (and its parents) first. */
  mkdir?: boolean;
  /** A log file to create first (mode 0600), starting with `head`. */
  log?: { path: string; head: Uint8Array };
}

type Sink = (lines: string[]) => Promise<void>;

interface Pending {
  started: (process: JobProcess) => void;
  failed: (error: Error) => void;
  /** Set once started: resolves the status. */
  ended?: (status: { code: number }) => void;
  /** Until both pipes closed. */
  output?: {
    splitters: [LineSplitter, LineSplitter];
    sink?: Sink;
    /** Lines that came before `pump` was called. */
    early: string[][];
    /** The sink's calls, one after the other. */
    tail: Promise<void>;
    closed: () => void;
  };
}

/** Passes lines to the job's sink after those before them (or keeps them until it has one). */
function deliver(job: Pending, lines: string[]): void {
  const output = job.output;
  if (!output || lines.length === 0) return;
  const sink = output.sink;
  if (!sink) output.early.push(lines);
  else output.tail = output.tail.then(() => sink(lines)).catch(() => {});
}

/** Both pipes closed: the last lines, then the end. */
function finish(job: Pending): void {
  const output = job.output;
  if (!output) return;
  deliver(job, output.splitters[0].end());
  deliver(job, output.splitters[1].end());
  job.output = undefined;
  // Without a sink yet, `pump` ends it once it has passed on the lines kept for it.
  if (output.sink) output.tail.then(output.closed);
}

const encoder = new TextEncoder();

/** One launcher process and the jobs it started. */
export class Launcher {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #jobs = new Map<number, Pending>();
  #outbox: Uint8Array[] = [];
  #outboxIds: number[] = [];
  #next = 1;
  #reading: Promise<void>;
  #closed = false;
  #ready!: (ok: boolean) => void;
  /** Resolves true once the launcher runs, false when it stopped before (e.g. Perl without its POSIX module). */
  readonly ready: Promise<boolean> = new Promise((resolve) => (this.#ready = resolve));

  private constructor(perl: string) {
    this.#child = new Deno.Command(perl, {
      args: ["-e", LAUNCHER_SCRIPT],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#reading = this.#read().catch(() => {}).finally(() => this.#lost());
  }

  /** Starts a launcher; undefined when this machine has no `perl`. */
  static start(): Launcher | undefined {
    const perl = findProgram("perl");
    return perl ? new Launcher(perl) : undefined;
  }

  /** The launcher's pid. */
  get pid(): number {
    return this.#child.pid;
  }

  /** False once the launcher stopped (closed, or died): start a new one. */
  get alive(): boolean {
    return !this.#closed;
  }

  /**
   * Starts `argv` with no stdin and exactly `env`, in `cwd` (created first with `mkdir`), as the leader of a new
   * session and process group; `log` is a log file to create first, starting with `head` (LogWriter.handOff).
   * Throws as Deno's spawn does when `argv[0]` cannot be found, or when the launcher cannot create `cwd`, fork, or
   * execute the program.
   */
  async spawn(argv: string[], options: SpawnOptions): Promise<JobProcess> {
    if (this.#closed) throw new Error("The job launcher has stopped");
    resolveProgram(argv[0]!, options.cwd, options.env.PATH);
    const entries = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
    if ([...entries, ...argv, options.cwd].some((text) => text.includes("\0"))) {
      throw new TypeError("A job's command, environment or directory contains a NUL character");
    }
    const env = entries.join("\0");
    const args = argv.join("\0");
    const id = this.#next++;
    const parts = [options.cwd, options.log?.path ?? "", options.log?.head ?? "", env, args].map((part) =>
      typeof part === "string" ? encoder.encode(part) : part
    );
    const header = encoder.encode(`s ${id} ${options.mkdir ? 1 : 0} ${parts.map((p) => p.length).join(" ")}\n`);
    const started = new Promise<JobProcess>((resolve, reject) => {
      this.#jobs.set(id, { started: resolve, failed: reject });
    });
    this.#send(id, [header, ...parts]);
    return await started;
  }

  /** Queues a request: the requests of one turn of the event loop go to the launcher in one write. */
  #send(id: number, parts: Uint8Array[]): void {
    this.#outbox.push(...parts);
    this.#outboxIds.push(id);
    if (this.#outboxIds.length > 1) return;
    queueMicrotask(() => {
      const chunks = this.#outbox.splice(0);
      const ids = this.#outboxIds.splice(0);
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const chunk of chunks) (bytes.set(chunk, at), at += chunk.length);
      this.#writer.write(bytes).catch((error) => {
        for (const id of ids) {
          this.#jobs.get(id)?.failed(new Error(`The job launcher has stopped (${error})`));
          this.#jobs.delete(id);
        }
      });
    });
  }

  #begin(id: number, pid: number, pidStart: string | undefined): void {
    const job = this.#jobs.get(id);
    if (!job) return;
    const status = new Promise<{ code: number }>((resolve) => (job.ended = resolve));
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    const output = {
      splitters: [new LineSplitter(), new LineSplitter()] as [LineSplitter, LineSplitter],
      early: [] as string[][],
      tail: Promise.resolve(),
      closed,
    };
    job.output = output;
    const pump = (sink: Sink): Promise<void> => {
      (output as { sink?: Sink }).sink = sink;
      for (const lines of output.early.splice(0)) output.tail = output.tail.then(() => sink(lines)).catch(() => {});
      // Already finished: the end waits for the lines just queued.
      if (job.output !== output) output.tail.then(closed);
      return done;
    };
    job.started({ pid, status, pump, ...(pidStart ? { pidStart } : {}) });
  }

  async #read(): Promise<void> {
    let buffer: Uint8Array = new Uint8Array(0);
    const decoder = new TextDecoder();
    for await (const chunk of this.#child.stdout) {
      buffer = buffer.length === 0 ? chunk : concat(buffer, chunk);
      let offset = 0;
      while (true) {
        const newline = buffer.indexOf(10, offset);
        if (newline < 0) break;
        const line = decoder.decode(buffer.subarray(offset, newline));
        const [tag, idText, a, b] = line.split(" ");
        const id = Number(idText);
        if (tag === "r") this.#ready(true);
        if (tag === "o") {
          const end = newline + 1 + Number(b);
          if (end > buffer.length) break;
          const job = this.#jobs.get(id);
          const splitter = job?.output?.splitters[a === "1" ? 0 : 1];
          if (splitter) deliver(job!, splitter.push(buffer.subarray(newline + 1, end)));
          offset = end;
          continue;
        }
        offset = newline + 1;
        const job = this.#jobs.get(id);
        if (!job) continue;
        if (tag === "p") this.#begin(id, Number(a), b);
        else if (tag === "f") {
          job.failed(new Error(line.slice(line.indexOf(" ", 2) + 1)));
          this.#jobs.delete(id);
        } else if (tag === "x") {
          job.ended?.({ code: Number(a) });
          job.ended = undefined;
          if (!job.output) this.#jobs.delete(id);
        } else if (tag === "c") {
          finish(job);
          if (!job.ended) this.#jobs.delete(id);
        }
      }
      buffer = offset === buffer.length ? new Uint8Array(0) : buffer.slice(offset);
    }
  }

  /** The launcher is gone: what it ran can no longer be followed; each job ends with a line saying so. */
  #lost(): void {
    this.#closed = true;
    this.#ready(false);
    const note = `[ezbatch local] The job launcher (pid ${this.pid}) stopped: the job's end was not seen`;
    for (const job of this.#jobs.values()) {
      job.failed(new Error("The job launcher has stopped"));
      if (job.ended) deliver(job, [note]);
      finish(job);
      job.ended?.({ code: 1 });
    }
    this.#jobs.clear();
  }

  /** Stops the launcher (jobs still running lose their output pipes) and waits for it to exit. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writer.close().catch(() => {});
    await this.#reading;
    await this.#child.status;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
