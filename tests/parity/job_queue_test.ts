/** Creating a job queue: the interactive mode and its "CLI:" line send the same request after the same checks. */
import assert from "node:assert/strict";
import {
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
} from "../support/deps.ts";
import { KEY } from "../tui/_terminal.ts";
import { cli, cliArgs, interactive, mockAccount } from "./_faces.ts";

const ENVS = [
  {
    computeEnvironmentName: "fg",
    computeEnvironmentArn: "arn:ce/fg",
    state: "ENABLED",
    status: "VALID",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: [] },
  },
  {
    computeEnvironmentName: "spot",
    computeEnvironmentArn: "arn:ce/spot",
    state: "ENABLED",
    status: "VALID",
    computeResources: { type: "SPOT", maxvCpus: 4, subnets: [] },
  },
];

function account() {
  const a = mockAccount();
  a.batch.on(DescribeComputeEnvironmentsCommand).callsFake((input) => ({
    computeEnvironments: ENVS.filter((e) =>
      !input.computeEnvironments?.length || input.computeEnvironments.includes(e.computeEnvironmentName)
    ),
  }));
  a.batch.on(DescribeJobQueuesCommand).callsFake((input) => ({
    jobQueues: input.jobQueues?.length
      ? [{
        jobQueueName: "work",
        jobQueueArn: "arn:q/work",
        state: "ENABLED",
        status: "VALID",
        priority: 5,
        computeEnvironmentOrder: [],
      }]
      : [],
  }));
  a.batch.on(CreateJobQueueCommand).resolves({ jobQueueName: "work", jobQueueArn: "arn:q/work" });
  return a;
}

Deno.test("create a job queue: interactive and its CLI line send the same CreateJobQueue, and both refuse mixing kinds", async () => {
  const face = account();
  const { term, done } = interactive(face.backend, {});
  await term.expect("What would you like to do?");
  await term.pick(0);
  await term.pick(2);
  await term.expect("Name of the job queue");
  await term.type("work", KEY.enter);
  await term.expect("Priority");
  await term.type(KEY.backspace, "5", KEY.enter);
  await term.expect("Compute environments");
  await term.type(KEY.space, KEY.down, KEY.space, KEY.enter);
  await term.expect("A job queue cannot mix Fargate and EC2/SPOT compute environments: fg, spot");
  await term.expect("Compute environments");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Create job queue 'work'?");
  await term.type("y", KEY.enter);
  await term.expect("Created job queue 'work'.");
  await term.expect("CLI: ezbatch");
  await term.expect("Infrastructure");
  await term.pick(5);
  await term.pick(6);
  await done;

  const line = account();
  const r = await cli(cliArgs(term.text), line.backend, {});
  assert.equal(r.code, 0, r.stderr);
  const expected = [["CreateJobQueue", {
    jobQueueName: "work",
    state: "ENABLED",
    priority: 5,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "fg" }],
  }]];
  assert.deepEqual(face.changes(), expected);
  assert.deepEqual(line.changes(), expected);
  const mixed = await cli(["job-queue", "create", "work", "--compute-environments", "fg,spot"], account().backend, {});
  assert.equal(mixed.code, 1);
  assert.match(mixed.stderr, /A job queue cannot mix Fargate and EC2\/SPOT compute environments: fg, spot/);
});
