/**
 * Formatting of command output: borderless tables (like `kubectl get`), times, durations, and key/value blocks.
 * Pure functions: the context decides where the text goes. No npm package: the tables were cli-table3's, whose five
 * CommonJS packages every command loaded (about 12 ms of CPU before the first output, measured); this renderer gives
 * the same text.
 * @module
 */
import type { Colors } from "./context.ts";

/** A table cell: missing values print as `-`. */
export type Cell = string | number | boolean | undefined | null;

function cellText(value: Cell): string {
  if (value === undefined || value === null || value === "") return "-";
  return String(value).replace(/\s*\n\s*/g, " ");
}

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[(?:\d*;){0,5}\d*m/g;
/** Built on first use: compiling `\p{RGI_Emoji}` takes about 5 ms, and most tables hold only ASCII. */
let emoji: RegExp | undefined;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Code points a terminal shows two columns wide (East Asian Wide and Fullwidth, as string-width 4 counts them). */
function isWide(code: number): boolean {
  return code >= 0x1100 && (
    code <= 0x115f || code === 0x2329 || code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || (code >= 0x3250 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0xa4c6) || (code >= 0xa960 && code <= 0xa97c) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe10 && code <= 0xfe19) || (code >= 0xfe30 && code <= 0xfe6b) ||
    (code >= 0xff01 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) || (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * The columns `text` takes in a terminal: colour codes take none, control and combining characters none, emoji and
 * wide characters two (the rules of string-width 4, which cli-table3 used before this renderer replaced it).
 */
export function displayWidth(text: string): number {
  const stripped = text.replace(ANSI, "");
  if (PRINTABLE_ASCII.test(stripped)) return stripped.length;
  const plain = stripped.replace(emoji ??= /\p{RGI_Emoji}/gv, "  ");
  let width = 0;
  for (const char of plain) {
    const code = char.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

/**
 * Renders rows under upper-case headers, columns separated by two spaces, no borders, no trailing spaces.
 * An empty table prints `emptyText` instead.
 */
export function renderTable(
  headers: string[],
  rows: Cell[][],
  options: { colors?: Colors; emptyText?: string } = {},
): string {
  if (rows.length === 0) return options.emptyText ?? "No results.";
  const bold = options.colors?.bold ?? ((s: string) => s);
  const lines = [headers.map((h) => bold(h)), ...rows.map((row) => row.map(cellText))];
  const columns = Math.max(...lines.map((line) => line.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...lines.map((l) => displayWidth(l[i] ?? ""))));
  return lines.map((line) =>
    widths.map((width, i) => {
      const text = line[i] ?? "";
      return text + " ".repeat(width - displayWidth(text));
    }).join("  ").trimEnd()
  ).join("\n");
}

/** Renders `key: value` lines with aligned values; undefined values are left out. */
export function renderFields(fields: [string, Cell][], options: { colors?: Colors } = {}): string {
  const present = fields.filter(([, v]) => v !== undefined && v !== null && v !== "");
  const width = Math.max(0, ...present.map(([k]) => k.length)) + 1;
  const dim = options.colors?.dim ?? ((s: string) => s);
  return present.map(([k, v]) => `${dim(`${k}:`.padEnd(width))} ${String(v)}`).join("\n");
}

/** Formats epoch ms as `2026-01-02 03:04:05Z` (UTC, to the second), or `-` (also for 0: AWS's "never"). */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return "-";
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** Formats a duration in ms as `1h 2m`, `3m 4s`, `5s` or `<1s` (a job that ran for 30 ms did not take "0s"). */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  const s = Math.round(ms / 1000);
  if (s === 0 && ms > 0) return "<1s";
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** Formats `{a: "1"}` as `a=1, b=2`, or `-` when empty. */
export function formatMap(map: Record<string, string> | undefined): string {
  const entries = Object.entries(map ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(", ") : "-";
}

/** Colours a job or resource status for a terminal. */
export function colorStatus(status: string | undefined, colors: Colors): string {
  if (!status) return "-";
  switch (status) {
    case "SUCCEEDED":
    case "VALID":
    case "ENABLED":
    case "ACTIVE":
      return colors.green(status);
    case "FAILED":
    case "INVALID":
      return colors.red(status);
    case "RUNNING":
    case "STARTING":
      return colors.cyan(status);
    case "RUNNABLE":
    case "CREATING":
    case "UPDATING":
    case "DELETING":
      return colors.yellow(status);
    default:
      return status;
  }
}

/** `1 job`, `2 jobs`: a count with its noun, plural when needed. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
