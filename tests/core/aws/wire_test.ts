/**
 * The plain input types of the backend are handed to the SDK as they are. These tests send them through the real
 * SDK serializer to a fake endpoint on 127.0.0.1 and check that every field reaches the wire unchanged (a field
 * the SDK does not know would be dropped silently).
 */
import assert from "node:assert/strict";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import { toJobDetail, toJobSummary } from "../../../core/aws/_map.ts";
import type {
  ComputeEnvironmentInput,
  JobDefinitionInput,
  JobQueueInput,
  SubmitJobInput,
} from "../../../core/backend_types.ts";

async function withRecorder(
  reply: Record<string, unknown>,
  body: (backend: AwsBackend, bodies: { path: string; json: unknown }[]) => Promise<void>,
): Promise<void> {
  const bodies: { path: string; json: unknown }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    bodies.push({ path: new URL(request.url).pathname, json: JSON.parse(await request.text() || "{}") });
    return new Response(JSON.stringify(reply), { headers: { "content-type": "application/json" } });
  });
  const backend = new AwsBackend({
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
    maxAttempts: 1,
  });
  try {
    await body(backend, bodies);
  } finally {
    await backend.clients.destroy();
    await server.shutdown();
  }
}

Deno.test("registerJobDefinition() puts every field of a definition on the wire", async () => {
  const input: JobDefinitionInput = {
    jobDefinitionName: "ezb-0123abcd",
    type: "container",
    platformCapabilities: ["FARGATE"],
    containerProperties: {
      image: "public.ecr.aws/docker/library/alpine:3.20",
      command: ["/bin/sh", "-c", "echo hi"],
      environment: [{ name: "A", value: "1" }],
      secrets: [{ name: "TOKEN", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:t" }],
      resourceRequirements: [{ type: "VCPU", value: "0.25" }, { type: "MEMORY", value: "512" }],
      jobRoleArn: "arn:aws:iam::123456789012:role/job",
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/g", "awslogs-stream-prefix": "ezb" } },
      fargatePlatformConfiguration: { platformVersion: "LATEST" },
      networkConfiguration: { assignPublicIp: "ENABLED" },
      ephemeralStorage: { sizeInGiB: 50 },
      runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
    },
    retryStrategy: {
      attempts: 3,
      evaluateOnExit: [{ onExitCode: "137", action: "RETRY" }, { onReason: "*", onStatusReason: "x*", action: "EXIT" }],
    },
    timeout: { attemptDurationSeconds: 7200 },
    tags: { workflow: "demo" },
    propagateTags: true,
    parameters: { p: "v" },
  };
  await withRecorder(
    { jobDefinitionName: "ezb-0123abcd", revision: 1, jobDefinitionArn: "arn:d:1" },
    async (b, bodies) => {
      assert.deepEqual(await b.registerJobDefinition(input), {
        jobDefinitionName: "ezb-0123abcd",
        revision: 1,
        jobDefinitionArn: "arn:d:1",
      });
      assert.equal(bodies[0]!.path, "/v1/registerjobdefinition");
      assert.deepEqual(bodies[0]!.json, input);
    },
  );
});

Deno.test("submitJob() puts dependencies, array size, overrides, retry, timeout and tags on the wire", async () => {
  const input: SubmitJobInput = {
    jobName: "demo-r1-train",
    jobQueue: "q",
    jobDefinition: "ezb-0123abcd:1",
    dependsOn: [{ jobId: "j0", type: "N_TO_N" }, { type: "SEQUENTIAL" }],
    arrayProperties: { size: 4 },
    containerOverrides: {
      command: ["python", "train.py"],
      environment: [{ name: "LR", value: "0.1" }],
      resourceRequirements: [{ type: "GPU", value: "1" }],
    },
    retryStrategy: { attempts: 2, evaluateOnExit: [{ onExitCode: "1", action: "EXIT" }] },
    timeout: { attemptDurationSeconds: 60 },
    tags: { workflow: "demo", run: "r1", job: "train" },
    propagateTags: true,
    parameters: { a: "b" },
  };
  await withRecorder({ jobId: "j1", jobName: "demo-r1-train", jobArn: "arn:j1" }, async (b, bodies) => {
    await b.submitJob(input);
    assert.equal(bodies[0]!.path, "/v1/submitjob");
    assert.deepEqual(bodies[0]!.json, input);
  });
});

Deno.test("createComputeEnvironment() and createJobQueue() put every field on the wire", async () => {
  const ce: ComputeEnvironmentInput = {
    computeEnvironmentName: "gpu",
    type: "MANAGED",
    state: "ENABLED",
    computeResources: {
      type: "SPOT",
      maxvCpus: 64,
      minvCpus: 0,
      desiredvCpus: 0,
      subnets: ["subnet-1"],
      securityGroupIds: ["sg-1"],
      instanceTypes: ["g4dn.xlarge"],
      instanceRole: "ecsInstanceRole",
      allocationStrategy: "SPOT_CAPACITY_OPTIMIZED",
      bidPercentage: 60,
      tags: { team: "ml" },
    },
    serviceRole: "arn:aws:iam::123456789012:role/batch",
    tags: { team: "ml" },
  };
  const queue: JobQueueInput = {
    jobQueueName: "gpu-queue",
    state: "ENABLED",
    priority: 10,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "gpu" }],
    jobStateTimeLimitActions: [{ reason: "Stuck", state: "RUNNABLE", maxTimeSeconds: 600, action: "CANCEL" }],
    tags: { team: "ml" },
  };
  await withRecorder({ computeEnvironmentArn: "arn:ce", jobQueueArn: "arn:q" }, async (b, bodies) => {
    await b.createComputeEnvironment(ce);
    await b.createJobQueue(queue);
    assert.deepEqual(bodies.map((x) => x.path), ["/v1/createcomputeenvironment", "/v1/createjobqueue"]);
    assert.deepEqual(bodies[0]!.json, ce);
    assert.deepEqual(bodies[1]!.json, queue);
  });
});

Deno.test("describeJobs() maps a real DescribeJobs answer, parsed by the SDK, to a JobDetail", async () => {
  const answer = {
    jobs: [{
      jobArn: "arn:aws:batch:us-east-1:123456789012:job/j1",
      jobName: "demo-r1-train",
      jobId: "j1",
      jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
      status: "FAILED",
      statusReason: "Essential container in task exited",
      attempts: [{
        container: { exitCode: 137, logStreamName: "ezb/default/a1", taskArn: "arn:t1", networkInterfaces: [] },
        startedAt: 1700000001000,
        stoppedAt: 1700000002000,
        statusReason: "OutOfMemoryError",
      }],
      createdAt: 1700000000000,
      startedAt: 1700000001000,
      stoppedAt: 1700000002000,
      dependsOn: [],
      jobDefinition: "arn:aws:batch:us-east-1:123456789012:job-definition/ezb-0123abcd:1",
      parameters: {},
      container: {
        image: "alpine",
        command: ["sh", "-c", "exit 137"],
        exitCode: 137,
        logStreamName: "ezb/default/a1",
        environment: [{ name: "A", value: "1" }],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/g" }, secretOptions: [] },
      },
      tags: { workflow: "demo" },
      platformCapabilities: ["FARGATE"],
      isCancelled: false,
      isTerminated: false,
    }],
  };
  await withRecorder(answer, async (b) => {
    const [job] = await b.describeJobs(["j1"]);
    assert.deepEqual(job, {
      jobId: "j1",
      jobName: "demo-r1-train",
      jobArn: "arn:aws:batch:us-east-1:123456789012:job/j1",
      jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
      status: "FAILED",
      statusReason: "Essential container in task exited",
      jobDefinition: "arn:aws:batch:us-east-1:123456789012:job-definition/ezb-0123abcd:1",
      createdAt: 1700000000000,
      startedAt: 1700000001000,
      stoppedAt: 1700000002000,
      dependsOn: [],
      tags: { workflow: "demo" },
      attempts: [{
        container: { exitCode: 137, logStreamName: "ezb/default/a1", taskArn: "arn:t1" },
        startedAt: 1700000001000,
        stoppedAt: 1700000002000,
        statusReason: "OutOfMemoryError",
      }],
      container: {
        image: "alpine",
        command: ["sh", "-c", "exit 137"],
        exitCode: 137,
        logStreamName: "ezb/default/a1",
        environment: [{ name: "A", value: "1" }],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/g" } },
      },
      isCancelled: false,
      isTerminated: false,
      platformCapabilities: ["FARGATE"],
    });
  });
});

Deno.test("getLogEvents() recognises CloudWatch Logs' ResourceNotFoundException as parsed by the SDK", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const { logStreamName } = JSON.parse(await request.text());
    if (logStreamName === "missing") {
      return new Response(
        JSON.stringify({ __type: "ResourceNotFoundException", message: "The specified log stream does not exist." }),
        { status: 400, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r1" } },
      );
    }
    return new Response(
      JSON.stringify({ events: [{ timestamp: 1, message: "hi", ingestionTime: 2 }], nextForwardToken: "f/1" }),
      { headers: { "content-type": "application/x-amz-json-1.1" } },
    );
  });
  const backend = new AwsBackend({
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
    maxAttempts: 1,
  });
  try {
    assert.deepEqual(await backend.getLogEvents({ group: "/g", stream: "missing" }), { events: [], exists: false });
    assert.deepEqual(await backend.getLogEvents({ group: "/g", stream: "s" }, { startFromHead: true }), {
      events: [{ timestamp: 1, message: "hi" }],
      nextForwardToken: "f/1",
      exists: true,
    });
  } finally {
    await backend.clients.destroy();
    await server.shutdown();
  }
});

Deno.test("toJobDetail() and toJobSummary() drop a start or stop time of 0 (AWS's never)", () => {
  const parent = toJobDetail({
    jobId: "p",
    jobName: "n",
    jobQueue: "q",
    jobDefinition: "d",
    status: "PENDING",
    createdAt: 5,
    startedAt: 0,
    stoppedAt: 0,
  } as never);
  assert.equal(parent.startedAt, undefined);
  assert.equal(parent.stoppedAt, undefined);
  assert.equal(parent.createdAt, 5);
  assert.equal(toJobSummary({ jobId: "p", jobName: "n", startedAt: 0 } as never).startedAt, undefined);
});
