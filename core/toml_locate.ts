/**
 * A small structural scanner over TOML text that records the line of every key, table header and array element
 * (see {@link SourceMap}). It follows TOML 1.0 closely enough for locating; values themselves are not decoded.
 * @module
 */
import { Cursor, decodeKey, type KeyPath, type PathSegment, SourceMap } from "./source_map.ts";

const BARE = /[A-Za-z0-9_-]/;

/**
 * Builds the line map of a TOML document that `smol-toml` parsed successfully. Never throws.
 *
 * @param text The TOML text.
 * @returns The line of each key path.
 */
export function locateToml(text: string): SourceMap {
  const map = new SourceMap();
  try {
    new TomlScanner(text, map).run();
  } catch {
    // Locating is best effort: keep what was found so far.
  }
  return map;
}

class TomlScanner {
  #c: Cursor;
  #map: SourceMap;
  #arrays = new Map<string, number>();

  constructor(text: string, map: SourceMap) {
    this.#c = new Cursor(text);
    this.#map = map;
  }

  run(): void {
    const c = this.#c;
    let table: KeyPath = [];
    while (true) {
      c.skipSpace(true);
      if (c.eof) return;
      const start = c.pos;
      const line = c.line();
      if (c.startsWith("[[")) {
        c.pos += 2;
        const keys = this.#keys();
        const parent = this.#resolve(keys.slice(0, -1));
        const array = [...parent, keys[keys.length - 1]!];
        const id = JSON.stringify(array);
        const index = this.#arrays.get(id) ?? 0;
        this.#arrays.set(id, index + 1);
        table = [...array, index];
        this.#record(table, line);
        c.skipLine();
      } else if (c.peek() === "[") {
        c.pos += 1;
        table = this.#resolve(this.#keys());
        this.#record(table, line);
        c.skipLine();
      } else {
        const keys = this.#keys();
        c.skipSpace(false);
        if (c.peek() === "=") c.pos++;
        const path = [...table, ...keys];
        this.#record(path, line, table.length + 1);
        this.#value(path);
      }
      if (c.pos === start) c.skipLine();
    }
  }

  /** Records a path and its prefixes from length `from` on (those a dotted key or header defines implicitly). */
  #record(path: KeyPath, line: number, from = 1): void {
    for (let n = from; n < path.length; n++) this.#map.set(path.slice(0, n), line);
    this.#map.set(path, line);
  }

  /** Appends the current index after every prefix that names an array of tables. */
  #resolve(keys: PathSegment[]): PathSegment[] {
    const out: PathSegment[] = [];
    for (const key of keys) {
      out.push(key);
      const count = this.#arrays.get(JSON.stringify(out));
      if (count !== undefined) out.push(count - 1);
    }
    return out;
  }

  /** Reads a dotted key. */
  #keys(): string[] {
    const c = this.#c;
    const keys: string[] = [];
    while (!c.eof) {
      c.skipSpace(false);
      const ch = c.peek();
      if (ch === '"') keys.push(decodeKey(c.skipQuoted('"', true)));
      else if (ch === "'") keys.push(decodeKey(c.skipQuoted("'", false)));
      else {
        const start = c.pos;
        while (!c.eof && BARE.test(c.peek())) c.pos++;
        if (c.pos === start) break;
        keys.push(c.text.slice(start, c.pos));
      }
      c.skipSpace(false);
      if (c.peek() !== ".") break;
      c.pos++;
    }
    return keys;
  }

  #value(path: KeyPath): void {
    const c = this.#c;
    c.skipSpace(false);
    if (c.startsWith('"""')) c.skipQuoted('"""', true);
    else if (c.startsWith("'''")) c.skipQuoted("'''", false);
    else if (c.peek() === '"') c.skipQuoted('"', true);
    else if (c.peek() === "'") c.skipQuoted("'", false);
    else if (c.peek() === "[") {
      c.pos++;
      for (let index = 0;; index++) {
        c.skipSpace(true);
        if (c.eof || c.peek() === "]") break;
        const before = c.pos;
        this.#map.set([...path, index], c.line());
        this.#value([...path, index]);
        c.skipSpace(true);
        if (c.peek() === ",") c.pos++;
        else if (c.pos === before) break;
      }
      c.pos++;
    } else if (c.peek() === "{") {
      c.pos++;
      while (true) {
        c.skipSpace(true);
        if (c.eof || c.peek() === "}") break;
        const before = c.pos;
        const line = c.line();
        const keys = this.#keys();
        c.skipSpace(false);
        if (c.peek() === "=") c.pos++;
        this.#record([...path, ...keys], line, path.length + 1);
        this.#value([...path, ...keys]);
        c.skipSpace(true);
        if (c.peek() === ",") c.pos++;
        else if (c.pos === before) break;
      }
      c.pos++;
    } else {
      while (!c.eof && !",]}#\n".includes(c.peek())) c.pos++;
    }
  }
}
