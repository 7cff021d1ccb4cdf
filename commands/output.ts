/**
 * Formatting of command output: borderless tables (like `kubectl get`), times, durations, and key/value blocks.
 * Pure functions: the context decides where the text goes.
 * @module
 */
import type { Colors } from "./context.ts";
import { Table } from "./deps.ts";

const NO_BORDERS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/** A table cell: missing values print as `-`. */
export type Cell = string | number | boolean | undefined | null;

function cellText(value: Cell): string {
  if (value === undefined || value === null || value === "") return "-";
  return String(value).replace(/\s*\n\s*/g, " ");
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
  const table = new Table({
    head: headers.map((h) => bold(h)),
    chars: NO_BORDERS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  for (const row of rows) table.push(row.map(cellText));
  return table.toString().split("\n").map((line) => line.trimEnd()).join("\n");
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

/** Formats a duration in ms as `1h 2m`, `3m 4s` or `5s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  const s = Math.round(ms / 1000);
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
