/**
 * Parsers for option values. Each throws commander's InvalidArgumentError with a message that says what would be
 * valid, so a bad flag becomes one clear line and exit code 2.
 * @module
 */
import { InvalidArgumentError, Option } from "./deps.ts";

/** Parses `key=value` (the value may contain `=`) into the map built so far. */
export function parseKeyValue(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = text.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`Expected key=value, e.g. team=genomics.`);
  const key = text.slice(0, at).trim();
  if (!key) throw new InvalidArgumentError(`Expected key=value with a non-empty key.`);
  return { ...previous, [key]: text.slice(at + 1) };
}

/** Parses a comma-separated list, adding to the list built so far (the flag may repeat). */
export function parseList(text: string, previous: string[] = []): string[] {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError(`Expected one or more comma-separated values.`);
  return [...previous, ...items];
}

/** Returns a parser of whole numbers between `min` and `max`. */
export function intBetween(min: number, max: number): (text: string) => number {
  return (text: string) => {
    const n = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

/** Parses a positive number (fractions allowed, e.g. 0.25 vCPU). */
export function positiveNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`Expected a positive number, e.g. 0.5 or 4.`);
  }
  return n;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses a duration (`90`, `90s`, `15m`, `2h`, `1d`, `1h30m`) into whole seconds. */
export function parseDurationSeconds(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== t) {
    throw new InvalidArgumentError(`Expected a duration such as 90, 90s, 15m, 2h or 1h30m.`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/** Returns a parser that accepts one of `choices` (case-insensitive) and returns it in its canonical case. */
export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text: string) => {
    const found = choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
    if (!found) throw new InvalidArgumentError(`Expected one of ${choices.join(", ")}.`);
    return found;
  };
}

/**
 * Parses a point in time: an ISO date or date-time (`2026-01-31`, `2026-01-31T12:00:00Z`) or an age such as `2h`
 * or `3d` meaning that long before `now`. Returns epoch ms.
 */
export function parseTimePoint(text: string, now: number): number {
  const t = text.trim();
  if (/^(\d+[smhd])+$/.test(t)) return now - parseDurationSeconds(t) * 1000;
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InvalidArgumentError(
    `Expected a date (2026-01-31), a date-time (2026-01-31T12:00:00Z) or an age (2h, 3d).`,
  );
}

/** Marks an option or argument whose values are the job queue names (looked up when completing). */
export const QUEUE_NAMES: readonly string[] = Object.freeze(["<queues>"]);

const completionValues = new WeakMap<object, readonly string[]>();

/** Records the values shell completion offers for an option or argument; returns it unchanged. */
export function completing<T extends object>(target: T, values: readonly string[]): T {
  completionValues.set(target, values);
  return target;
}

/** The completion values recorded for an option or argument. */
export function completionsOf(target: object): readonly string[] | undefined {
  return completionValues.get(target);
}

/** An option taking one of `choices` (any case), offered by shell completion. */
export function choiceOption<const F extends string, T extends string>(
  flags: F,
  description: string,
  choices: readonly T[],
) {
  return completing(new Option(flags, description).argParser(oneOf(choices)), choices);
}
