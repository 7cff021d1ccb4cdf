/**
 * The `ezbatch setup` transcript on an empty fake account (setup_transcript.ts): plan, create, idempotent second
 * run, destroy, nothing left; with and without --buckets.
 */
import assert from "node:assert/strict";
import { renderTranscript, setupTranscript } from "./setup_transcript.ts";

Deno.test("setup transcript: plan only without a terminal, --yes creates, a second run changes nothing, --destroy removes it all", async () => {
  const [plan, create, again, destroy, after] = await setupTranscript();
  assert.equal(plan!.code, 2);
  assert.deepEqual(plan!.changes, []);
  assert.match(plan!.output, /ezbatch-execution-role\s+create\s+AmazonECSTaskExecutionRolePolicy/);
  assert.match(plan!.output, /ezbatch-job-role\s+create\s+AmazonS3FullAccess — .*--buckets limits it/);
  assert.match(plan!.output, /Nothing created: pass --yes/);

  assert.equal(create!.code, 0, create!.output);
  assert.deepEqual(create!.changes, [
    "CreateRole",
    "AttachRolePolicy",
    "CreateRole",
    "AttachRolePolicy",
    "CreateSecurityGroup",
    "CreateComputeEnvironment",
    "CreateComputeEnvironment",
    "CreateJobQueue",
  ]);
  assert.match(create!.output, /Created job queue 'ezbatch-queue' over ezbatch-fargate-spot, ezbatch-fargate\./);

  assert.equal(again!.code, 0, again!.output);
  assert.deepEqual(again!.changes, []);
  assert.doesNotMatch(again!.output, /\bcreate\b/);
  assert.equal(again!.output.match(/exists \(kept\)/g)?.length, 7);

  assert.equal(destroy!.code, 0, destroy!.output);
  assert.match(destroy!.output, /Deleted 6 resource\(s\) that ezbatch setup had created\./);
  assert.equal(after!.code, 0);
  assert.match(after!.output, /^Nothing to delete/);
  assert.match(renderTranscript([plan!]), /^\$ ezbatch setup\nRESOURCE/);
});

Deno.test("setup transcript with --buckets: the inline policy is put, shown by name, and deleted before its role", async () => {
  const [plan, create, again, destroy] = await setupTranscript(["--buckets", "my-data"]);
  assert.match(
    plan!.output,
    /ezbatch-job-role\s+create\s+ezbatch-s3-buckets \(inline\) — .*S3 read\/write on my-data only/,
  );
  assert.deepEqual(create!.changes, [
    "CreateRole",
    "AttachRolePolicy",
    "CreateRole",
    "PutRolePolicy",
    "CreateSecurityGroup",
    "CreateComputeEnvironment",
    "CreateComputeEnvironment",
    "CreateJobQueue",
  ]);
  assert.deepEqual(again!.changes, []);
  const deletes = destroy!.changes;
  assert.ok(
    deletes.indexOf("DeleteRolePolicy") >= 0 && deletes.indexOf("DeleteRolePolicy") < deletes.lastIndexOf("DeleteRole"),
  );
});
