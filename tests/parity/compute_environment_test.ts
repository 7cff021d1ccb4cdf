/** Creating a compute environment: the interactive mode and its "CLI:" line send the same request, with the settings' service role. */
import assert from "node:assert/strict";
import {
  CreateComputeEnvironmentCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
} from "../support/deps.ts";
import { KEY } from "../tui/_terminal.ts";
import { cli, cliArgs, interactive, mockAccount } from "./_faces.ts";

const SETTINGS = {
  serviceRole: "arn:aws:iam::123456789012:role/my-batch-service",
  subnets: ["subnet-0a"],
  securityGroupIds: ["sg-0a"],
  maxvCpus: 32,
};

function account() {
  const a = mockAccount();
  // Listed: none yet (so the name is free); asked by name: VALID (the create settled).
  a.batch.on(DescribeComputeEnvironmentsCommand).callsFake((input) => ({
    computeEnvironments: input.computeEnvironments?.length
      ? [{
        computeEnvironmentName: "fg",
        computeEnvironmentArn: "arn:aws:batch:us-east-1:123456789012:compute-environment/fg",
        state: "ENABLED",
        status: "VALID",
      }]
      : [],
  }));
  a.batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [] });
  a.batch.on(CreateComputeEnvironmentCommand).resolves({
    computeEnvironmentName: "fg",
    computeEnvironmentArn: "arn:aws:batch:us-east-1:123456789012:compute-environment/fg",
  });
  return a;
}

Deno.test("create compute environment: interactive and its CLI line send the same request, with the settings' serviceRole", async () => {
  const face = account();
  const { term, done } = interactive(face.backend, SETTINGS);
  await term.expect("What would you like to do?");
  await term.pick(0);
  await term.pick(1);
  await term.expect("Name of the compute environment");
  await term.type("fg", KEY.enter);
  await term.expect("Type");
  await term.pick(0);
  await term.expect("Most vCPUs");
  await term.type(KEY.enter);
  await term.expect("without a NAT gateway"); // the public-IP advice, where subnets are picked
  await term.expect("Subnets (space to pick");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other subnets");
  await term.type(KEY.enter);
  await term.expect("Security groups (space to pick");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other security groups");
  await term.type(KEY.enter);
  await term.expect("Create compute environment 'fg'?");
  await term.type(KEY.enter);
  await term.expect("Created compute environment 'fg'.");
  await term.expect("CLI: ezbatch");
  await term.expect("Infrastructure");
  await term.pick(5);
  await term.pick(6);
  await done;

  const line = account();
  const r = await cli(cliArgs(term.text), line.backend, SETTINGS);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(face.changes(), line.changes());
  assert.deepEqual(face.changes(), [["CreateComputeEnvironment", {
    computeEnvironmentName: "fg",
    type: "MANAGED",
    state: "ENABLED",
    serviceRole: "arn:aws:iam::123456789012:role/my-batch-service",
    computeResources: { type: "FARGATE", maxvCpus: 32, subnets: ["subnet-0a"], securityGroupIds: ["sg-0a"] },
  }]]);
});

Deno.test("create compute environment: a Fargate environment without security groups is refused by the action, in both faces", async () => {
  const settings = { subnets: ["subnet-0a"] };
  const r = await cli(["ce", "create", "fg", "--no-wait"], account().backend, settings);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /No security groups given: AWS Batch needs at least one/);
  const face = account();
  const { term, done } = interactive(face.backend, settings);
  await term.expect("What would you like to do?");
  await term.pick(0);
  await term.pick(1);
  await term.type("fg", KEY.enter);
  await term.expect("Type");
  await term.pick(0);
  await term.type(KEY.enter);
  await term.expect("Subnets (space to pick");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other subnets");
  await term.type(KEY.enter);
  await term.expect("Security groups, comma-separated");
  await term.type(KEY.enter);
  await term.expect("A value is required");
  await term.type(KEY.ctrlC);
  await term.expect("Cancelled");
  await term.pick(6);
  await done;
  assert.deepEqual(face.changes(), []);
});
