/**
 * Turns zod issues into ezbatch issues with our wording ("Expected a number, got 'four'", "Unknown key 'vcpu'
 * (did you mean 'vcpus'?)"). Private to core.
 * @module
 */
import type { z } from "./deps_zod.ts";
import { describe, quote, shorten, Suggester } from "./_suggest.ts";
import type { KeyPath, PathSegment } from "./source_map.ts";

/** An issue located by key path only (file and line are added by the loader). */
export interface PathIssue {
  /** Where in the document. */
  path: KeyPath;
  /** What is wrong and what would be valid. */
  message: string;
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "an array",
  object: "a table",
  record: "a table",
};

/** Converts one zod issue into one or more path issues. */
export function fromZodIssue(issue: z.core.$ZodIssue): PathIssue[] {
  const path = issue.path.filter((p): p is PathSegment => typeof p !== "symbol");
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const known: string[] = issue.message.startsWith("keys:") ? JSON.parse(issue.message.slice(5)) : [];
      const suggester = new Suggester(known);
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `Unknown key ${quote(key)}` +
          (suggester.didYouMean(key) || (known.length ? `: expected ${list(known)}` : "")),
      }));
    }
    case "invalid_type": {
      if (input === undefined) {
        return [{ path, message: `Missing required key ${quote(String(path[path.length - 1] ?? ""))}` }];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [{ path, message: `Expected ${expected}, got ${describe(input)}` }];
    }
    case "invalid_union": {
      // When exactly one alternative had the right type but failed a finer check, report that check.
      const near = issue.errors.filter((branch) =>
        !branch.every((b) => b.code === "invalid_type" && b.path.length === 0 && b.input === input)
      );
      if (near.length === 1) {
        return near[0]!.flatMap((b) => fromZodIssue({ ...b, path: [...issue.path, ...b.path] } as z.core.$ZodIssue));
      }
      return [{ path, message: `Expected ${issue.message}, got ${describe(input)}` }];
    }
    case "invalid_value":
      return [{
        path,
        message: `Expected ${issue.values.length === 1 ? "" : "one of "}${list(issue.values)}, got ${describe(input)}`,
      }];
    default:
      return [{ path, message: input === undefined ? issue.message : `${issue.message}, got ${describe(input)}` }];
  }
}

function list(values: readonly unknown[]): string {
  return values.map((v) => typeof v === "string" ? quote(v) : shorten(String(v))).join(", ");
}
