/**
 * A small structural scanner over JSON text that records the line of every key and array element
 * (see {@link SourceMap}).
 * @module
 */
import { Cursor, type KeyPath, SourceMap } from "./source_map.ts";

/**
 * Builds the line map of a JSON document that `JSON.parse` accepted. Never throws.
 *
 * @param text The JSON text.
 * @returns The line of each key path.
 */
export function locateJson(text: string): SourceMap {
  const map = new SourceMap();
  try {
    value(new Cursor(text), map, []);
  } catch {
    // Locating is best effort.
  }
  return map;
}

function value(c: Cursor, map: SourceMap, path: KeyPath): void {
  c.skipSpace(true, "");
  const ch = c.peek();
  if (ch === '"') c.skipQuoted('"', true);
  else if (ch === "[") {
    c.pos++;
    for (let index = 0;; index++) {
      c.skipSpace(true, "");
      if (c.eof || c.peek() === "]") break;
      const before = c.pos;
      map.set([...path, index], c.line());
      value(c, map, [...path, index]);
      c.skipSpace(true, "");
      if (c.peek() === ",") c.pos++;
      else if (c.pos === before) break;
    }
    c.pos++;
  } else if (ch === "{") {
    c.pos++;
    while (true) {
      c.skipSpace(true, "");
      if (c.eof || c.peek() !== '"') break;
      const line = c.line();
      const key = JSON.parse(c.skipQuoted('"', true)) as string;
      c.skipSpace(true, "");
      if (c.peek() === ":") c.pos++;
      map.set([...path, key], line);
      value(c, map, [...path, key]);
      c.skipSpace(true, "");
      if (c.peek() === ",") c.pos++;
    }
    c.pos++;
  } else {
    while (!c.eof && !",]}\n \t\r".includes(c.peek())) c.pos++;
  }
}
