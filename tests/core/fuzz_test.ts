import assert from "node:assert/strict";
import { defineWorkflow, parseWorkflow, WorkflowError, workflowToToml } from "../../mod.ts";
import { fc } from "../support/deps.ts";
import { workflowInput } from "../support/arbitraries.ts";

/** Runs `f`; anything thrown must be a WorkflowError whose issues all have a message. */
function onlyWorkflowErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    assert.ok(error instanceof WorkflowError, `threw ${error instanceof Error ? error.stack : String(error)}`);
    assert.ok(error.issues.length > 0 && error.issues.every((i) => /^[A-Z]/.test(i.message)), error.message);
  }
}

Deno.test("property: parseWorkflow() throws only WorkflowErrors on random text", () => {
  // Any Unicode text, and text made of the pieces that give TOML and JSON their structure.
  const pieces = [..."[]{}=,.:#\"'\\\n \t1-_abjnoqsuv", "jobs", "name", "image", "[[", "'''", '"""', "s3://"];
  const text = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...pieces), maxLength: 120 }),
  );
  fc.assert(
    fc.property(text, fc.constantFrom("toml", "json", undefined), (text, format) => {
      onlyWorkflowErrors(() => parseWorkflow(text, format ? { format } : {}));
    }),
    { numRuns: 400 },
  );
});

Deno.test("property: parseWorkflow() throws only WorkflowErrors on random JSON documents", () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 4 }), (text) => onlyWorkflowErrors(() => parseWorkflow(text, { format: "json" }))),
    { numRuns: 300 },
  );
});

Deno.test("property: parseWorkflow() throws only WorkflowErrors on mutated valid TOML", () => {
  const edit = fc.tuple(fc.nat(), fc.nat(5), fc.string({ unit: "binary-ascii", maxLength: 6 }));
  fc.assert(
    fc.property(workflowInput, fc.array(edit, { minLength: 1, maxLength: 4 }), (input, edits) => {
      let text = workflowToToml(defineWorkflow(input));
      for (const [at, remove, insert] of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + remove);
      }
      onlyWorkflowErrors(() => parseWorkflow(text, { file: "fuzz.toml" }));
    }),
    { numRuns: 150 },
  );
});

Deno.test("property: defineWorkflow() throws only WorkflowErrors on random objects", () => {
  const anything = fc.anything({
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
  });
  fc.assert(
    fc.property(anything, (value) => onlyWorkflowErrors(() => defineWorkflow(value as never))),
    { numRuns: 300 },
  );
});

Deno.test("property: defineWorkflow() throws only WorkflowErrors when any part of a valid workflow is replaced", () => {
  const anything = fc.anything({ maxDepth: 2, withNullPrototype: true, withDate: true });
  fc.assert(
    fc.property(workflowInput, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), anything, (input, route, value) => {
      // Walk a random route into the object and replace what is there.
      let node: Record<string, unknown> = input as unknown as Record<string, unknown>;
      for (const step of route.slice(0, -1)) {
        const keys = Object.keys(node);
        const next = keys.length ? node[keys[step % keys.length]!] : undefined;
        if (typeof next !== "object" || next === null) break;
        node = next as Record<string, unknown>;
      }
      const keys = Object.keys(node);
      if (keys.length) node[keys[route.at(-1)! % keys.length]!] = value;
      onlyWorkflowErrors(() => defineWorkflow(input));
    }),
    { numRuns: 300 },
  );
});

Deno.test("keys such as __proto__ and constructor stay plain data", () => {
  const wf = parseWorkflow(
    `name = "p"\n[jobs.constructor]\nimage = "x"\ntags = { __proto__ = "a", toString = "b" }\n` +
      `[jobs.toString]\nimage = "y"\n[dependencies]\ntoString = ["constructor"]\n`,
  );
  assert.deepEqual(Object.keys(wf.jobs), ["constructor", "toString"]);
  assert.equal(Object.getPrototypeOf(wf.jobs["constructor"]!.tags), Object.prototype);
  assert.deepEqual(Object.keys(wf.jobs["constructor"]!.tags), ["__proto__", "toString"]);
  assert.deepEqual(wf.dependencies.toString, [{ job: "constructor" }]);
  assert.equal(parseWorkflow(workflowToToml(wf)).jobs["constructor"]!.tags["__proto__"], "a");
  assert.throws(() => parseWorkflow(`{"name": "p", "jobs": {"__proto__": {"image": "x"}}}`), WorkflowError);
  assert.throws(
    () => parseWorkflow(`name = "p"\n[jobs.a]\nimage = "x"\n[dependencies]\nhasOwnProperty = ["a"]\n`),
    WorkflowError,
  );
});
