import assert from "node:assert/strict";
import { callAws, errorCodeOf, isThrottlingError, toAwsError } from "../../../core/aws/errors.ts";
import { AwsCallError, NotFoundError } from "../../../core/errors.ts";

Deno.test("toAwsError() keeps service, operation, code, request id and the SDK error as cause", () => {
  const sdk = Object.assign(new Error("Access denied"), {
    name: "AccessDeniedException",
    $metadata: { requestId: "r-9", httpStatusCode: 403 },
  });
  const error = toAwsError("Batch", "ListJobs", sdk);
  assert.ok(error instanceof AwsCallError);
  assert.equal(error.message, "Batch ListJobs failed: AccessDeniedException: Access denied (request id r-9)");
  assert.equal(error.cause, sdk);
  assert.equal(error.code, "AccessDeniedException");
});

Deno.test("toAwsError() makes a NotFoundError only when asked to and AWS said 'not found'", () => {
  const missing = Object.assign(new Error("Job queue q does not exist"), { name: "ClientException", $metadata: {} });
  assert.ok(toAwsError("Batch", "UpdateJobQueue", missing) instanceof AwsCallError, "no notFound: stays AwsCallError");
  const nf = toAwsError("Batch", "UpdateJobQueue", missing, { notFound: "Job queue 'q'" });
  assert.ok(nf instanceof NotFoundError);
  assert.ok(nf.cause instanceof AwsCallError);
  const other = Object.assign(new Error("Priority must be 0-1000"), { name: "ClientException", $metadata: {} });
  assert.ok(!(toAwsError("Batch", "UpdateJobQueue", other, { notFound: "Job queue 'q'" }) instanceof NotFoundError));
});

Deno.test("toAwsError() tells SubmitJob's missing definition from its missing queue", () => {
  const options = { notFound: "Job definition 'd'", resource: "job-definition" as const, about: /JobDefinition/i };
  const answer = (message: string) => Object.assign(new Error(message), { name: "ClientException", $metadata: {} });
  for (
    const text of [
      "JobDefinition name d does not exist or is not in ACTIVE status",
      "JobDefinition arn:aws:batch:us-east-1:123456789012:job-definition/d not found.",
    ]
  ) {
    const error = toAwsError("Batch", "SubmitJob", answer(text), options);
    assert.ok(error instanceof NotFoundError, text);
    assert.equal(error.resource, "job-definition");
  }
  const queue = toAwsError("Batch", "SubmitJob", answer("JobQueue q not found."), options);
  assert.ok(queue instanceof AwsCallError, "a missing queue is not taken for a missing definition");
});

Deno.test("toAwsError() wraps errors that never reached AWS (credentials, network) without a request id", () => {
  const creds = Object.assign(new Error("Could not load credentials from any providers"), {
    name: "CredentialsProviderError",
  });
  const error = toAwsError("Batch", "SubmitJob", creds);
  assert.equal(
    error.message,
    "Batch SubmitJob failed: CredentialsProviderError: Could not load credentials from any providers",
  );
  assert.equal((error as AwsCallError).requestId, undefined);
  const plain = toAwsError("Batch", "SubmitJob", new TypeError("fetch failed"));
  assert.equal((plain as AwsCallError).code, "TypeError");
  assert.equal(errorCodeOf(new Error("x")), undefined);
  assert.equal(errorCodeOf("text"), undefined);
});

Deno.test("isThrottlingError() knows AWS's throttling codes and nothing else", () => {
  const make = (code?: string) =>
    new AwsCallError({ service: "Batch", operation: "X", ...(code ? { code } : {}) }, "m");
  for (const code of ["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]) {
    assert.ok(isThrottlingError(make(code)), code);
  }
  assert.equal(isThrottlingError(make("ClientException")), false);
  assert.equal(isThrottlingError(make()), false);
  assert.equal(isThrottlingError(new Error("ThrottlingException")), false);
});

Deno.test("callAws() rethrows the abort reason instead of wrapping it", async () => {
  const controller = new AbortController();
  const reason = new Error("cancelled by user");
  await assert.rejects(
    callAws("Batch", "ListJobs", () => {
      controller.abort(reason);
      return Promise.reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
    }, { signal: controller.signal }),
    (e: unknown) => e === reason,
  );
});
