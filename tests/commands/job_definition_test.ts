import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import type { JobDefinitionInput } from "../../core/backend_types.ts";
import { parseDefinitionRef } from "../../commands/job_definition.ts";
import { run } from "./_run.ts";

function def(name: string, image = "alpine:3.20"): JobDefinitionInput {
  return {
    jobDefinitionName: name,
    type: "container",
    platformCapabilities: ["FARGATE"],
    containerProperties: {
      image,
      command: ["/bin/sh", "-c", "echo hi"],
      environment: [{ name: "A", value: "1" }],
      resourceRequirements: [{ type: "VCPU", value: "0.5" }, { type: "MEMORY", value: "1024" }],
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
    },
    timeout: { attemptDurationSeconds: 600 },
  };
}

Deno.test("parseDefinitionRef() reads names, revisions and ARNs and rejects anything else", () => {
  assert.deepEqual(parseDefinitionRef("d"), { name: "d" });
  assert.deepEqual(parseDefinitionRef("d:3"), { name: "d", revision: 3 });
  assert.deepEqual(parseDefinitionRef("arn:aws:batch:us-east-1:123456789012:job-definition/d:7"), {
    name: "d",
    revision: 7,
  });
  assert.throws(() => parseDefinitionRef("d:x"), /give a name, name:revision or a job definition ARN/);
});

Deno.test("job-definition list reads every page, sorts by name and revision, and prints the exact table", async () => {
  const backend = new MemoryBackend();
  await backend.registerJobDefinition(def("b"));
  await backend.registerJobDefinition(def("a", "ubuntu:24.04"));
  await backend.registerJobDefinition(def("b"));
  await backend.deregisterJobDefinition("b:1");
  const r = await run(["job-definition", "list"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    "NAME  REVISION  STATUS  PLATFORM  VCPUS  MEMORY  IMAGE\n" +
      "a     1         ACTIVE  FARGATE   0.5    1024    ubuntu:24.04\n" +
      "b     2         ACTIVE  FARGATE   0.5    1024    alpine:3.20\n",
  );
  const all = JSON.parse((await run(["def", "list", "--status", "all", "--json"], { backend })).stdout);
  assert.deepEqual(all.map((d: { name: string; revision: number }) => `${d.name}:${d.revision}`), [
    "a:1",
    "b:1",
    "b:2",
  ]);
  const inactive = JSON.parse((await run(["def", "list", "--status", "INACTIVE", "--json"], { backend })).stdout);
  assert.deepEqual(inactive.map((d: { revision: number }) => d.revision), [1]);

  const many = new MemoryBackend();
  for (let i = 0; i < 230; i++) await many.registerJobDefinition(def("d"));
  const latest = await run(["def", "list", "--latest", "--json"], { backend: many });
  assert.deepEqual(JSON.parse(latest.stdout).map((d: { revision: number }) => d.revision), [230]);
  assert.equal(many.calls.listJobDefinitions, 3);
  assert.equal((await run(["def", "list"], { backend: new MemoryBackend() })).stdout, "No job definitions.\n");
  const bad = await run(["def", "list", "--status", "DELETED"], { backend });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Expected one of ACTIVE, INACTIVE, ALL/);
});

Deno.test("job-definition describe shows the latest ACTIVE revision or the one asked for", async () => {
  const backend = new MemoryBackend();
  await backend.registerJobDefinition(def("d"));
  await backend.registerJobDefinition({ ...def("d"), tags: { team: "x" } });
  const r = await run(["job-definition", "describe", "d"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "Name:           d",
      "Revision:       2",
      "ARN:            arn:aws:batch:us-east-1:123456789012:job-definition/d:2",
      "Status:         ACTIVE",
      "Platform:       FARGATE",
      "Image:          alpine:3.20",
      'Command:        ["/bin/sh","-c","echo hi"]',
      "vCPUs:          0.5",
      "Memory (MiB):   1024",
      "Environment:    A=1",
      "Execution role: arn:aws:iam::123456789012:role/exec",
      "Timeout:        600 s",
      "Tags:           team=x",
      "",
    ].join("\n"),
  );
  const first = JSON.parse((await run(["def", "describe", "d:1", "--json"], { backend })).stdout);
  assert.equal(first.revision, 1);
  const missing = await run(["def", "describe", "nope"], { backend });
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    "error: No ACTIVE revision of job definition 'nope' exists; 'ezbatch job-definition list' shows the ones there are\n",
  );
  const badRef = await run(["def", "describe", "no way"], { backend });
  assert.equal(badRef.code, 2);
});

Deno.test("job-definition deregister needs a revision or --all", async () => {
  const backend = new MemoryBackend();
  for (let i = 0; i < 3; i++) await backend.registerJobDefinition(def("d"));
  const one = await run(["def", "deregister", "d:2"], { backend });
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, "d:2 deregistered\n");
  const vague = await run(["def", "deregister", "d"], { backend });
  assert.equal(vague.code, 2);
  assert.match(vague.stderr, /Say which revision of 'd' to deregister \(d:1\), or pass --all/);
  const all = await run(["def", "deregister", "d", "--all", "--json"], { backend });
  assert.deepEqual(JSON.parse(all.stdout), { deregistered: ["d:1", "d:3"] });
  assert.equal(backend.definitions.every((d) => d.status === "INACTIVE"), true);
  const none = await run(["def", "deregister", "d", "--all"], { backend });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No ACTIVE revision of job definition 'd'/);
  const missing = await run(["def", "deregister", "zzz:1"], { backend });
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    "error: Job definition 'zzz:1' does not exist; 'ezbatch job-definition list' shows the ones there are\n",
  );
});
