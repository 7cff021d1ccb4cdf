/**
 * Registering a definition (`job-definition create`, the one face that offers it on its own) and the public-IP
 * choice: flag, workflow file field, config default, in that order; `jobs submit` decides it the same way.
 */
import assert from "node:assert/strict";
import { DescribeJobDefinitionsCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from "../support/deps.ts";
import { cli, mockAccount } from "./_faces.ts";

function account() {
  const a = mockAccount();
  a.batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
  a.batch.on(RegisterJobDefinitionCommand).callsFake((input) => ({
    jobDefinitionName: input.jobDefinitionName,
    jobDefinitionArn: `arn:def/${input.jobDefinitionName}:1`,
    revision: 1,
  }));
  a.batch.on(SubmitJobCommand).callsFake((input) => ({ jobId: "id-1", jobName: input.jobName }));
  return a;
}

async function publicIp(args: string[], settings: Record<string, unknown>) {
  const a = account();
  const r = await cli(args, a.backend, settings);
  assert.equal(r.code, 0, r.stderr);
  const registered = a.changes().find(([op]) => op === "RegisterJobDefinition")![1] as {
    containerProperties: { networkConfiguration?: { assignPublicIp?: string } };
  };
  return registered.containerProperties.networkConfiguration?.assignPublicIp;
}

const ROLE = { executionRoleArn: "arn:aws:iam::123456789012:role/exec" };
const DEF = ["job-definition", "create", "--image", "alpine:3.20"];
const SUBMIT = ["jobs", "submit", "-q", "q", "--name", "n", "--image", "alpine:3.20"];

Deno.test("register a definition: --assign-public-ip, the config's assignPublicIp and --no-assign-public-ip decide, alike for jobs submit", async () => {
  for (const base of [DEF, SUBMIT]) {
    assert.equal(await publicIp(base, ROLE), "DISABLED");
    assert.equal(await publicIp([...base, "--assign-public-ip"], ROLE), "ENABLED");
    assert.equal(await publicIp(base, { ...ROLE, assignPublicIp: true }), "ENABLED");
    assert.equal(await publicIp([...base, "--no-assign-public-ip"], { ...ROLE, assignPublicIp: true }), "DISABLED");
  }
});

Deno.test("register a definition: a workflow file's assign_public_ip wins over the config, and a flag over the file", async () => {
  const file = await Deno.makeTempFile({ suffix: ".toml" });
  await Deno.writeTextFile(
    file,
    'name = "w"\n[jobs.a]\nimage = "alpine:3.20"\ncommand = "echo hi"\nassign_public_ip = true\n',
  );
  const from = ["job-definition", "create", "--from", file];
  assert.equal(await publicIp(from, { ...ROLE, assignPublicIp: false }), "ENABLED");
  assert.equal(await publicIp([...from, "--no-assign-public-ip"], ROLE), "DISABLED");
});

Deno.test("register a definition: with no execution role anywhere the account's default is looked up once", async () => {
  const a = account();
  const r = await cli(DEF, a.backend, {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(a.stsCalls(), 1);
  const registered = a.changes()[0]![1] as { containerProperties: { executionRoleArn?: string } };
  assert.equal(registered.containerProperties.executionRoleArn, "arn:aws:iam::123456789012:role/ecsTaskExecutionRole");
});
