/**
 * The context every command runs in: the global options, the output writers (stdout for data, stderr for progress
 * and warnings), colour and TTY flags, the clock, and the lazily created backend and settings. Tests build one with
 * an injected backend and string sinks; `main.ts` builds one over the real process.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { Settings } from "../core/config_keys.ts";
import { type Colors, createColors } from "./_colors.ts";

/** Where text goes: a terminal, a pipe, or a string buffer in tests. */
export interface TextSink {
  /** Writes text as it is (no newline added). */
  write(text: string): void;
  /** True when the sink is an interactive terminal. */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/** The global options of the program, as parsed. */
export interface GlobalOptions {
  /** AWS region. */
  region?: string;
  /** AWS profile. */
  profile?: string;
  /** Show stacks and causes of errors. */
  verbose?: boolean;
  /** Print JSON instead of tables. */
  json?: boolean;
  /** False with `--no-color`. */
  color?: boolean;
  /** Use the local backend. */
  local?: boolean;
  /** The local backend's vCPU budget (over the `localVcpus` setting). */
  localVcpus?: number;
  /** The local backend's memory budget in MiB (over the `localMemory` setting). */
  localMemory?: number;
}

/** The settings the CLI uses as defaults: the config file and environment (every key may be absent in tests). */
export type CliSettings = Partial<Settings>;

/** What `runCli` takes besides the arguments; every field is optional and defaults to the real process. */
export interface CliEnvironment {
  /** The backend to use (tests inject a fake); otherwise created from the settings on first use. */
  backend?: Backend;
  /** Environment variables (default: the process environment). */
  env?: Record<string, string | undefined>;
  /** Data output (default: the process stdout). */
  stdout?: TextSink;
  /** Progress, warnings and errors (default: the process stderr). */
  stderr?: TextSink;
  /** Standard input, for `-` file arguments (default: the process stdin). */
  stdin?: ReadableStream<Uint8Array>;
  /** Whether `stdin` is a terminal a question may be asked on (default: given stdin and the process's is one). */
  stdinIsTerminal?: boolean;
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
  /** Waits between polls (default: a timer that honours the signal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborts long operations (Ctrl-C). */
  signal?: AbortSignal;
  /** Creates the real backend; `main.ts` leaves it unset so the default factory is used. */
  createBackend?: (ctx: CliContext) => Promise<Backend>;
  /** Settings to use instead of loading the config file (tests). */
  settings?: CliSettings;
  /** Loads the settings on first use; `main.ts` leaves it unset so the default loader is used. */
  loadSettings?: (ctx: CliContext) => Promise<CliSettings>;
  /** Poll interval of waits and follows in ms (default 5000; tests pass 0). */
  pollIntervalMs?: number;
  /**
   * The argv that runs this CLI again (`main.ts` sets it: the compiled binary, or `deno run -A <main module>`), so
   * the local backend starts its daemon through the hidden `__local-supervisor` command: a bundled or compiled
   * ezbatch has no `supervisor_main.ts` file to run. Unset (in-process callers): the daemon runs that file.
   */
  selfCommand?: string[];
}

export type { Colors };

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The context of one CLI invocation. */
export class CliContext {
  /** Data output. */
  readonly stdout: TextSink;
  /** Progress, warnings and errors. */
  readonly stderr: TextSink;
  /** Environment variables. */
  readonly env: Record<string, string | undefined>;
  /** Standard input, when given. */
  readonly stdin: ReadableStream<Uint8Array> | undefined;
  /** See {@link CliEnvironment.stdinIsTerminal}. */
  readonly stdinIsTerminal: boolean;
  /** Clock. */
  readonly now: () => number;
  /** Aborts long operations. */
  readonly signal: AbortSignal;
  /** Poll interval in ms. */
  readonly pollIntervalMs: number;
  /** See {@link CliEnvironment.selfCommand}. */
  readonly selfCommand: string[] | undefined;
  /** Global options (set before each action runs). */
  globals: GlobalOptions = {};
  /** `--all-errors`: print every problem of an invalid workflow, not only the first 20 (set before each action). */
  allErrors = false;
  /** The command being run, e.g. `jobs list` (set before each action runs). */
  commandPath = "";
  /** The exit code of a command that ran to the end (e.g. the job's exit code for `jobs watch`). */
  exitCode = 0;
  #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #backend: Backend | undefined;
  #backendPromise: Promise<Backend> | undefined;
  #createBackend: ((ctx: CliContext) => Promise<Backend>) | undefined;
  #settings: Promise<CliSettings> | undefined;
  #loadSettings: ((ctx: CliContext) => Promise<CliSettings>) | undefined;

  /** Creates a context; fields left out of `environment` fall back to safe defaults (no output, no backend). */
  constructor(environment: CliEnvironment = {}) {
    const discard: TextSink = { write() {} };
    this.stdout = environment.stdout ?? discard;
    this.stderr = environment.stderr ?? discard;
    this.env = environment.env ?? {};
    this.stdin = environment.stdin;
    this.stdinIsTerminal = environment.stdinIsTerminal ?? (environment.stdin !== undefined && Deno.stdin.isTerminal());
    this.now = environment.now ?? Date.now;
    this.signal = environment.signal ?? new AbortController().signal;
    this.pollIntervalMs = environment.pollIntervalMs ?? 5000;
    this.selfCommand = environment.selfCommand;
    this.#sleep = environment.sleep ?? defaultSleep;
    this.#backend = environment.backend;
    this.#createBackend = environment.createBackend;
    if (environment.settings) this.#settings = Promise.resolve(environment.settings);
    this.#loadSettings = environment.loadSettings;
  }

  /** True when `--json` was given. */
  get json(): boolean {
    return this.globals.json === true;
  }

  /** True when `--verbose` was given. */
  get verbose(): boolean {
    return this.globals.verbose === true;
  }

  /** True unless `--no-color` or a non-empty NO_COLOR turned colour off. */
  get colorAllowed(): boolean {
    return this.globals.color !== false && !this.env.NO_COLOR;
  }

  /** Colours for stdout (only on a terminal). */
  get outColors(): Colors {
    return createColors(this.colorAllowed && this.stdout.isTTY === true);
  }

  /** Colours for stderr (only on a terminal). */
  get errColors(): Colors {
    return createColors(this.colorAllowed && this.stderr.isTTY === true);
  }

  /** True when the local backend is asked for by flag or environment (the settings may ask too). */
  get wantsLocal(): boolean {
    return this.globals.local === true || this.env.EZBATCH_BACKEND === "local";
  }

  /** Writes one line of data to stdout. */
  out(line: string): void {
    this.stdout.write(line.endsWith("\n") ? line : `${line}\n`);
  }

  /** Writes data as pretty JSON to stdout. */
  outJson(data: unknown): void {
    this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  }

  /** Prints `data` as JSON with `--json`, else the text `render` makes. */
  print(data: unknown, render: () => string): void {
    if (this.json) this.outJson(data);
    else this.out(render());
  }

  /** Writes a warning to stderr (always: warnings are not decoration). */
  warn(message: string): void {
    this.stderr.write(`${this.errColors.yellow("warning:")} ${message}\n`);
  }

  /** Writes a note to stderr, only when stderr is a terminal (progress and confirmations are decoration). */
  note(message: string): void {
    if (this.stderr.isTTY) this.stderr.write(`${message}\n`);
  }

  /** The clock as core's pollers take it (`now` and an abortable `sleep`). */
  get clock(): { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> } {
    return { now: () => this.now(), sleep: (ms, signal) => this.#sleep(ms, signal ?? this.signal) };
  }

  /** Waits `ms` (or the poll interval), honouring the abort signal. */
  sleep(ms: number = this.pollIntervalMs): Promise<void> {
    return this.#sleep(ms, this.signal);
  }

  /** The settings (loaded once; empty when there is no loader). */
  settings(): Promise<CliSettings> {
    this.#settings ??= this.#loadSettings ? this.#loadSettings(this) : Promise.resolve({});
    return this.#settings;
  }

  /** The backend: the injected one, or the one the settings and global options select (created once). */
  backend(): Promise<Backend> {
    if (this.#backend) return Promise.resolve(this.#backend);
    if (!this.#createBackend) {
      return Promise.reject(new Error("No backend factory was given to this CLI context"));
    }
    this.#backendPromise ??= this.#createBackend(this).then((b) => (this.#backend = b));
    return this.#backendPromise;
  }
}
