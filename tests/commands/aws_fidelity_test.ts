/**
 * Commands against the real AwsBackend over mocked SDK clients that answer as AWS documents (tests/support/
 * aws_shapes.ts): default-filled definitions, ARNs where requests gave names, array parents without `startedAt`.
 */
import assert from "node:assert/strict";
import {
  BatchClient,
  DeleteComputeEnvironmentCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  GetCallerIdentityCommand,
  ListJobsCommand,
  mockClient,
  RegisterJobDefinitionCommand,
  STSClient,
  SubmitJobCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from "../support/deps.ts";
import { AwsBackend } from "../../core/aws/aws_backend.ts";
import type { JobDefinitionInput } from "../../core/backend_types.ts";
import {
  batchArn,
  childJobId,
  describedArrayParent,
  describedJobDefinition,
  describedJobQueue,
} from "../support/aws_shapes.ts";
import { run } from "./_run.ts";

function setup() {
  const client = new BatchClient({ region: "us-east-1" });
  const sts = new STSClient({ region: "us-east-1" });
  const batch = mockClient(client);
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  return { backend: new AwsBackend({ inject: { batch: client, sts } }), batch };
}

/** RegisterJobDefinition and DescribeJobDefinitions over one list of revisions, described as AWS does. */
function definitionsLikeAws(batch: ReturnType<typeof setup>["batch"]) {
  const registered: JobDefinitionInput[] = [];
  batch.on(RegisterJobDefinitionCommand).callsFake((input: JobDefinitionInput) => {
    registered.push(input);
    const revision = registered.filter((r) => r.jobDefinitionName === input.jobDefinitionName).length;
    return describedJobDefinition(input, revision);
  });
  batch.on(DescribeJobDefinitionsCommand).callsFake((input: { jobDefinitionName?: string }) => ({
    jobDefinitions: registered.filter((r) =>
      !input.jobDefinitionName || r.jobDefinitionName === input.jobDefinitionName
    )
      .map((r, i) => describedJobDefinition(r, i + 1)),
  }));
  return registered;
}

Deno.test("jobs submit and job-definition create reuse a definition AWS describes with its defaults filled in", async () => {
  const { backend, batch } = setup();
  const registered = definitionsLikeAws(batch);
  batch.on(SubmitJobCommand).resolves({ jobId: "id-1", jobName: "hello" });
  const submit = ["jobs", "submit", "-q", "q", "--image", "alpine:3.20", "--env", "A=1", "--", "echo", "hi"];
  for (let i = 0; i < 3; i++) assert.equal((await run(submit, { backend })).code, 0);
  assert.equal(registered.length, 1, "one revision for three identical submissions");
  const create = ["def", "create", "--name", "hello", "--image", "alpine:3.20", "--command", "echo hi"];
  const first = await run(create, { backend });
  const again = await run(create, { backend });
  assert.equal(first.stdout, "hello:1\n");
  assert.equal(again.stdout, "hello:1\n", again.stderr);
  assert.equal(registered.length, 2);
});

Deno.test("compute-environment delete --force sends the queue the environment ARNs DescribeJobQueues returned", async () => {
  const { backend, batch } = setup();
  let state = "ENABLED";
  let deleted = false;
  const ce = (name: string) => ({
    computeEnvironmentName: name,
    computeEnvironmentArn: batchArn("compute-environment", name),
    type: "MANAGED",
    state,
    status: "VALID",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["subnet-1"] },
  });
  batch.on(DescribeComputeEnvironmentsCommand).callsFake(() => ({ computeEnvironments: deleted ? [] : [ce("a")] }));
  batch.on(UpdateComputeEnvironmentCommand).callsFake(() => {
    state = "DISABLED";
    return {};
  });
  batch.on(DeleteComputeEnvironmentCommand).callsFake(() => {
    deleted = true;
    return {};
  });
  const queue = describedJobQueue({
    jobQueueName: "two",
    state: "ENABLED",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "a" }, { order: 2, computeEnvironment: "b" }],
  });
  batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [queue] as never });
  batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
  batch.on(UpdateJobQueueCommand).resolves({});
  const r = await run(["ce", "delete", "a", "--force"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(batch.commandCalls(UpdateJobQueueCommand)[0]!.args[0].input, {
    jobQueue: "two",
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: batchArn("compute-environment", "b") }],
  });
});

Deno.test("jobs describe of an array parent as AWS answers: children by state, no start time, no duration", async () => {
  const { backend, batch } = setup();
  const base = {
    jobId: "p",
    jobName: "sweep",
    jobQueue: batchArn("job-queue", "q"),
    jobDefinition: batchArn("job-definition", "d:1"),
    status: "PENDING" as const,
    createdAt: 1_700_000_000_000,
  };
  const children = [0, 1, 2].map((i) => ({
    ...base,
    jobId: childJobId("p", i),
    status: i ? "RUNNING" as const : "SUCCEEDED" as const,
  }));
  batch.on(DescribeJobsCommand).resolves({
    jobs: [describedArrayParent({ ...base, arrayProperties: { size: 3 } }, children)] as never,
  });
  const r = await run(["jobs", "describe", "p"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Array: +3 children: 2 RUNNING, 1 SUCCEEDED$/m);
  assert.match(r.stdout, /^Queue: +arn:aws:batch:us-east-1:123456789012:job-queue\/q$/m);
  assert.doesNotMatch(r.stdout, /Started|Duration|1970/);
});
