/**
 * Workflows defined in code: the same validation as workflow files, for plain objects.
 * @module
 */
import { fromDocument } from "./_document.ts";
import type { EZBatchWorkflow } from "./model.ts";
import type { WorkflowInput } from "./schema.ts";

/**
 * Validates a workflow given as a plain object (the same rules as a TOML file) and fills in the defaults.
 * A validated {@link EZBatchWorkflow} is itself valid input, so the interactive mode can re-check what it built.
 *
 * @param input The workflow.
 * @returns The validated workflow.
 * @throws {WorkflowError} With every problem found, each with job and field.
 * @example
 * ```ts
 * import { defineWorkflow } from "./define.ts";
 * const wf = defineWorkflow({
 *   name: "sweep",
 *   jobs: { fit: { image: "python:3.12", command: ["python", "fit.py"], matrix: { LR: [0.1, 0.01] } } },
 * });
 * console.log(wf.jobs.fit?.matrix); // { LR: ["0.1", "0.01"] }
 * ```
 */
export function defineWorkflow(input: WorkflowInput | EZBatchWorkflow): EZBatchWorkflow {
  return fromDocument(input, { format: "object" });
}
