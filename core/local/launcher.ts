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
import { findProgram, resolveProgram } from "./spawn.ts";

/** A started job process, as the runner uses it (the shape it takes from `Deno.ChildProcess`). */
export interface JobProcess {
  /** Leader of the job's process group and session. */
  pid: number;
  /** Resolves when the process ended: its exit code, or 128 + the signal that killed it. */
  status: Promise<{ code: number }>;
  /** Its stdout; closes once every process holding the pipe has closed it. */
  stdout: ReadableStream<Uint8Array>;
  /** Its stderr. */
  stderr: ReadableStream<Uint8Array>;
}

interface Pending {
  started: (process: JobProcess) => void;
  failed: (error: Error) => void;
  out?: ReadableStreamDefaultController<Uint8Array>;
  err?: ReadableStreamDefaultController<Uint8Array>;
  ended?: (status: { code: number }) => void;
}

const encoder = new TextEncoder();

/** One launcher process and the jobs it started. */
export class Launcher {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #jobs = new Map<number, Pending>();
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
   * session and process group; `log` is a log file to create first, starting with `head` (LogWriter.handOff). Throws as Deno's spawn does when `argv[0]` cannot be found, or when the launcher
   * cannot create `cwd` or fork.
   */
  async spawn(
    argv: string[],
    options: { cwd: string; env: Record<string, string>; mkdir?: boolean; log?: { path: string; head: Uint8Array } },
  ): Promise<JobProcess> {
    if (this.#closed) throw new Error("The job launcher has stopped");
    resolveProgram(argv[0]!, options.cwd, options.env.PATH);
    const id = this.#next++;
    const env = Object.entries(options.env).map(([k, v]) => `${k}=${v}`);
    const parts: Uint8Array[] = [options.cwd, options.log?.path ?? "", ...env, ...argv].map((s) => encoder.encode(s));
    parts.splice(2, 0, options.log?.head ?? new Uint8Array());
    const header = encoder.encode(
      `s ${id} ${options.mkdir ? 1 : 0} ${env.length} ${parts.map((p) => p.length).join(" ")}\n`,
    );
    const request = new Uint8Array(header.length + parts.reduce((n, p) => n + p.length, 0));
    request.set(header);
    let at = header.length;
    for (const part of parts) (request.set(part, at), at += part.length);
    const started = new Promise<JobProcess>((resolve, reject) => {
      this.#jobs.set(id, { started: resolve, failed: reject });
    });
    await this.#writer.write(request).catch((error) => {
      this.#jobs.get(id)?.failed(new Error(`The job launcher has stopped (${error})`));
      this.#jobs.delete(id);
    });
    return await started;
  }

  #begin(id: number, pid: number): void {
    const job = this.#jobs.get(id);
    if (!job) return;
    const stream = (set: (c: ReadableStreamDefaultController<Uint8Array>) => void) =>
      new ReadableStream<Uint8Array>({ start: set });
    const stdout = stream((c) => (job.out = c));
    const stderr = stream((c) => (job.err = c));
    const status = new Promise<{ code: number }>((resolve) => (job.ended = resolve));
    job.started({ pid, status, stdout, stderr });
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
          (a === "1" ? job?.out : job?.err)?.enqueue(buffer.slice(newline + 1, end));
          offset = end;
          continue;
        }
        offset = newline + 1;
        const job = this.#jobs.get(id);
        if (!job) continue;
        if (tag === "p") this.#begin(id, Number(a));
        else if (tag === "f") {
          job.failed(new Error(line.slice(line.indexOf(" ", 2) + 1)));
          this.#jobs.delete(id);
        } else if (tag === "x") {
          job.ended?.({ code: Number(a) });
          job.ended = undefined;
          if (!job.out) this.#jobs.delete(id);
        } else if (tag === "c") {
          close(job);
          job.out = job.err = undefined;
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
    const note = encoder.encode(
      `[ezbatch local] The job launcher (pid ${this.pid}) stopped: the job's end was not seen\n`,
    );
    for (const job of this.#jobs.values()) {
      job.failed(new Error("The job launcher has stopped"));
      if (job.ended) job.err?.enqueue(note);
      close(job);
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

function close(job: Pending): void {
  for (const controller of [job.out, job.err]) {
    try {
      controller?.close();
    } catch { /* closed already */ }
  }
}
