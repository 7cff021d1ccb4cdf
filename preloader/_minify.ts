/**
 * Shrinks the preloader's shell source for embedding: drops comment lines, blank lines and indentation.
 * The source must not contain multi-line quoted strings whose lines start with `#` (it does not).
 * @module
 */

/** Returns the script without comment-only lines, blank lines and leading whitespace (the shebang goes too). */
export function minifyShell(source: string): string {
  return source
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .join("\n") + "\n";
}
