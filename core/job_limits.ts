/**
 * The limits of AWS Batch (and of the containers it starts) that a job's values must respect, beyond their shape:
 * resource ranges, the timeout, tags, the size of the environment, and the characters that may appear in the
 * strings handed to a container. Pure: validation never calls anything.
 * @module
 */

/** Shortest attempt timeout AWS Batch accepts (`attemptDurationSeconds`), in seconds. */
export const MIN_TIMEOUT_SECONDS = 60;
/**
 * Longest attempt timeout ezbatch accepts: 365 days. AWS Batch takes any 32-bit integer; an attempt that may run
 * for more than a year is a mistake (e.g. a misplaced unit), and larger numbers overflow what AWS accepts.
 */
export const MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;
/** Most vCPUs of an EC2 job (the largest EC2 instances have 896; AWS documents no lower bound than 1). */
export const MAX_EC2_VCPUS = 1024;
/** Most memory of an EC2 job in MiB: 32 TiB, the largest EC2 instance. */
export const MAX_EC2_MEMORY_MIB = 32 * 1024 * 1024;
/** Most GPUs of one job (the most GPUs on any EC2 instance type is 16). */
export const MAX_GPUS = 16;
/** Longest tag key and value AWS accepts. */
export const MAX_TAG_KEY_LENGTH = 128;
/** Longest tag value AWS accepts. */
export const MAX_TAG_VALUE_LENGTH = 256;
/** Characters AWS allows in tag keys and values: letters, digits, spaces and `_ . : / = + - @`. */
export const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/**
 * Most bytes of a job's environment (names and values, UTF-8): the SubmitJob request that carries it is at most
 * 30 KiB in all.
 */
export const MAX_ENVIRONMENT_BYTES = 30 * 1024;

/** C0 control characters and DEL; `\t` and `\n` are checked separately where a script may hold them. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// deno-lint-ignore no-control-regex
const CONTROL_EXCEPT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The name of a control character for messages, e.g. `NUL (U+0000)`. */
function controlName(char: string): string {
  const code = char.charCodeAt(0);
  const names: Record<number, string> = { 0: "NUL", 9: "tab", 10: "newline", 13: "carriage return", 27: "ESC" };
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  return code === 0x7f ? "DEL (U+007F)" : `${names[code] ?? "a control character"} (U+${hex})`;
}

/**
 * Why `text` may not be handed over as it is, or undefined: `what` names it (e.g. "The image"). With
 * `allowTabNewline`, tabs and newlines are allowed (scripts and multi-line values hold them).
 */
export function controlProblem(what: string, text: string, allowTabNewline = false): string | undefined {
  const match = (allowTabNewline ? CONTROL_EXCEPT_TAB_NEWLINE : CONTROL).exec(text);
  if (!match) return undefined;
  const allowed = allowTabNewline ? " (tabs and newlines are fine)" : "";
  return `${what} contains ${controlName(match[0])} at character ${match.index + 1}: ` +
    `control characters are not allowed${allowed}`;
}

/** UTF-8 length of a string. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) (bytes += 4), i++;
    else bytes += 3;
  }
  return bytes;
}
