/**
 * "Did you mean" suggestions by edit distance, and the quoting of values in messages.
 * @module
 */
import type { KeyPath } from "./source_map.ts";

/** Edit distance between two strings, case-insensitive, counting a swap of neighbours as one edit. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, if one is near enough to be a likely typo (1 edit for short words, up to 3 for long). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(word.length - 1, word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
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
