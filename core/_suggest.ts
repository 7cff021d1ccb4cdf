/**
 * "Did you mean" suggestions by edit distance, and the quoting of values and names in messages. The work is
 * bounded whatever the input: words longer than {@link MAX_SUGGEST_LENGTH} get no suggestion, only candidates of a
 * near length are compared, each comparison stops as soon as it cannot be close enough (a band of width 2k+1), and a
 * {@link Suggester} shares one budget of compared characters across every suggestion of a document.
 * @module
 */
import type { KeyPath } from "./source_map.ts";

/** Longest word for which a suggestion is looked for (longer ones are not typos of a short name). */
export const MAX_SUGGEST_LENGTH = 64;
/** Longest name or value quoted whole in a message; longer ones are cut and end with "…". */
export const MAX_QUOTED_LENGTH = 60;
/** Default budget of a {@link Suggester}: character comparisons over all its suggestions. */
export const SUGGEST_BUDGET = 2_000_000;

/**
 * Edit distance between two strings, case-insensitive, counting a swap of neighbours as one edit (optimal string
 * alignment). With `limit`, stops early and returns `limit + 1` once the distance is known to exceed it, and only
 * computes a band of width `2 * limit + 1`: O(length x limit) instead of O(length^2).
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const k = Math.min(limit, Math.max(a.length, b.length));
  const over = k + 1;
  let before = new Array<number>(b.length + 1).fill(over); // row i - 2
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= k ? j : over)); // row i - 1
  let current = new Array<number>(b.length + 1).fill(over);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - k);
    const to = Math.min(b.length, i + k);
    current[0] = i <= k ? i : over;
    current[from - 1] = from - 1 === 0 ? current[0] : over; // left of the band
    if (to < b.length) current[to + 1] = over; // right of the band (read by the next row)
    let rowBest = current[0];
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = Math.min(best, over);
      if (current[j]! < rowBest) rowBest = current[j]!;
    }
    if (rowBest > k) return limit + 1; // every path through this row is already too far
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, limit + 1);
}

/** How many edits a word of this length may be from a candidate to count as a likely typo. */
function typoLimit(length: number): number {
  return Math.min(length - 1, length <= 4 ? 1 : length <= 8 ? 2 : 3);
}

/**
 * Suggestions among a fixed set of candidates with a shared budget: once `budget` character comparisons have been
 * spent, no further suggestion is looked for (messages simply lose their "did you mean").
 */
export class Suggester {
  #byLength = new Map<number, string[]>();
  #left: number;

  /** Indexes `candidates` by length; `budget` bounds the total work of every later {@link closest} call. */
  constructor(candidates: Iterable<string>, budget = SUGGEST_BUDGET) {
    this.#left = budget;
    for (const candidate of candidates) {
      if (candidate.length > MAX_SUGGEST_LENGTH + 3) continue;
      const list = this.#byLength.get(candidate.length);
      if (list) list.push(candidate);
      else this.#byLength.set(candidate.length, [candidate]);
    }
  }

  /** The closest candidate, if one is near enough to be a likely typo (1 edit for short words, up to 3 for long). */
  closest(word: string): string | undefined {
    if (word.length === 0 || word.length > MAX_SUGGEST_LENGTH || this.#left <= 0) return undefined;
    const limit = typoLimit(word.length);
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (let d = 0; d <= limit && bestDistance > 0; d++) {
      for (const length of d === 0 ? [word.length] : [word.length - d, word.length + d]) {
        for (const candidate of this.#byLength.get(length) ?? []) {
          if (this.#left <= 0) return best;
          this.#left -= (word.length + 1) * (2 * limit + 1);
          const distance = editDistance(word, candidate, bestDistance - 1);
          if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
          }
        }
      }
    }
    return best;
  }

  /** ` (did you mean 'x'?)` or an empty string. */
  didYouMean(word: string): string {
    const hit = this.closest(word);
    return hit === undefined ? "" : ` (did you mean ${quote(hit)}?)`;
  }
}

/** The closest candidate, if one is near enough to be a likely typo (1 edit for short words, up to 3 for long). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return new Suggester(candidates).closest(word);
}

/** ` (did you mean 'x'?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  return new Suggester(candidates).didYouMean(word);
}

/** `text` cut to `max` characters (ending with "…") when longer; never splits a surrogate pair. */
export function shorten(text: string, max = MAX_QUOTED_LENGTH): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A name or value in single quotes, shortened to {@link MAX_QUOTED_LENGTH} characters, with control characters
 * shown as escapes (`\n`, `\u0000`) so that a message never carries them to the terminal, e.g. `'train'`.
 */
export function quote(text: string): string {
  const escaped = shorten(text).replace(
    CONTROL,
    (c) => c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `'${escaped}'`;
}

/** Up to `max` names, shortened and comma-separated, then "and N more". */
export function listNames(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).map((name) => shorten(name)).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Quotes a value for a message: strings in single quotes (shortened), others by kind. */
export function describe(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : `an array of ${value.length}`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) return `a ${proto?.constructor?.name || "non-plain"} object`;
  return "a table";
}

/** Formats a key path as a dotted field, e.g. `jobs.train.mounts.read[0].source`; long keys are shortened. */
export function formatPath(path: KeyPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const short = shorten(seg, 130); // valid names (up to 128 characters) stay whole
      const key = /^[A-Za-z0-9_-]+$/.test(short) ? short : JSON.stringify(short);
      out += out ? `.${key}` : key;
    }
  }
  return out;
}
