/**
 * The interactive mode's prompts: @inquirer/prompts bound to injected streams, with Ctrl-C turned into a
 * `Cancelled` error the menus catch (back to the menu, never a stack trace), and helpers to print results and the
 * equivalent CLI command.
 * @module
 */
import process from "node:process";
import { type Readable, Writable } from "node:stream";
import { checkbox, confirm, input, number, select, Separator } from "../deps.ts";

/** Thrown when the user pressed Ctrl-C or Ctrl-D at a prompt (or Esc while busy): `key` says which. */
export class Cancelled extends Error {
  /** The key that cancelled: "ctrl-c" and "ctrl-d" go back (at the main menu, quit). */
  readonly key: "ctrl-c" | "ctrl-d" | "esc";
  /** Creates the error. */
  constructor(key: "ctrl-c" | "ctrl-d" | "esc" = "ctrl-c") {
    super("Cancelled");
    this.name = "Cancelled";
    this.key = key;
  }
}

/** Ctrl-D in a chunk of terminal input. */
function isCtrlD(chunk: unknown): boolean {
  return String(chunk).includes("\x04");
}

/** One choice of a list. */
export interface Choice<T> {
  /** What the user sees. */
  name: string;
  /** What the prompt returns. */
  value: T;
  /** Shown under the list when the choice is highlighted. */
  description?: string;
  /** Greyed out with this reason. */
  disabled?: boolean | string;
}

/** A validator: undefined when fine, else the message to show. */
export type Check = (value: string) => string | undefined;

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError");
}

/** Shell-quotes one argument when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * A stream that forwards writes to `out` but is never ended with it: each prompt ends its output when it closes,
 * which would close an injected stream after the first question. Size and TTY flags are read through.
 */
function shield(out: Writable): Writable {
  const forward = new Writable({
    write(chunk, encoding, callback) {
      out.write(chunk, encoding, callback);
    },
  });
  for (const key of ["isTTY", "columns", "rows"]) {
    Object.defineProperty(forward, key, { get: () => (out as unknown as Record<string, unknown>)[key] });
  }
  return forward;
}

/** Prompts bound to a pair of streams. */
export class Prompter {
  #input: Readable | undefined;
  #output: Writable | undefined;
  #globals: string[];
  #signal: AbortSignal | undefined;

  /**
   * Binds prompts to `input` and `output` (default: the process's stdin and stdout); `globals` are the global
   * options the printed CLI commands need to do the same (e.g. `--local`).
   */
  constructor(io: { input?: Readable; output?: Writable; globals?: string[] } = {}) {
    this.#input = io.input;
    this.#output = io.output;
    this.#globals = io.globals ?? [];
  }

  /** A fresh context per prompt (its output is ended when the prompt closes). */
  get #context(): { input?: Readable; output?: Writable; signal?: AbortSignal } {
    const context: { input?: Readable; output?: Writable; signal?: AbortSignal } = {};
    if (this.#input) context.input = this.#input;
    if (this.#output) context.output = this.#output === process.stdout ? this.#output : shield(this.#output);
    if (this.#signal) context.signal = this.#signal;
    return context;
  }

  async #ask<T>(run: () => Promise<T>): Promise<T> {
    // Ctrl-D ends the prompt through its signal: it used to make inquirer's readline close, which froze the menu
    // (arrows then echoed as ^[[B). Esc is not handled: aborting on it left readline's escape decoder deaf.
    // Esc and Ctrl-D end the prompt through its signal: inquirer ignores Esc, and Ctrl-D made its readline close,
    // which froze the menu (arrows then echoed as ^[[B).
    const input = this.#input ?? process.stdin;
    const abort = new AbortController();
    const onData = (chunk: unknown) => {
      if (isCtrlD(chunk)) abort.abort(new Cancelled("ctrl-d"));
    };
    input.on("data", onData);
    this.#signal = abort.signal;
    try {
      return await run();
    } catch (error) {
      if (abort.signal.aborted) throw abort.signal.reason;
      if (isPromptExit(error)) throw new Cancelled();
      throw error;
    } finally {
      input.off("data", onData);
      this.#signal = undefined;
      // A prompt writes its last newline as it closes, just after its answer resolves: let that land first.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Picks one of `choices`. */
  select<T>(message: string, choices: (Choice<T> | "separator")[], options: { default?: T } = {}): Promise<T> {
    const list = choices.map((c) => (c === "separator" ? new Separator() : c));
    return this.#ask(() =>
      select<T>(
        { message, choices: list, pageSize: 12, ...(options.default !== undefined ? options : {}) },
        this.#context,
      )
    );
  }

  /** Picks any number of `choices`. */
  checkbox<T>(
    message: string,
    choices: (Choice<T> & { checked?: boolean })[],
    options: { required?: boolean } = {},
  ): Promise<T[]> {
    return this.#ask(() => checkbox<T>({ message, choices, required: options.required ?? false }, this.#context));
  }

  /** Reads a line of text, checked by `validate` as it is typed and on enter. */
  text(message: string, options: { default?: string; validate?: Check; required?: boolean } = {}): Promise<string> {
    const { validate, required = true } = options;
    return this.#ask(async () =>
      (await input({
        message,
        ...(options.default !== undefined ? { default: options.default } : {}),
        validate: (value: string) => {
          const v = value.trim();
          if (!v) return required ? "A value is required" : true;
          return validate?.(v) ?? true;
        },
      }, this.#context)).trim()
    );
  }

  /** Reads a number within bounds. */
  number(message: string, options: { default?: number; min?: number; max?: number; step?: number | "any" } = {}) {
    return this.#ask(async () => {
      const value = await number({ message, required: true, ...options }, this.#context);
      return value as number;
    });
  }

  /** Asks yes or no (default no). */
  confirm(message: string, options: { default?: boolean } = {}): Promise<boolean> {
    return this.#ask(() => confirm({ message, default: options.default ?? false }, this.#context));
  }

  /**
   * Runs `work` while the keyboard belongs to it: keys typed meanwhile are read and dropped (not echoed, not left
   * for the next prompt to replay as answers), and Ctrl-C (or Ctrl-D, Esc) aborts `work`'s signal. True when one
   * of them ended it.
   */
  async whileBusy(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    const input = (this.#input ?? process.stdin) as Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
    const abort = new AbortController();
    const onData = (chunk: unknown) => {
      const text = String(chunk);
      if (text.includes("\x03") || isCtrlD(text) || text === "\x1b") abort.abort(new Cancelled());
    };
    // Raw mode: no echo, and Ctrl-C arrives as a key (not SIGINT) so it stops the work instead of the program.
    if (input.isTTY) input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
    try {
      await work(abort.signal);
      return false;
    } catch (error) {
      if (abort.signal.aborted) return true;
      throw error;
    } finally {
      input.off("data", onData);
      input.pause();
      if (input.isTTY) input.setRawMode?.(false);
    }
  }

  /** Prints lines. */
  say(...lines: string[]): void {
    const text = lines.join("\n") + "\n";
    if (this.#output) this.#output.write(text);
    else console.log(text.slice(0, -1));
  }

  /** Prints the CLI command that does what was just done. */
  command(args: string[]): void {
    this.say(`  CLI: ezbatch ${[...this.#globals, ...args].map(shellQuote).join(" ")}`);
  }
}
