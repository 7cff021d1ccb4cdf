/**
 * Shrinks the preloader's shell source for embedding: drops comment lines, blank lines and indentation, and
 * shortens the script's private name prefix.
 * The source must not contain multi-line quoted strings whose lines start with `#` (it does not).
 * @module
 */

/**
 * Returns the script without comment-only lines, blank lines and leading whitespace (the shebang goes too), and with
 * its private `ezb_` prefix of names shortened to `_`.
 */
export function minifyShell(source: string): string {
  return source
    .replace(/\bezb_/g, "_")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .join("\n") + "\n";
}
