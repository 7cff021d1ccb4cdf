/**
 * Submitting one job: the interactive form and its "CLI:" line (jobs submit) send the same requests with the same
 * settings: the account's default execution role when the settings name none, the name as typed, the public IP.
 */
import assert from "node:assert/strict";
import {
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from "../support/deps.ts";
import { KEY } from "../tui/_terminal.ts";
import { cli, cliArgs, interactive, mockAccount, QUEUE_Q } from "./_faces.ts";

function account() {
  const a = mockAccount();
  a.batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [QUEUE_Q] });
  a.batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
  a.batch.on(RegisterJobDefinitionCommand).callsFake((input) => ({
    jobDefinitionName: input.jobDefinitionName,
    jobDefinitionArn: `arn:aws:batch:us-east-1:123456789012:job-definition/${input.jobDefinitionName}:1`,
    revision: 1,
  }));
  a.batch.on(SubmitJobCommand).callsFake((input) => ({ jobId: "id-1", jobName: input.jobName }));
  return a;
}

async function submitInteractively(settings: Record<string, unknown>, publicIp: boolean) {
  const face = account();
  const { term, done } = interactive(face.backend, settings);
  await term.expect("What would you like to do?");
  await term.pick(1);
  await term.pick(0);
  await term.expect("Job name");
  await term.type(KEY.backspace, KEY.backspace, KEY.backspace, "hello-1", KEY.enter);
  await term.expect("Image");
  await term.type(KEY.enter);
  await term.expect("Command");
  await term.type("echo 'hi there'", KEY.enter);
  await term.expect("Platform");
  await term.type(KEY.enter);
  await term.expect("vCPUs");
  await term.type(KEY.enter);
  await term.expect("Memory with 1 vCPU");
  await term.type(KEY.enter);
  await term.expect("Give it a public IP?");
  await term.type(publicIp ? "y" : "n", KEY.enter);
  await term.expect("Submit 'hello-1' to queue 'q'?");
  await term.type(KEY.enter);
  await term.expect("Submitted job 'hello-1' (id-1)");
  await term.expect("Follow its log now?");
  await term.type(KEY.enter);
  await term.expect("Jobs");
  await term.pick(5);
  await term.pick(6);
  await done;
  return { face, text: term.text };
}

Deno.test("submit a job: with no execution role in the settings both faces look up the account's default role and send the same requests", async () => {
  const { face, text } = await submitInteractively({}, true);
  const line = account();
  const args = cliArgs(text);
  assert.ok(args.includes("--assign-public-ip"), args.join(" "));
  const r = await cli(args, line.backend, {});
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(face.changes(), line.changes());
  assert.equal(face.stsCalls(), 1);
  assert.equal(line.stsCalls(), 1);
  // deno-lint-ignore no-explicit-any
  const [[, registered], [, submitted]] = face.changes() as [[string, any], [string, any]];
  assert.equal(registered.containerProperties.executionRoleArn, "arn:aws:iam::123456789012:role/ecsTaskExecutionRole");
  assert.deepEqual(registered.containerProperties.networkConfiguration, { assignPublicIp: "ENABLED" });
  assert.equal(submitted.jobName, "hello-1"); // as typed, as `--name hello-1` names it
  assert.equal(submitted.jobQueue, "q");
  assert.deepEqual(submitted.containerOverrides.command, ["/bin/sh", "-c", "echo 'hi there'"]);
});

Deno.test("submit a job: the settings' assignPublicIp is the default of both faces, and a configured role needs no STS", async () => {
  const settings = { assignPublicIp: true, executionRoleArn: "arn:aws:iam::123456789012:role/exec" };
  const { face, text } = await submitInteractively(settings, true);
  const args = cliArgs(text);
  assert.ok(!args.some((a) => a.includes("public-ip")), args.join(" ")); // the settings decide, in both faces
  const line = account();
  const r = await cli(args, line.backend, settings);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(face.changes(), line.changes());
  assert.equal(face.stsCalls() + line.stsCalls(), 0);
  // deno-lint-ignore no-explicit-any
  const registered = face.changes()[0]![1] as any;
  assert.deepEqual(registered.containerProperties.networkConfiguration, { assignPublicIp: "ENABLED" });
  assert.equal(registered.containerProperties.executionRoleArn, "arn:aws:iam::123456789012:role/exec");
});
