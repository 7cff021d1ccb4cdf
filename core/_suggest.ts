/**
 * "Did you mean" suggestions by edit distance, and the quoting of values in messages.
 * @module
 */
import type { KeyPath } from "./source_map.ts";

/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance of 1 + a third of the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, 1 + Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? "" : ` (did you mean '${hit}'?)`;
}

/** Quotes a value for a message: strings in single quotes (shortened), others by kind. */
export function describe(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 60 ? value.slice(0, 57) + "..." : value}'`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${value.length}`;
  return "a table";
}

/** Formats a key path as a dotted field, e.g. `jobs.train.mounts.read[0].source`. */
export function formatPath(path: KeyPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = /^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg);
      out += out ? `.${key}` : key;
    }
  }
  return out;
}
