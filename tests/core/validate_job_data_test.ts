import assert from "node:assert/strict";
import { parseWorkflow } from "../../mod.ts";
import { issuesOf, oneJob } from "../support/workflow_issues.ts";

const read = (source: string, destination: string, more = "") =>
  `[[jobs.a.mounts.read]]\nsource = "${source}"\ndestination = "${destination}"\n${more}`;
const write = (source: string, destination: string, more = "") =>
  `[[jobs.a.mounts.write]]\nsource = "${source}"\ndestination = "${destination}"\n${more}`;

Deno.test("validation checks read and write mounts: S3 URIs, bucket names and absolute paths", () => {
  assert.deepEqual(issuesOf(oneJob("", read("/data", "data") + write("out", "https://x/y"))), [
    "7: jobs.a.mounts.read[0].source: Expected an S3 URI like 's3://bucket/key', got '/data'",
    "8: jobs.a.mounts.read[0].destination: Expected an absolute path in the container like '/data', got 'data'",
    "10: jobs.a.mounts.write[0].source: Expected an absolute path in the container like '/data', got 'out'",
    "11: jobs.a.mounts.write[0].destination: Expected an S3 URI like 's3://bucket/key', got 'https://x/y'",
  ]);
  const bucketRule = "use 3–63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  assert.deepEqual(issuesOf(oneJob("", read("s3://My_Bucket/k", "/d") + read("s3://a..b/k", "/e"))), [
    `7: jobs.a.mounts.read[0].source: Bucket 'My_Bucket' is not a valid S3 bucket name: ${bucketRule}`,
    "10: jobs.a.mounts.read[1].source: Bucket 'a..b' is not a valid S3 bucket name: it must not contain '..'",
  ]);
  assert.deepEqual(issuesOf(oneJob("", read("s3://192.168.1.1/k", "/d"))), [
    "7: jobs.a.mounts.read[0].source: Bucket '192.168.1.1' is not a valid S3 bucket name: it must not look like an " +
    "IP address",
  ]);
  assert.deepEqual(issuesOf(oneJob("", write("/o", "s3://bucket/k", 'sse = "none"'))), [
    "9: jobs.a.mounts.write[0].sse: Expected one of 'AES256', 'aws:kms', 'aws:kms:dsse', got 'none'",
  ]);
  assert.deepEqual(issuesOf(oneJob("", write("/o", "s3://bucket/k", 'sse = "AES256"\nsse_kms_key_id = "k"'))), [
    "10: jobs.a.mounts.write[0].sse_kms_key_id: A KMS key needs sse = 'aws:kms' or 'aws:kms:dsse'",
  ]);
  const ok = parseWorkflow(oneJob("", read("s3://my.bucket-1", "/d", "recursive = true")));
  assert.deepEqual(ok.jobs.a!.mounts.read, [{ source: "s3://my.bucket-1", destination: "/d", recursive: true }]);
});

Deno.test("validation requires the preloader for mounts and defaults it from them", () => {
  assert.deepEqual(issuesOf(oneJob("preloader = false", read("s3://bucket/k", "/d"))), [
    "5: jobs.a.preloader: The job has mounts but preloader = false: the preloader stages mounts, so remove them or " +
    "set preloader = true",
  ]);
  assert.equal(parseWorkflow(oneJob("", read("s3://bucket/k", "/d"))).jobs.a!.preloader, true);
  assert.equal(parseWorkflow(oneJob("preloader = true")).jobs.a!.preloader, true);
  assert.equal(parseWorkflow(oneJob("")).jobs.a!.preloader, false);
});

Deno.test("validation checks matrix sizes and variable names", () => {
  assert.deepEqual(issuesOf(oneJob("matrix = { A = [1] }")), [
    "5: jobs.a.matrix: The matrix has 1 combination: an array job has 2 to 10,000 children",
  ]);
  const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(", ")}]`;
  assert.deepEqual(issuesOf(oneJob(`matrix = { A = ${hundred}, B = ${hundred}, C = [1, 2] }`)), [
    "5: jobs.a.matrix: The matrix has more than 10,000 combinations: an array job has 2 to 10,000 children",
  ]);
  assert.equal(
    Object.keys(parseWorkflow(oneJob(`matrix = { A = ${hundred}, B = ${hundred} }`)).jobs.a!.matrix!).length,
    2,
  );
  assert.deepEqual(issuesOf(oneJob('matrix = { "1X" = [1, 2], B = [] }')), [
    "5: jobs.a.matrix.B: Expected at least one value, got an empty array",
  ]);
  assert.deepEqual(issuesOf(oneJob('matrix = { "1X" = [1, 2] }\nenvironment = { "my-var" = "1", AWS_BATCH_X = 2 }')), [
    "5: jobs.a.matrix.1X: Invalid variable name '1X': use letters, digits and '_', not starting with a digit",
    "6: jobs.a.environment.my-var: Invalid variable name 'my-var': use letters, digits and '_', not starting with a " +
    "digit",
    "6: jobs.a.environment.AWS_BATCH_X: Variable 'AWS_BATCH_X' is reserved: names starting with 'AWS_BATCH' belong " +
    "to AWS Batch",
  ]);
  assert.deepEqual(
    issuesOf(oneJob('environment = { A = "1" }\nsecrets = { A = "arn", B = "" }\nmatrix = { A = [1, 2] }')),
    [
      "6: jobs.a.secrets.A: Variable 'A' is set in both environment and secrets",
      "6: jobs.a.secrets.B: Expected a secret ARN or SSM parameter name, got ''",
      "7: jobs.a.matrix.A: Variable 'A' is set in both environment and matrix",
    ],
  );
});

Deno.test("validation checks tags, images and commands", () => {
  const many = Array.from({ length: 51 }, (_, i) => `t${i} = "v"`).join(", ");
  assert.deepEqual(issuesOf(oneJob(`tags = { ${many} }`)), ["5: jobs.a.tags: Expected at most 50 tags, got 51"]);
  assert.deepEqual(issuesOf(oneJob(`tags = { "aws:x" = "1", long = "${"v".repeat(257)}" }`)), [
    "5: jobs.a.tags.\"aws:x\": Tag key 'aws:x' is reserved: 'aws:' is AWS's",
    "5: jobs.a.tags.long: Tag values have at most 256 characters, got 257",
  ]);
  assert.deepEqual(issuesOf(`name = "w"\n[jobs.a]\nimage = "my image"\ncommand = []\n`), [
    "3: jobs.a.image: Expected an image like 'public.ecr.aws/docker/library/alpine:3.20', got 'my image'",
    "4: jobs.a.command: The command is empty: give a command, or remove the key to run the image's default command",
  ]);
});
