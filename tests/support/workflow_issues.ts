/**
 * Test helper: the issues of a workflow document that must fail to load, as `line: field: message` strings.
 * @module
 */
import assert from "node:assert/strict";
import { parseWorkflow, WorkflowError } from "../../mod.ts";

/** Parses `text`, expects a WorkflowError, and returns its issues as `line: field: message`. */
export function issuesOf(text: string, options: { file?: string; format?: "toml" | "json" } = {}): string[] {
  try {
    parseWorkflow(text, options);
  } catch (error) {
    assert.ok(error instanceof WorkflowError, `expected a WorkflowError, got ${error}`);
    return error.issues.map((i) => `${i.line ?? "-"}: ${i.field ?? "-"}: ${i.message}`);
  }
  assert.fail("parseWorkflow() accepted the document");
}

/** A workflow named `w` with one job `a` whose body is `job`, plus `extra` TOML after it. */
export function oneJob(job: string, extra = ""): string {
  return `name = "w"\n\n[jobs.a]\nimage = "alpine"\n${job}\n${extra}`;
}
