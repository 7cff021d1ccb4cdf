import assert from "node:assert/strict";
import { defineWorkflow, parseWorkflow, workflowToToml } from "../../mod.ts";
import { issuesOf, oneJob } from "../support/workflow_issues.ts";

Deno.test("a timeout must be 60 s to 365 days: huge durations are rejected, not planned as 3.6e+23 s", () => {
  assert.deepEqual(issuesOf(oneJob('timeout = "99999999999999999999h"')), [
    "5: jobs.a.timeout: Expected a timeout of at most 31536000 seconds (365 days), got 3.6e+23 seconds",
  ]);
  assert.deepEqual(issuesOf(oneJob(`timeout = "${"9".repeat(400)}s"`)), [
    "5: jobs.a.timeout: Expected a timeout of at most 31536000 seconds (365 days), got a duration too long to count",
  ]);
  assert.deepEqual(issuesOf(oneJob("timeout = 31536001")), [
    "5: jobs.a.timeout: Expected a timeout of at most 31536000 seconds (365 days), got 31536001",
  ]);
  assert.deepEqual(issuesOf(oneJob('timeout = "59s"')), [
    "5: jobs.a.timeout: Expected a timeout of at least 60 seconds, got 59 seconds",
  ]);
  assert.equal(parseWorkflow(oneJob('timeout = "8760h"')).jobs.a!.timeout, 31_536_000);
  assert.equal(parseWorkflow(oneJob("timeout = 31536000")).jobs.a!.timeout, 31_536_000);
});

Deno.test("the longest timeout saves to TOML that loads again (what workflow convert writes)", () => {
  const wf = parseWorkflow(oneJob('timeout = "8760h"'));
  const again = parseWorkflow(workflowToToml(wf));
  assert.deepEqual(again, wf);
});

Deno.test("EC2 sizes are whole numbers within what EC2 instances have", () => {
  assert.deepEqual(issuesOf(oneJob('platform = "EC2"\nvcpus = 1e300')), [
    "6: jobs.a.vcpus: Job 'a' asks for 1e+300 vCPU on EC2: use a whole number from 1 to 1024",
  ]);
  assert.deepEqual(issuesOf(oneJob('platform = "EC2"\nvcpus = 1.5\nmemory = 99999999999')), [
    "6: jobs.a.vcpus: Job 'a' asks for 1.5 vCPU on EC2: use a whole number from 1 to 1024",
    "7: jobs.a.memory: Job 'a' asks for 99999999999 MiB on EC2: use 4 to 33554432 MiB (32 TiB)",
  ]);
  assert.deepEqual(issuesOf(oneJob('platform = "EC2"\ngpus = 9007199254740991')), [
    "6: jobs.a.gpus: Expected at most 16 GPUs (no EC2 instance has more), got 9007199254740991",
  ]);
  const ok = parseWorkflow(oneJob('platform = "EC2"\nvcpus = 1024\nmemory = 33554432\ngpus = 16'));
  assert.deepEqual([ok.jobs.a!.vcpus, ok.jobs.a!.memory, ok.jobs.a!.gpus], [1024, 33_554_432, 16]);
});

Deno.test("control characters are rejected in image, command, environment, matrix, secrets and KMS keys", () => {
  assert.deepEqual(
    issuesOf(oneJob('command = "echo \\u0000"').replace('image = "alpine"', 'image = "alp\\u0007ine"')),
    [
      "4: jobs.a.image: The image contains a control character (U+0007) at character 4: control characters are not " +
      "allowed",
      "5: jobs.a.command: The command contains NUL (U+0000) at character 6: control characters are not allowed (tabs " +
      "and newlines are fine)",
    ],
  );
  assert.deepEqual(issuesOf(oneJob('command = ["sh", "-c", "echo \\u001b[31m"]')), [
    "5: jobs.a.command[2]: Argument 3 of the command contains ESC (U+001B) at character 6: control characters are " +
    "not allowed (tabs and newlines are fine)",
  ]);
  assert.deepEqual(
    issuesOf(oneJob('environment = { A = "x\\u0001", B = "\\r" }\nmatrix = { M = ["1", "2\\u007f"] }')),
    [
      "5: jobs.a.environment.A: The value of 'A' contains a control character (U+0001) at character 2: control " +
      "characters are not allowed (tabs and newlines are fine)",
      "5: jobs.a.environment.B: The value of 'B' contains carriage return (U+000D) at character 1: control characters " +
      "are not allowed (tabs and newlines are fine)",
      "6: jobs.a.matrix.M[1]: The value of 'M' contains DEL (U+007F) at character 2: control characters are not " +
      "allowed (tabs and newlines are fine)",
    ],
  );
  assert.deepEqual(issuesOf(oneJob('secrets = { S = "arn:aws:ssm:x\\n" }')), [
    "5: jobs.a.secrets.S: The value of 'S' contains newline (U+000A) at character 14: control characters are not " +
    "allowed",
  ]);
  const kms = '[[jobs.a.mounts.read]]\nsource = "s3://bucket/k"\ndestination = "/d"\nsse = "aws:kms"\n' +
    'sse_kms_key_id = "key\\u0000"';
  assert.deepEqual(issuesOf(oneJob("", kms)), [
    "10: jobs.a.mounts.read[0].sse_kms_key_id: The KMS key contains NUL (U+0000) at character 4: control " +
    "characters are not allowed",
  ]);
});

Deno.test("tabs and newlines stay legitimate in shell scripts and environment values", () => {
  const wf = parseWorkflow(oneJob('command = "set -e\\n\\techo hi\\n"\nenvironment = { PEM = "a\\nb\\tc" }'));
  assert.equal(wf.jobs.a!.command, "set -e\n\techo hi\n");
  assert.equal(wf.jobs.a!.environment.PEM, "a\nb\tc");
  assert.deepEqual(
    parseWorkflow(oneJob('command = ["python", "-c", "import sys\\nprint(1)"]')).jobs.a!.command,
    ["python", "-c", "import sys\nprint(1)"],
  );
});

Deno.test("tags follow AWS's rules: key 1-128 and value 0-256 characters of letters, digits, spaces and _.:/=+-@", () => {
  assert.deepEqual(issuesOf(oneJob(`tags = { "k\\u0000" = "v", ok = "a,b", "${"k".repeat(129)}" = "" }`)), [
    "5: jobs.a.tags.\"k\\u0000\": Tag key 'k\\u0000' has a character AWS does not allow: use letters, digits, " +
    "spaces and _ . : / = + - @",
    "5: jobs.a.tags.ok: The value of tag 'ok' has a character AWS does not allow: use letters, digits, spaces and " +
    "_ . : / = + - @",
    `5: jobs.a.tags.${"k".repeat(129)}: Tag keys have 1 to 128 characters, got 129: '${"k".repeat(59)}…'`,
  ]);
  assert.deepEqual(issuesOf(oneJob(`tags = { long = "${"v".repeat(257)}" }`)), [
    "5: jobs.a.tags.long: Tag values have at most 256 characters, got 257",
  ]);
  const ok = parseWorkflow(oneJob(`tags = { "team:é/x=1+2@3 _-." = "Genomics Lab", "${"k".repeat(128)}" = "" }`));
  assert.equal(ok.jobs.a!.tags["team:é/x=1+2@3 _-."], "Genomics Lab");
});

Deno.test("a job's environment must fit in a SubmitJob request (30 KiB)", () => {
  const big = "x".repeat(16 * 1024);
  assert.deepEqual(issuesOf(oneJob(`environment = { A = "${big}", B = "${big}" }`)), [
    "5: jobs.a.environment: The environment, secrets and matrix variables take 32770 bytes: a SubmitJob request " +
    "holds at most 30720 (30 KiB) in all, so pass large data through S3 mounts instead",
  ]);
  assert.equal(parseWorkflow(oneJob(`environment = { A = "${big}" }`)).jobs.a!.environment.A, big);
});

Deno.test("defineWorkflow() applies the same limits to workflows built in code", () => {
  assert.throws(
    () => defineWorkflow({ name: "w", jobs: { a: { image: "alpine", command: "echo \u0000" } } }),
    /field 'jobs.a.command': The command contains NUL/,
  );
  assert.throws(
    () => defineWorkflow({ name: "w", jobs: { a: { image: "alpine", platform: "EC2", vcpus: 1e300 } } }),
    /use a whole number from 1 to 1024/,
  );
});
