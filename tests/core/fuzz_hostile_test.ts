import assert from "node:assert/strict";
import { parseWorkflow, WorkflowError } from "../../mod.ts";
import { fc } from "../support/deps.ts";

/**
 * Hostile documents at the scale of issue 12: long strings, many jobs, deep nesting and inputs around the 4 MiB
 * limit. Each must load or fail with a WorkflowError, and within the time budget.
 */
const BUDGET_MS = 5000;

const piece = fc.constantFrom("a", "b", "-", "_", ".", "é", "\u0000", "\n", " ", '"', "'", "[", "{");
const longText = fc.tuple(piece, fc.integer({ min: 1_000, max: 200_000 })).map(([c, n]) => c.repeat(n));
const toml = (s: string) => JSON.stringify(s); // a TOML basic string (JSON escapes are valid TOML escapes)

const longStrings = fc.tuple(longText, fc.constantFrom("name", "key", "value", "dependency", "tag")).map(
  ([s, where]) => {
    const job = where === "name" ? toml(s) : "a";
    const extra = where === "key"
      ? `${toml(s)} = 1\n`
      : where === "value"
      ? `command = ${toml(s)}\nenvironment = { V = ${toml(s)} }\n`
      : where === "tag"
      ? `tags = { ${toml(s)} = ${toml(s)} }\n`
      : "";
    const deps = where === "dependency" || where === "name" ? `[dependencies]\n${job} = [${toml(s + "x")}]\n` : "";
    return { text: `name = "w"\n[jobs.${job}]\nimage = "alpine"\n${extra}${deps}`, format: "toml" as const };
  },
);

const manyJobs = fc.tuple(fc.integer({ min: 1_000, max: 12_000 }), fc.integer({ min: 0, max: 3 }), fc.nat()).map(
  ([n, kind, seed]) => {
    const jobs: string[] = [];
    const deps: string[] = [];
    for (let i = 0; i < n; i++) {
      jobs.push(`[jobs.j${i}]\nimage = "alpine"\n${kind === 3 ? `vcpu = ${i}\n` : ""}`);
      // 0: unknown dependencies; 1: overlapping cycles through j0; 2: a chain; 3: misspelled keys
      const dep = kind === 0 ? `"missing${(i * 7919 + seed) % n}"` : kind === 1 ? '"j0"' : `"j${(i + 1) % n}"`;
      if (kind !== 3 && i > 0) deps.push(`j${i} = [${dep}${kind === 1 && i + 1 < n ? `, "j${i + 1}"` : ""}]\n`);
    }
    return { text: `name = "many"\n${jobs.join("")}[dependencies]\n${deps.join("")}`, format: "toml" as const };
  },
);

const deepNesting = fc.tuple(fc.integer({ min: 30, max: 300_000 }), fc.integer({ min: 0, max: 5 })).map(
  ([depth, kind]) => {
    const base = 'name = "deep"\n[jobs.a]\nimage = "alpine"\n';
    switch (kind) {
      case 0:
        return { text: `${base}[${Array(depth).fill("x").join(".")}]\n`, format: "toml" as const };
      case 1:
        return { text: `${base}${Array(depth).fill("x").join(".")} = 1\n`, format: "toml" as const };
      case 2:
        return { text: `${base}environment = ${"{x=".repeat(depth)}1${"}".repeat(depth)}\n`, format: "toml" as const };
      case 3:
        return { text: `${base}command = ${"[".repeat(depth)}${"]".repeat(depth)}\n`, format: "toml" as const };
      case 4:
        return {
          text: `{"name": "deep", "jobs": {"a": {"image": "x", "tags": ${"[".repeat(depth)}${"]".repeat(depth)}}}}`,
          format: "json" as const,
        };
      default:
        return {
          text: `{"name": "deep", "jobs": ${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
          format: "json" as const,
        };
    }
  },
);

const largeInputs = fc.tuple(fc.integer({ min: 3_900_000, max: 4_400_000 }), fc.boolean()).map(([size, comment]) => {
  const head = 'name = "big"\n[jobs.a]\nimage = "alpine"\n';
  const body = comment ? `# ${"x".repeat(size)}\n` : `command = "${"x".repeat(size)}"\n`;
  return { text: head + body, format: "toml" as const };
});

Deno.test("property: no hostile input (long strings, many jobs, deep nesting, 4 MiB) makes the loader throw anything but a WorkflowError, within the time budget", () => {
  let slowest = 0;
  fc.assert(
    fc.property(fc.oneof(longStrings, manyJobs, deepNesting, largeInputs), ({ text, format }) => {
      const start = performance.now();
      try {
        parseWorkflow(text, { file: `fuzz.${format}`, format });
      } catch (error) {
        assert.ok(error instanceof WorkflowError, `threw ${error instanceof Error ? error.stack : String(error)}`);
        assert.ok(error.issues.length > 0 && error.issues.every((i) => /^[A-Z]/.test(i.message)), error.message);
        assert.ok(error.issues.every((i) => i.message.length < 1000), "every message is short");
      }
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < BUDGET_MS, `took ${ms.toFixed(0)} ms on ${text.length} characters: ${text.slice(0, 80)}`);
    }),
    { numRuns: 40, endOnFailure: true },
  );
  assert.ok(slowest < BUDGET_MS);
});
