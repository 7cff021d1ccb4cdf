/** The exact AWS requests some commands send, through the real AwsBackend over mocked SDK clients. */
import assert from "node:assert/strict";
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  GetCallerIdentityCommand,
  mockClient,
  RegisterJobDefinitionCommand,
  STSClient,
  SubmitJobCommand,
  TerminateJobCommand,
  UpdateComputeEnvironmentCommand,
} from "../support/deps.ts";
import { AwsBackend } from "../../core/aws/aws_backend.ts";
import { run } from "./_run.ts";

function setup() {
  const client = new BatchClient({ region: "us-east-1" });
  const sts = new STSClient({ region: "us-east-1" });
  const batch = mockClient(client);
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  return { backend: new AwsBackend({ inject: { batch: client, sts } }), batch, stsMock };
}

Deno.test("compute-environment create sends an EC2 instance profile and no Fargate-only or EC2-only leftovers", async () => {
  const { backend, batch } = setup();
  batch.on(CreateComputeEnvironmentCommand).resolves({
    computeEnvironmentArn: "arn:aws:batch:us-east-1:123456789012:compute-environment/gpu",
    computeEnvironmentName: "gpu",
  });
  const r = await run([
    "ce",
    "create",
    "gpu",
    "--type",
    "SPOT",
    "--subnets",
    "subnet-1",
    "--security-groups",
    "sg-1",
    "--instance-role",
    "ecsInstanceRole",
    "--tag",
    "team=ml",
    "--no-wait",
  ], { backend });
  assert.equal(r.code, 0, r.stderr);
  const calls = batch.commandCalls(CreateComputeEnvironmentCommand);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.args[0].input, {
    computeEnvironmentName: "gpu",
    type: "MANAGED",
    state: "ENABLED",
    computeResources: {
      type: "SPOT",
      maxvCpus: 16,
      minvCpus: 0,
      subnets: ["subnet-1"],
      securityGroupIds: ["sg-1"],
      instanceRole: "ecsInstanceRole",
      instanceTypes: ["optimal"],
    },
    tags: { team: "ml" },
  });
});

Deno.test("compute-environment delete sends UpdateComputeEnvironment DISABLED before the delete", async () => {
  const { backend, batch } = setup();
  const ce = {
    computeEnvironmentName: "old",
    computeEnvironmentArn: "arn:aws:batch:us-east-1:123456789012:compute-environment/old",
    state: "ENABLED",
    status: "VALID",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["s"] },
  };
  batch.on(DescribeComputeEnvironmentsCommand).resolvesOnce({ computeEnvironments: [ce] as never })
    .resolvesOnce({ computeEnvironments: [{ ...ce, state: "DISABLED" }] as never })
    .resolves({ computeEnvironments: [] });
  batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [] });
  batch.on(UpdateComputeEnvironmentCommand).resolves({});
  const r = await run(["ce", "delete", "old"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(batch.commandCalls(UpdateComputeEnvironmentCommand)[0]!.args[0].input, {
    computeEnvironment: "old",
    state: "DISABLED",
  });
  const order = batch.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
  assert.ok(order.indexOf("UpdateComputeEnvironmentCommand") < order.indexOf("DeleteComputeEnvironmentCommand"));
});

Deno.test("jobs submit resolves the account's execution role once and sends the exact RegisterJobDefinition and SubmitJob", async () => {
  const { backend, batch, stsMock } = setup();
  batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
  batch.on(RegisterJobDefinitionCommand).callsFake((input) => ({
    jobDefinitionName: input.jobDefinitionName,
    jobDefinitionArn: `arn:aws:batch:us-east-1:123456789012:job-definition/${input.jobDefinitionName}:1`,
    revision: 1,
  }));
  batch.on(SubmitJobCommand).resolves({ jobId: "id-1", jobName: "hello" });
  const r = await run(["jobs", "submit", "-q", "q", "--name", "hello", "--image", "alpine:3.20", "--", "echo", "hi"], {
    backend,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "id-1\n");
  assert.equal(stsMock.commandCalls(GetCallerIdentityCommand).length, 1);
  const registered = batch.commandCalls(RegisterJobDefinitionCommand)[0]!.args[0].input;
  assert.equal(
    registered.containerProperties!.executionRoleArn,
    "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  );
  assert.deepEqual(registered.platformCapabilities, ["FARGATE"]);
  assert.deepEqual(batch.commandCalls(SubmitJobCommand)[0]!.args[0].input, {
    jobName: "hello",
    jobQueue: "q",
    jobDefinition: `${registered.jobDefinitionName}:1`,
    containerOverrides: {
      command: ["echo", "hi"],
      resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "2048" }],
    },
  });
});

Deno.test("jobs stop sends TerminateJob for a RUNNING job with the reason given", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobsCommand).resolves({
    jobs: [{
      jobId: "id-1",
      jobName: "n",
      jobQueue: "q",
      status: "RUNNING",
      jobDefinition: "d:1",
      startedAt: 1,
    }] as never,
  });
  batch.on(TerminateJobCommand).resolves({});
  const r = await run(["jobs", "stop", "id-1", "--reason", "enough"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(batch.commandCalls(TerminateJobCommand)[0]!.args[0].input, { jobId: "id-1", reason: "enough" });
});
