/** The AWS requests a CLI command sends, against aws-sdk-client-mock fakes of Batch and STS. */
import assert from "node:assert/strict";
import {
  BatchClient,
  ClientException,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  GetCallerIdentityCommand,
  mockClient,
  RegisterJobDefinitionCommand,
  STSClient,
  SubmitJobCommand,
} from "../support/deps.ts";
import { AwsBackend } from "../../core/aws/aws_backend.ts";
import { describedJobQueue } from "../support/aws_shapes.ts";
import { run } from "./_run.ts";

const settings = { executionRoleArn: "arn:aws:iam::123456789012:role/exec" };

function mockedAws() {
  const client = new BatchClient({ region: "us-east-1" });
  const sts = new STSClient({ region: "us-east-1" });
  const batch = mockClient(client);
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
  batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [describedJobQueue({ jobQueueName: "q", priority: 1, computeEnvironmentOrder: [] }) as never],
  });
  batch.on(RegisterJobDefinitionCommand).callsFake((input: { jobDefinitionName: string }) => ({
    jobDefinitionName: input.jobDefinitionName,
    jobDefinitionArn: `arn:aws:batch:us-east-1:123456789012:job-definition/${input.jobDefinitionName}:1`,
    revision: 1,
  }));
  let n = 0;
  batch.on(SubmitJobCommand).callsFake((input: { jobName: string; jobDefinition: string }) => {
    // A workflow submits by definition name first and registers on AWS's "does not exist" answer.
    if (!input.jobDefinition.includes(":")) {
      throw new ClientException({
        message: `JobDefinition name ${input.jobDefinition} does not exist or is not in ACTIVE status`,
        $metadata: { requestId: "req-1", httpStatusCode: 400 },
      });
    }
    return {
      jobId: `00000000-0000-0000-0000-00000000000${++n}`,
      jobName: input.jobName,
      jobArn: `arn:aws:batch:us-east-1:123456789012:job/${n}`,
    };
  });
  return { backend: new AwsBackend({ inject: { batch: client, sts } }), batch };
}

/** The parts of SubmitJob a job's content decides (not its name, queue, tags or retry wording). */
export function submitContent(input: Record<string, unknown>) {
  const { containerOverrides, nodeOverrides, schedulingPriorityOverride, shareIdentifier, jobDefinition } = input;
  return { containerOverrides, nodeOverrides, schedulingPriorityOverride, shareIdentifier, jobDefinition };
}

export async function sentBy(args: string[], files: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, text);
    const { backend, batch } = mockedAws();
    const r = await run(args.map((a) => a.replace("$DIR", dir)), { backend, settings });
    assert.equal(r.code, 0, r.stderr);
    return {
      register: batch.commandCalls(RegisterJobDefinitionCommand).map((c) => c.args[0].input),
      submit: batch.commandCalls(SubmitJobCommand).map((c) => c.args[0].input as unknown as Record<string, unknown>)
        .filter((input) => String(input.jobDefinition).includes(":")),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
