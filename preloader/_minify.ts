/**
 * Shrinks the preloader's shell source for embedding: drops comment lines, blank lines and indentation.
 * The source must not contain multi-line quoted strings whose lines start with `#` (it does not).
 * @module
 */

/**
 * Returns the script without comment-only lines, blank lines and leading whitespace (the shebang goes too). The
 * script's own names keep their `ezb_` prefix, so that they cannot clash with the job's variables.
 */
export function minifyShell(source: string): string {
  return source
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .join("\n") + "\n";
}
