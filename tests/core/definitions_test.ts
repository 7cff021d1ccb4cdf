import assert from "node:assert/strict";
import {
  canonicalJson,
  definitionKey,
  imageSlug,
  jobOverrides,
  renderJobDefinition,
  resourceRequirements,
} from "../../core/definitions.ts";
import { WorkflowError } from "../../core/errors.ts";
import { isValidResourceName } from "../../core/names.ts";
import { job, ROLES } from "./_jobs.ts";

Deno.test("renderJobDefinition() renders a Fargate job with roles, awslogs, storage, network and secrets", () => {
  const def = renderJobDefinition(
    job({ storage_size: 50, secrets: { TOKEN: "arn:aws:secretsmanager:us-east-1:1:secret:t", A: "arn:a" } }),
    { ...ROLES, logGroup: "/ezbatch/jobs" },
  );
  assert.equal(def.type, "container");
  assert.deepEqual(def.platformCapabilities, ["FARGATE"]);
  assert.equal(def.propagateTags, true);
  const c = def.containerProperties;
  assert.equal(c.image, "public.ecr.aws/docker/library/alpine:3.20");
  assert.equal(c.executionRoleArn, ROLES.executionRoleArn);
  assert.equal(c.jobRoleArn, ROLES.jobRoleArn);
  assert.deepEqual(c.logConfiguration, {
    logDriver: "awslogs",
    options: { "awslogs-group": "/ezbatch/jobs", "awslogs-stream-prefix": "ezbatch" },
  });
  assert.deepEqual(c.ephemeralStorage, { sizeInGiB: 50 });
  assert.deepEqual(c.networkConfiguration, { assignPublicIp: "DISABLED" });
  assert.deepEqual(c.secrets, [
    { name: "A", valueFrom: "arn:a" },
    { name: "TOKEN", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:t" },
  ]);
  assert.equal(c.environment, undefined, "secrets never become plain environment");
  assert.equal(c.command, undefined, "the command goes in the overrides");
  assert.match(def.jobDefinitionName, /^ezbatch-alpine-3-20-[0-9a-f]{12}$/);
  assert.ok(isValidResourceName(def.jobDefinitionName));
});

Deno.test("renderJobDefinition() enables a public IP only when asked and uses the default log group", () => {
  const def = renderJobDefinition(job(), { ...ROLES, assignPublicIp: true });
  assert.deepEqual(def.containerProperties.networkConfiguration, { assignPublicIp: "ENABLED" });
  assert.equal(def.containerProperties.logConfiguration?.options?.["awslogs-group"], "/aws/batch/job");
  assert.notEqual(def.jobDefinitionName, renderJobDefinition(job(), ROLES).jobDefinitionName);
});

Deno.test("renderJobDefinition() never sends ephemeralStorage or network settings for EC2", () => {
  const def = renderJobDefinition(job({ platform: "EC2", storage_size: 50, gpus: 2 }), {});
  const c = def.containerProperties;
  assert.deepEqual(def.platformCapabilities, ["EC2"]);
  assert.equal(c.ephemeralStorage, undefined);
  assert.equal(c.networkConfiguration, undefined);
  assert.equal(c.fargatePlatformConfiguration, undefined);
  assert.equal(c.executionRoleArn, undefined);
});

Deno.test("renderJobDefinition() refuses a Fargate job without an execution role", () => {
  assert.throws(
    () => renderJobDefinition(job(), {}),
    (e) => e instanceof WorkflowError && /executionRoleArn/.test(e.message),
  );
});

Deno.test("renderJobDefinition() gives jobs that differ only in command, environment or size one name", () => {
  const a = renderJobDefinition(job({ command: "a", environment: { X: "1" }, vcpus: 2, memory: 4096 }), ROLES);
  const b = renderJobDefinition(job({ command: ["b"], environment: { Y: "2" }, vcpus: 4, memory: 8192 }), ROLES);
  assert.equal(a.jobDefinitionName, b.jobDefinitionName);
  assert.deepEqual(a, b);
  const other = renderJobDefinition(job({ image: "public.ecr.aws/docker/library/alpine:3.21" }), ROLES);
  assert.notEqual(other.jobDefinitionName, a.jobDefinitionName);
  const secret = renderJobDefinition(job({ secrets: { S: "arn:s" } }), ROLES);
  assert.notEqual(secret.jobDefinitionName, a.jobDefinitionName);
  const role = renderJobDefinition(job(), { ...ROLES, jobRoleArn: "arn:aws:iam::1:role/other" });
  assert.notEqual(role.jobDefinitionName, a.jobDefinitionName);
});

Deno.test("renderJobDefinition() does not depend on the order secrets were written in", () => {
  const a = renderJobDefinition(job({ secrets: { A: "1", B: "2" } }), ROLES);
  const b = renderJobDefinition(job({ secrets: { B: "2", A: "1" } }), ROLES);
  assert.equal(a.jobDefinitionName, b.jobDefinitionName);
});

Deno.test("renderJobDefinition() embeds command, environment, size, retry and timeout when standalone", () => {
  const def = renderJobDefinition(
    job({
      platform: "EC2",
      gpus: 1,
      vcpus: 4,
      memory: 16384,
      environment: { B: "2", A: "1" },
      timeout: 3600,
      retry: { attempts: 3, evaluate_on_exit: [{ on_exit_code: "137", action: "RETRY" }] },
    }),
    { standalone: true },
  );
  const c = def.containerProperties;
  assert.deepEqual(c.command, ["/bin/sh", "-c", "echo hi"]);
  assert.deepEqual(c.environment, [{ name: "A", value: "1" }, { name: "B", value: "2" }]);
  assert.deepEqual(c.resourceRequirements, [
    { type: "VCPU", value: "4" },
    { type: "MEMORY", value: "16384" },
    { type: "GPU", value: "1" },
  ]);
  assert.deepEqual(def.retryStrategy, { attempts: 3, evaluateOnExit: [{ action: "RETRY", onExitCode: "137" }] });
  assert.deepEqual(def.timeout, { attemptDurationSeconds: 3600 });
});

Deno.test("renderJobDefinition() refuses a definition over 24 KiB", () => {
  const secrets = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`S${i}`, "arn:".padEnd(80, "x")]));
  assert.throws(() => renderJobDefinition(job({ secrets }), ROLES), /24576/);
});

Deno.test("resourceRequirements() lists GPU only when the job asks for one", () => {
  assert.deepEqual(resourceRequirements({ vcpus: 0.5, memory: 1024, gpus: 0 }), [
    { type: "VCPU", value: "0.5" },
    { type: "MEMORY", value: "1024" },
  ]);
  assert.equal(resourceRequirements({ vcpus: 8, memory: 1024, gpus: 2 }).at(-1)?.value, "2");
});

Deno.test("jobOverrides() carries the command, sorted environment and the job's size", () => {
  const o = jobOverrides(job({ command: ["python", "x.py"], environment: { Z: "z", A: "a" }, vcpus: 2, memory: 4096 }));
  assert.deepEqual(o.command, ["python", "x.py"]);
  assert.deepEqual(o.environment, [{ name: "A", value: "a" }, { name: "Z", value: "z" }]);
  assert.deepEqual(o.resourceRequirements, [{ type: "VCPU", value: "2" }, { type: "MEMORY", value: "4096" }]);
  const noCommand = jobOverrides(job({ command: undefined }));
  assert.equal(noCommand.command, undefined);
  assert.equal(noCommand.environment, undefined);
});

Deno.test("imageSlug() makes a short valid name part of any image reference", () => {
  assert.equal(imageSlug("public.ecr.aws/docker/library/alpine:3.20"), "alpine-3-20");
  assert.equal(imageSlug("123456789012.dkr.ecr.us-east-1.amazonaws.com/Train:1.4"), "train-1-4");
  assert.equal(imageSlug("ubuntu@sha256:abcdef"), "ubuntu");
  assert.equal(imageSlug("::"), "image");
  assert.ok(imageSlug("x".repeat(300)).length <= 40);
});

Deno.test("canonicalJson() sorts keys at every level and keeps array order", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
});

Deno.test("definitionKey() is equal exactly when the shared definitions are equal", () => {
  const variants = [
    job(),
    job({ command: "other", environment: { A: "1" }, vcpus: 2, memory: 4096, tags: { t: "1" }, timeout: 60 }),
    job({ image: "alpine:3.21" }),
    job({ platform: "EC2" }),
    job({ platform: "EC2", storage_size: 30 }),
    job({ storage_size: 30 }),
    job({ secrets: { A: "arn:1" } }),
    job({ secrets: { A: "arn:2" } }),
  ];
  for (const a of variants) {
    for (const b of variants) {
      const sameName =
        renderJobDefinition(a, ROLES).jobDefinitionName === renderJobDefinition(b, ROLES).jobDefinitionName;
      assert.equal(definitionKey(a) === definitionKey(b), sameName, `${definitionKey(a)} vs ${definitionKey(b)}`);
    }
  }
});
