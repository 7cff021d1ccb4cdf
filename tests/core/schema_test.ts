import { FEATURE_KEYS } from "../../core/job_features.ts";
import assert from "node:assert/strict";
import { workflowJsonSchema } from "../../mod.ts";

interface Schema {
  type?: string;
  required?: string[];
  additionalProperties?: boolean | Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  enum?: string[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  description?: string;
  items?: Schema;
}

Deno.test("workflowJsonSchema() describes the workflow file: required keys, no unknown keys, enums and ranges", () => {
  const schema = workflowJsonSchema() as unknown as Schema & { $schema: string; title: string };
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.title, "ezbatch workflow");
  assert.deepEqual(schema.required, ["name", "jobs"]);
  assert.equal(schema.additionalProperties, false);
  const job = schema.properties!.jobs!.additionalProperties as Schema;
  assert.deepEqual(job.required, ["image"]);
  assert.equal(job.additionalProperties, false);
  assert.deepEqual(Object.keys(job.properties!), [
    "image",
    "command",
    "environment",
    "secrets",
    "mounts",
    "vcpus",
    "memory",
    "gpus",
    "storage_size",
    "platform",
    "assign_public_ip",
    "tags",
    "queue",
    "preloader",
    "retry",
    "timeout",
    "matrix",
    ...FEATURE_KEYS,
  ]);
  assert.deepEqual(job.properties!.platform!.enum, ["FARGATE", "EC2"]);
  assert.equal(job.properties!.assign_public_ip!.type, "boolean");
  assert.equal(job.properties!.storage_size!.minimum, 21);
  assert.equal(job.properties!.storage_size!.maximum, 200);
  assert.equal(job.properties!.retry!.properties!.attempts!.maximum, 10);
  assert.match(job.properties!.vcpus!.description!, /Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16/);
  const timeout = job.properties!.timeout!.anyOf!;
  assert.deepEqual(timeout.map((t) => t.type), ["integer", "string"]);
  assert.equal(timeout[0]!.minimum, 60);
  assert.ok(new RegExp(timeout[1]!.pattern!).test("1h30m"));
  // The Python ezbatch's mount `options` belong to JSON files only, not to the documented format.
  const mount = job.properties!.mounts!.properties!.read!.items!;
  assert.deepEqual(Object.keys(mount.properties!), ["source", "destination", "recursive", "sse", "sse_kms_key_id"]);
  // Each call returns a fresh object.
  assert.notEqual(workflowJsonSchema(), workflowJsonSchema());
});
