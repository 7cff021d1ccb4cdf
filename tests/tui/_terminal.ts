/**
 * A scripted terminal for prompt tests: an input stream the test types into and an output stream whose text
 * (ANSI codes removed) the test waits on. `expect` only looks at output after the previous match, so a screen
 * redrawn with the same words does not satisfy a later wait by accident.
 */
import { PassThrough } from "node:stream";

/** Keys as a terminal sends them. */
export const KEY = {
  up: "\x1b[A",
  down: "\x1b[B",
  enter: "\r",
  space: " ",
  ctrlC: "\x03",
  backspace: "\x7f",
} as const;

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** The fake terminal. */
export class ScriptedTerminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  #text = "";
  #cursor = 0;

  constructor() {
    this.output.on("data", (chunk) => (this.#text += String(chunk).replace(ANSI, "")));
  }

  /** Everything printed so far (without ANSI codes). */
  get text(): string {
    return this.#text;
  }

  /** Waits until `what` appears after the previous match; fails after `timeoutMs` showing the recent output. */
  async expect(what: string | RegExp, timeoutMs = 3000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const rest = this.#text.slice(this.#cursor);
      const match = typeof what === "string"
        ? (rest.includes(what) ? { index: rest.indexOf(what), length: what.length, text: what } : undefined)
        : (() => {
          const m = what.exec(rest);
          return m ? { index: m.index, length: m[0].length, text: m[0] } : undefined;
        })();
      if (match) {
        this.#cursor += match.index + match.length;
        return match.text;
      }
      if (Date.now() - start > timeoutMs) {
        throw new Error(`Timed out waiting for ${what}; output since the last match:\n${rest.slice(-2500)}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Types keys, one write per key, with a short pause so each is its own keypress. */
  async type(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.input.write(key);
      await new Promise((r) => setTimeout(r, 8));
    }
  }

  /** Moves down `n` times and presses enter (picks the n-th entry of a list, 0-based). */
  async pick(n: number): Promise<void> {
    await this.type(...Array(n).fill(KEY.down), KEY.enter);
  }
}
