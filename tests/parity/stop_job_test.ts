/** Stopping a job: the CLI, the interactive mode (and its "CLI:" line) and the monitor send the same request. */
import assert from "node:assert/strict";
import { stopJobByState } from "../../tui/monitor/stop.ts";
import {
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  TerminateJobCommand,
} from "../support/deps.ts";
import { KEY } from "../tui/_terminal.ts";
import { cli, cliArgs, interactive, mockAccount } from "./_faces.ts";

const JOB = { jobId: "id-7", jobName: "train", status: "RUNNING", jobQueue: "q", createdAt: 1, jobDefinition: "d:1" };

function account() {
  const a = mockAccount();
  a.batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [{
      jobQueueName: "q",
      jobQueueArn: "arn:q",
      state: "ENABLED",
      status: "VALID",
      priority: 1,
      computeEnvironmentOrder: [],
    }],
  });
  a.batch.on(ListJobsCommand).callsFake((input) => ({
    jobSummaryList: input.jobStatus === "RUNNING"
      ? [{ jobId: JOB.jobId, jobName: JOB.jobName, status: "RUNNING" }]
      : [],
  }));
  a.batch.on(DescribeJobsCommand).resolves({ jobs: [JOB] as never });
  a.batch.on(TerminateJobCommand).resolves({});
  return a;
}

Deno.test("stop a job: CLI, interactive, its CLI line and the monitor send the same TerminateJob for a RUNNING job", async () => {
  const face = account();
  const { term, done } = interactive(face.backend, {});
  await term.expect("What would you like to do?");
  await term.pick(1);
  await term.pick(4);
  await term.expect("Job");
  await term.type(KEY.enter);
  await term.expect("Terminate job 'train' (RUNNING)?");
  await term.type("y", KEY.enter);
  await term.expect("Terminated job 'train' (was RUNNING)");
  await term.expect("CLI: ezbatch jobs stop id-7");
  await term.expect("Jobs");
  await term.pick(5);
  await term.pick(6);
  await done;

  const line = account();
  const r = await cli(cliArgs(term.text), line.backend, {});
  assert.equal(r.code, 0, r.stderr);
  const direct = account();
  assert.equal((await cli(["jobs", "stop", "id-7"], direct.backend, {})).code, 0);
  const monitor = account();
  await stopJobByState(monitor.backend, { jobId: "id-7", jobName: "train", action: "terminate" });
  const expected = [["TerminateJob", { jobId: "id-7", reason: "Stopped by ezbatch" }]];
  assert.deepEqual(face.changes(), expected);
  assert.deepEqual(line.changes(), expected);
  assert.deepEqual(direct.changes(), expected);
  assert.deepEqual(monitor.changes(), expected);
});
