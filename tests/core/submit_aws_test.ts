import assert from "node:assert/strict";
import {
  BatchClient,
  ClientException,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  mockClient,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from "../support/deps.ts";
import { SubmissionError } from "../../core/errors.ts";
import { AwsBackend } from "../../core/aws/aws_backend.ts";
import { planWorkflow } from "../../core/plan.ts";
import { submitWorkflow } from "../../core/submit.ts";
import { job, ROLES, runTags, shapedTags, workflow } from "./_jobs.ts";
import { describedJobQueue } from "../support/aws_shapes.ts";

const ARN = "arn:aws:batch:us-east-1:123456789012";

function setup() {
  const client = new BatchClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  const batch = mockClient(client);
  batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [queue("q", "ENABLED")] as never });
  return { batch, backend: new AwsBackend({ inject: { batch: client } }) };
}

/** A queue as DescribeJobQueues answers. */
const queue = (jobQueueName: string, state: "ENABLED" | "DISABLED") =>
  describedJobQueue({
    jobQueueName,
    state,
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "ce" }],
  });

const wf = workflow(
  {
    prep: job({ command: "echo prep", vcpus: 0.5, memory: 1024, environment: { STAGE: "prep" }, tags: { team: "x" } }),
    train: job({
      image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.4",
      command: ["python", "train.py"],
      platform: "EC2",
      vcpus: 4,
      memory: 16384,
      gpus: 1,
      timeout: 3600,
      retry: { attempts: 3, evaluate_on_exit: [{ on_exit_code: "137", action: "RETRY" }] },
    }),
  },
  { train: ["prep"] },
  { name: "mini" },
);

/** The SubmitJob request of the workflow's 'train' job with `definition`. */
const train = (jobDefinition: string) => ({
  jobName: "mini-r1-train",
  jobQueue: "q",
  jobDefinition,
  dependsOn: [{ jobId: "id-mini-r1-prep" }],
  containerOverrides: {
    command: ["python", "train.py"],
    resourceRequirements: [
      { type: "VCPU", value: "4" },
      { type: "MEMORY", value: "16384" },
      { type: "GPU", value: "1" },
    ],
  },
  retryStrategy: { attempts: 3, evaluateOnExit: [{ action: "RETRY", onExitCode: "137" }] },
  timeout: { attemptDurationSeconds: 3600 },
  tags: runTags("mini", "r1", "train", 2),
  propagateTags: true,
});

Deno.test("submitWorkflow() over AwsBackend sends exactly these Batch requests for a two-job workflow", async () => {
  const { batch, backend } = setup();
  const plan = planWorkflow(wf, { ...ROLES, runId: "r1" });
  const [fargate, ec2] = plan.definitions.map((d) => d.input);
  // The Fargate definition has an ACTIVE revision; the EC2 one has none yet.
  batch.on(RegisterJobDefinitionCommand).resolves({
    jobDefinitionName: ec2!.jobDefinitionName,
    revision: 1,
    jobDefinitionArn: `${ARN}:job-definition/${ec2!.jobDefinitionName}:1`,
  });
  batch.on(SubmitJobCommand).callsFake((input: { jobName: string }) => ({
    jobId: `id-${input.jobName}`,
    jobName: input.jobName,
    jobArn: `${ARN}:job/id-${input.jobName}`,
  }));
  batch.on(SubmitJobCommand, { jobDefinition: ec2!.jobDefinitionName }).rejects(
    new ClientException({
      message: `JobDefinition name ${ec2!.jobDefinitionName} does not exist or is not in ACTIVE status`,
      $metadata: { requestId: "req-1", httpStatusCode: 400 },
    }),
  );

  const run = await submitWorkflow(backend, plan, {});
  assert.deepEqual(run.jobs, { prep: "id-mini-r1-prep", train: "id-mini-r1-train" });

  assert.equal(batch.commandCalls(DescribeJobDefinitionsCommand).length, 0, "no lookup before submitting");
  const registers = batch.commandCalls(RegisterJobDefinitionCommand).map((c) => c.args[0].input);
  assert.deepEqual(registers, [{
    jobDefinitionName: ec2!.jobDefinitionName,
    type: "container",
    platformCapabilities: ["EC2"],
    containerProperties: {
      image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.4",
      resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "2048" }],
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": "/aws/batch/job", "awslogs-stream-prefix": "ezbatch" },
      },
      executionRoleArn: ROLES.executionRoleArn,
      jobRoleArn: ROLES.jobRoleArn,
    },
    propagateTags: true,
  }]);
  const submits = batch.commandCalls(SubmitJobCommand).map((c) => ({
    ...c.args[0].input,
    tags: shapedTags(c.args[0].input.tags),
  }));
  assert.deepEqual(submits, [
    {
      jobName: "mini-r1-prep",
      jobQueue: "q",
      jobDefinition: fargate!.jobDefinitionName,
      containerOverrides: {
        command: ["/bin/sh", "-c", "echo prep"],
        environment: [{ name: "STAGE", value: "prep" }],
        resourceRequirements: [{ type: "VCPU", value: "0.5" }, { type: "MEMORY", value: "1024" }],
      },
      tags: { team: "x", ...runTags("mini", "r1", "prep", 2) },
      propagateTags: true,
    },
    // By name first: refused, as the EC2 definition has no ACTIVE revision; then with the new revision.
    train(ec2!.jobDefinitionName),
    train(`${ec2!.jobDefinitionName}:1`),
  ]);
  assert.deepEqual(batch.commandCalls(DescribeJobQueuesCommand).map((c) => c.args[0].input), [{ jobQueues: ["q"] }]);
  assert.equal(batch.calls().length, 1 + registers.length + submits.length, "one look at the queue, nothing else");
  assert.deepEqual(run.definitions, {
    registered: [`${ec2!.jobDefinitionName}:1`],
    reused: [fargate!.jobDefinitionName],
  });
});

Deno.test("submitWorkflow() over AwsBackend terminates the submitted job when the next SubmitJob is refused", async () => {
  const { batch, backend } = setup();
  batch.on(RegisterJobDefinitionCommand).callsFake((input: { jobDefinitionName: string }) => ({
    jobDefinitionName: input.jobDefinitionName,
    revision: 1,
    jobDefinitionArn: `${ARN}:job-definition/${input.jobDefinitionName}:1`,
  }));
  batch.on(SubmitJobCommand, { jobName: "mini-r1-prep" }).resolves({ jobId: "id-prep", jobName: "mini-r1-prep" });
  batch.on(SubmitJobCommand, { jobName: "mini-r1-train" }).rejects(
    new ClientException({ message: "Job queue is disabled", $metadata: { requestId: "req-9", httpStatusCode: 400 } }),
  );
  batch.on(TerminateJobCommand).resolves({});
  const error = await submitWorkflow(backend, wf, { ...ROLES, runId: "r1" }).catch((e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.deepEqual(batch.commandCalls(TerminateJobCommand).map((c) => c.args[0].input), [{
    jobId: "id-prep",
    reason:
      "ezbatch: submission of run 'r1' failed: Batch SubmitJob failed: ClientException: Job queue is disabled (request id req-9)",
  }]);
  assert.deepEqual(error.terminated, [{ job: "prep", jobId: "id-prep" }]);
  assert.match(error.message, /request id req-9/);
});

Deno.test("submitWorkflow() submits nothing when a later job's queue is DISABLED or missing, and names them", async () => {
  const { batch, backend } = setup();
  batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [queue("q", "ENABLED"), queue("off", "DISABLED")] as never,
  });
  const three = workflow(
    { a: job(), b: job({ queue: "off" }), c: job({ queue: "nowhere" }) },
    { b: ["a"], c: ["b"] },
    { name: "mini" },
  );
  const error = await submitWorkflow(backend, three, { ...ROLES, runId: "r1" }).catch((e) => e);
  assert.ok(error instanceof SubmissionError, String(error));
  assert.equal(batch.commandCalls(SubmitJobCommand).length, 0);
  assert.equal(batch.commandCalls(RegisterJobDefinitionCommand).length, 0);
  assert.deepEqual(error.submitted, []);
  assert.match(
    error.message,
    /Job queue 'off' \(of job 'b'\) is DISABLED: enable it with 'ezbatch job-queue enable off'; Job queue 'nowhere' \(of job 'c'\) does not exist/,
  );
  assert.match(error.message, /No job was submitted/);
});
