/**
 * A cheap linear pre-scan of TOML text, run before the real parser: it finds dotted keys and table headers with
 * more parts than a workflow can use (`[a.a.a. ... ]` 20,000 levels deep made smol-toml build 20,000 nested tables,
 * and a 4 MiB one two million, taking seconds and a gigabyte before validation rejected the depth). Strings and
 * comments are skipped; dots are counted between the characters that end a key (`= [ ] { } ,` and newlines), so a
 * float's one dot never counts. Private to core.
 * @module
 */

/** Where the first key with more than `maxParts` parts starts (1-based line), or undefined. */
export function tooDeepKeyLine(text: string, maxParts: number): number | undefined {
  let line = 1;
  let dots = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      dots = 0;
      i++;
    } else if (c === "#") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      i += triple ? 3 : 1;
      while (i < n) {
        const d = text[i]!;
        if (d === "\\" && c === '"') i += 2;
        else if (d === c && (!triple || text.startsWith(c.repeat(3), i))) {
          if (!triple) {
            i++;
            break;
          }
          let q = 0;
          while (text[i] === c && q < 5) i++, q++; // """a"""" ends with the last three quotes
          break;
        } else if (d === "\n") {
          if (!triple) break; // an unterminated one-line string: the parser will say so
          line++;
          i++;
        } else i++;
      }
    } else if (c === ".") {
      if (++dots >= maxParts) return line;
      i++;
    } else {
      if (c === "=" || c === "[" || c === "]" || c === "{" || c === "}" || c === ",") dots = 0;
      i++;
    }
  }
  return undefined;
}
