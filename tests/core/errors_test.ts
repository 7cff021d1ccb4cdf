import assert from "node:assert/strict";
import { AwsCallError, formatIssue, WorkflowError } from "../../core/errors.ts";

Deno.test("formatIssue() names the file, line, job and field before the message", () => {
  const text = formatIssue({ file: "wf.toml", line: 7, job: "train", field: "vcpus", message: "Too many" });
  assert.equal(text, "wf.toml:7: job 'train', field 'vcpus': Too many");
});

Deno.test("formatIssue() leaves out what is unknown", () => {
  assert.equal(formatIssue({ message: "Bad" }), "Bad");
  assert.equal(formatIssue({ file: "a.toml", message: "Bad" }), "a.toml: Bad");
});

Deno.test("WorkflowError joins every issue, one per line", () => {
  const err = new WorkflowError([{ job: "a", message: "One" }, { job: "b", message: "Two" }]);
  assert.equal(err.message, "job 'a': One\njob 'b': Two");
  assert.equal(err.issues.length, 2);
  assert.equal(err.name, "WorkflowError");
});

Deno.test("AwsCallError names service, operation and request id", () => {
  const err = new AwsCallError({ service: "Batch", operation: "SubmitJob", requestId: "r-1" }, "Throttled");
  assert.equal(err.message, "Batch SubmitJob failed: Throttled (request id r-1)");
});
