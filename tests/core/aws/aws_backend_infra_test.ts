import assert from "node:assert/strict";
import {
  BatchClient,
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  mockClient,
  RegisterJobDefinitionCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from "../../support/deps.ts";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import { NotFoundError } from "../../../core/errors.ts";

function setup() {
  const client = new BatchClient({ region: "us-east-1" });
  const batch = mockClient(client);
  return { backend: new AwsBackend({ inject: { batch: client } }), batch };
}

const ARN = "arn:aws:batch:us-east-1:123456789012:job-definition";

function sdkDefinition(name: string, revision: number, status = "ACTIVE"): never {
  return {
    jobDefinitionName: name,
    jobDefinitionArn: `${ARN}/${name}:${revision}`,
    revision,
    status,
    type: "container",
    platformCapabilities: ["FARGATE"],
    containerProperties: { image: "alpine", command: ["true"] },
  } as never;
}

Deno.test("AwsBackend.describeJobDefinitions() asks plain names one by one (ACTIVE, every page)", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobDefinitionsCommand, { jobDefinitionName: "a" }).resolves({
    jobDefinitions: [sdkDefinition("a", 2)],
    nextToken: "p2",
  });
  batch.on(DescribeJobDefinitionsCommand, { jobDefinitionName: "a", nextToken: "p2" }).resolves({
    jobDefinitions: [sdkDefinition("a", 1)],
  });
  batch.on(DescribeJobDefinitionsCommand, { jobDefinitionName: "b" }).resolves({ jobDefinitions: [] });
  const found = await backend.describeJobDefinitions(["a", "b", "a"]);
  assert.deepEqual(found.map((d) => `${d.jobDefinitionName}:${d.revision}`), ["a:2", "a:1"]);
  assert.deepEqual(found[0], {
    jobDefinitionName: "a",
    jobDefinitionArn: `${ARN}/a:2`,
    revision: 2,
    status: "ACTIVE",
    type: "container",
    platformCapabilities: ["FARGATE"],
    containerProperties: { image: "alpine", command: ["true"] },
  });
  const inputs = batch.commandCalls(DescribeJobDefinitionsCommand).map((c) => c.args[0].input);
  assert.equal(inputs.length, 3);
  assert.deepEqual(
    new Set(inputs.map((i) => JSON.stringify(i))),
    new Set([
      JSON.stringify({ jobDefinitionName: "a", status: "ACTIVE" }),
      JSON.stringify({ jobDefinitionName: "a", status: "ACTIVE", nextToken: "p2" }),
      JSON.stringify({ jobDefinitionName: "b", status: "ACTIVE" }),
    ]),
  );
});

Deno.test("AwsBackend.describeJobDefinitions() sends name:revision and ARNs 100 per call and keeps ACTIVE ones", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobDefinitionsCommand).callsFake((input: { jobDefinitions: string[] }) => ({
    jobDefinitions: input.jobDefinitions.map((entry, i) => {
      const [name, revision] = entry.replace(`${ARN}/`, "").split(":");
      return sdkDefinition(name!, Number(revision), i === 0 ? "INACTIVE" : "ACTIVE");
    }),
  }));
  const entries = Array.from({ length: 150 }, (_, i) => i % 2 ? `d${i}:1` : `${ARN}/d${i}:1`);
  const found = await backend.describeJobDefinitions(entries);
  const calls = batch.commandCalls(DescribeJobDefinitionsCommand).map((c) => c.args[0].input);
  assert.deepEqual(calls.map((c) => Object.keys(c)), [["jobDefinitions"], ["jobDefinitions"]]);
  assert.deepEqual(calls.map((c) => c.jobDefinitions!.length), [100, 50]);
  assert.equal(found.length, 148, "the first of each batch is INACTIVE and left out");
});

Deno.test("AwsBackend.listJobDefinitions() pages with status, name, token and a page size of at most 100", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [sdkDefinition("x", 1)], nextToken: "n" });
  const page = await backend.listJobDefinitions({ status: "ACTIVE", name: "x" }, { nextToken: "t", maxResults: 500 });
  assert.equal(page.nextToken, "n");
  assert.equal(page.definitions.length, 1);
  assert.deepEqual(batch.commandCalls(DescribeJobDefinitionsCommand)[0]!.args[0].input, {
    status: "ACTIVE",
    jobDefinitionName: "x",
    nextToken: "t",
    maxResults: 100,
  });
});

Deno.test("AwsBackend.registerJobDefinition() and deregisterJobDefinition() send the definition as given", async () => {
  const { backend, batch } = setup();
  batch.on(RegisterJobDefinitionCommand).resolves({
    jobDefinitionName: "d",
    revision: 4,
    jobDefinitionArn: `${ARN}/d:4`,
  });
  batch.on(DeregisterJobDefinitionCommand, { jobDefinition: "gone:1" }).rejects(
    new ClientException({ message: "Job definition does not exist", $metadata: {} }),
  );
  const input = {
    jobDefinitionName: "d",
    type: "container" as const,
    platformCapabilities: ["FARGATE" as const],
    containerProperties: {
      image: "alpine",
      resourceRequirements: [{ type: "VCPU" as const, value: "0.25" }, { type: "MEMORY" as const, value: "512" }],
      logConfiguration: { logDriver: "awslogs" },
    },
    retryStrategy: { attempts: 2 },
    timeout: { attemptDurationSeconds: 60 },
  };
  assert.deepEqual(await backend.registerJobDefinition(input), {
    jobDefinitionName: "d",
    revision: 4,
    jobDefinitionArn: `${ARN}/d:4`,
  });
  assert.deepEqual(batch.commandCalls(RegisterJobDefinitionCommand)[0]!.args[0].input, input);
  await assert.rejects(backend.deregisterJobDefinition("gone:1"), NotFoundError);
});

Deno.test("AwsBackend.describeJobQueues() follows tokens page by page and asks named queues 100 per call", async () => {
  const { backend, batch } = setup();
  const queue = (name: string): never =>
    ({
      jobQueueName: name,
      jobQueueArn: `arn:q/${name}`,
      state: "ENABLED",
      status: "VALID",
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: "arn:ce/c" }],
    }) as never;
  batch.on(DescribeJobQueuesCommand, { maxResults: 2 }).resolves({
    jobQueues: [queue("a"), queue("b")],
    nextToken: "2",
  });
  batch.on(DescribeJobQueuesCommand, { maxResults: 2, nextToken: "2" }).resolves({ jobQueues: [queue("c")] });
  const first = await backend.describeJobQueues(undefined, { maxResults: 2 });
  assert.deepEqual(first.jobQueues.map((q) => q.jobQueueName), ["a", "b"]);
  assert.equal(first.nextToken, "2");
  const second = await backend.describeJobQueues(undefined, { maxResults: 2, nextToken: first.nextToken! });
  assert.deepEqual(second, { jobQueues: [queue("c")] });

  batch.reset();
  batch.on(DescribeJobQueuesCommand).callsFake((input: { jobQueues: string[] }) => ({
    jobQueues: input.jobQueues.map(queue),
  }));
  const names = Array.from({ length: 120 }, (_, i) => `q${i}`);
  const named = await backend.describeJobQueues(names);
  assert.equal(named.jobQueues.length, 120);
  assert.equal(named.nextToken, undefined);
  assert.deepEqual(
    batch.commandCalls(DescribeJobQueuesCommand).map((c) => c.args[0].input.jobQueues!.length),
    [100, 20],
  );
});

Deno.test("AwsBackend.describeComputeEnvironments() follows tokens and maps compute resources", async () => {
  const { backend, batch } = setup();
  const ce = (name: string): never =>
    ({
      computeEnvironmentName: name,
      computeEnvironmentArn: `arn:ce/${name}`,
      type: "MANAGED",
      state: "ENABLED",
      status: "INVALID",
      statusReason: "CLIENT_ERROR - not authorized",
      computeResources: { type: "FARGATE", maxvCpus: 16, subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
      ecsClusterArn: "arn:ecs/cluster",
    }) as never;
  batch.on(DescribeComputeEnvironmentsCommand, { nextToken: undefined }).resolves({
    computeEnvironments: [ce("a")],
    nextToken: "2",
  });
  batch.on(DescribeComputeEnvironmentsCommand, { nextToken: "2" }).resolves({ computeEnvironments: [ce("b")] });
  const first = await backend.describeComputeEnvironments();
  const second = await backend.describeComputeEnvironments([], { nextToken: "2" });
  assert.equal(first.nextToken, "2");
  assert.deepEqual(second, {
    computeEnvironments: [{
      computeEnvironmentName: "b",
      computeEnvironmentArn: "arn:ce/b",
      type: "MANAGED",
      state: "ENABLED",
      status: "INVALID",
      statusReason: "CLIENT_ERROR - not authorized",
      computeResources: { type: "FARGATE", maxvCpus: 16, subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
    }],
  });
});

Deno.test("AwsBackend creates, updates and deletes compute environments and queues with the exact requests", async () => {
  const { backend, batch } = setup();
  batch.on(CreateComputeEnvironmentCommand).resolves({ computeEnvironmentArn: "arn:ce/c" });
  batch.on(CreateJobQueueCommand).resolves({ jobQueueArn: "arn:q/q" });
  batch.on(UpdateComputeEnvironmentCommand).resolves({});
  batch.on(UpdateJobQueueCommand).resolves({});
  batch.on(DeleteComputeEnvironmentCommand).resolves({});
  batch.on(DeleteJobQueueCommand, { jobQueue: "ghost" }).rejects(
    new ClientException({ message: "Job queue ghost does not exist", $metadata: {} }),
  );
  const ce = {
    computeEnvironmentName: "c",
    type: "MANAGED",
    state: "ENABLED",
    computeResources: { type: "FARGATE" as const, maxvCpus: 8, subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
  };
  assert.deepEqual(await backend.createComputeEnvironment(ce), { arn: "arn:ce/c" });
  const queue = {
    jobQueueName: "q",
    state: "ENABLED",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "c" }],
  };
  assert.deepEqual(await backend.createJobQueue(queue), { arn: "arn:q/q" });
  await backend.updateComputeEnvironment("c", { state: "DISABLED", maxvCpus: 4 });
  await backend.updateComputeEnvironment("c", { state: "ENABLED" });
  await backend.updateJobQueue("q", { state: "DISABLED" });
  await backend.deleteComputeEnvironment("c");
  await assert.rejects(backend.deleteJobQueue("ghost"), /^NotFoundError: Job queue 'ghost' was not found/);
  assert.deepEqual(batch.commandCalls(CreateComputeEnvironmentCommand)[0]!.args[0].input, ce);
  assert.deepEqual(batch.commandCalls(CreateJobQueueCommand)[0]!.args[0].input, queue);
  assert.deepEqual(batch.commandCalls(UpdateComputeEnvironmentCommand).map((c) => c.args[0].input), [
    { computeEnvironment: "c", state: "DISABLED", computeResources: { maxvCpus: 4 } },
    { computeEnvironment: "c", state: "ENABLED" },
  ]);
  assert.deepEqual(batch.commandCalls(UpdateJobQueueCommand)[0]!.args[0].input, { jobQueue: "q", state: "DISABLED" });
  assert.deepEqual(batch.commandCalls(DeleteComputeEnvironmentCommand)[0]!.args[0].input, { computeEnvironment: "c" });
});
