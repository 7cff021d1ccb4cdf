/**
 * Maps key paths of a parsed TOML or JSON document back to the line where each key (or array element) was
 * written, so that validation issues can name the line. The scanners only run over text the real parser already
 * accepted; they never throw and, on anything unexpected, simply know fewer lines.
 * @module
 */

/** One step of a key path: an object key or an array index. */
export type PathSegment = string | number;
/** A key path into a document, e.g. `["jobs", "train", "mounts", "read", 0, "source"]`. */
export type KeyPath = readonly PathSegment[];

/** Line numbers by key path. */
export class SourceMap {
  #lines = new Map<string, number>();

  /** Records `line` for `path` unless a line is known already (the first definition wins). */
  set(path: KeyPath, line: number): void {
    const key = JSON.stringify(path);
    if (!this.#lines.has(key)) this.#lines.set(key, line);
  }

  /** The line of `path`, or of its nearest ancestor that has one; undefined when none is known. */
  lineOf(path: KeyPath): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const line = this.#lines.get(JSON.stringify(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

/** Shared cursor over the text, with line lookup by offset. */
export class Cursor {
  pos = 0;
  readonly text: string;
  #starts: number[] = [0];

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.#starts.push(i + 1);
  }

  /** 1-based line of `offset` (default: the current position). */
  line(offset: number = this.pos): number {
    let lo = 0, hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  get eof(): boolean {
    return this.pos >= this.text.length;
  }

  peek(n = 0): string {
    return this.text[this.pos + n] ?? "";
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Skips spaces and tabs; with `newlines` also line breaks and `comment` comments. */
  skipSpace(newlines: boolean, comment = "#"): void {
    while (!this.eof) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.pos++;
      else if (newlines && comment && c === comment) this.skipLine();
      else break;
    }
  }

  /** Moves to the start of the next line (or the end). */
  skipLine(): void {
    const nl = this.text.indexOf("\n", this.pos);
    this.pos = nl < 0 ? this.text.length : nl + 1;
  }

  /** Skips a quoted string starting at the cursor, returning its raw text (quotes included). */
  skipQuoted(quote: string, escapes: boolean): string {
    const start = this.pos;
    this.pos += quote.length;
    while (!this.eof && !this.startsWith(quote)) this.pos += escapes && this.peek() === "\\" ? 2 : 1;
    this.pos = Math.min(this.pos + quote.length, this.text.length);
    // A multi-line string may end with up to two extra quote characters.
    if (quote.length === 3) { while (this.peek() === quote[0]) this.pos++; }
    return this.text.slice(start, this.pos);
  }
}

/** Decodes a quoted key token (basic or literal string); leaves anything it cannot decode as it is. */
export function decodeKey(raw: string): string {
  if (raw.startsWith("'")) return raw.slice(1, -1);
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_, hex) => {
        return String.fromCodePoint(parseInt(hex, 16)).split("").map((u) =>
          `\\u${u.charCodeAt(0).toString(16).padStart(4, "0")}`
        ).join("");
      }));
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw;
}
