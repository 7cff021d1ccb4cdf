import assert from "node:assert/strict";
import { NotFoundError } from "../../../core/errors.ts";
import { globMatch, shouldRetry } from "../../../core/local/retry.ts";
import { define, waitDone, waitFor, withBackend } from "./_support.ts";

Deno.test("LocalBackend job definitions get revisions, are found by name, name:revision or ARN, and deregister", async () => {
  await withBackend({}, async (backend) => {
    const arn1 = await define(backend, "def", "echo one");
    const arn2 = await define(backend, "def", "echo two");
    assert.match(arn1, /job-definition\/def:1$/);
    assert.match(arn2, /job-definition\/def:2$/);
    assert.equal((await backend.describeJobDefinitions(["def"])).length, 2);
    assert.equal((await backend.describeJobDefinitions(["def:2"]))[0]?.containerProperties.command?.[2], "echo two");
    // A bare name submits the latest ACTIVE revision.
    const { jobId } = await backend.submitJob({ jobName: "latest", jobQueue: "q", jobDefinition: "def" });
    assert.equal((await backend.describeJobs([jobId]))[0]?.jobDefinition, arn2);
    await backend.deregisterJobDefinition(arn2);
    assert.deepEqual((await backend.describeJobDefinitions(["def"])).map((d) => d.revision), [1]);
    const inactive = await backend.listJobDefinitions({ status: "INACTIVE" });
    assert.deepEqual(inactive.definitions.map((d) => d.revision), [2]);
    await assert.rejects(backend.submitJob({ jobName: "x", jobQueue: "q", jobDefinition: "def:2" }), /INACTIVE/);
    await assert.rejects(backend.deregisterJobDefinition("def:9"), NotFoundError);
    await assert.rejects(backend.deregisterJobDefinition("def"), /'name:revision'/);
    const page1 = await backend.listJobDefinitions({}, { maxResults: 1 });
    assert.equal(page1.definitions.length, 1);
    const page2 = await backend.listJobDefinitions({}, { maxResults: 1, nextToken: page1.nextToken! });
    assert.equal(page2.definitions[0]?.revision, 2);
    assert.equal(page2.nextToken, undefined);
  });
});

Deno.test("LocalBackend queues: a default queue, unknown names auto-created, DISABLED refuses, delete rules", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "q", "true");
    assert.deepEqual((await backend.describeJobQueues()).jobQueues.map((q) => q.jobQueueName), ["ezbatch-local"]);
    await backend.submitJob({ jobName: "x", jobQueue: "arn:aws:batch:us-east-1:1:job-queue/prod", jobDefinition: "q" });
    const prod = (await backend.describeJobQueues(["prod"])).jobQueues[0]!;
    assert.equal(prod.state, "ENABLED");
    await backend.updateJobQueue("prod", { state: "DISABLED", priority: 5 });
    await assert.rejects(backend.submitJob({ jobName: "y", jobQueue: "prod", jobDefinition: "q" }), /DISABLED/);
    await backend.deleteJobQueue("prod");
    assert.deepEqual((await backend.describeJobQueues(["prod"])).jobQueues, []);
    await assert.rejects(backend.deleteJobQueue("ezbatch-local"), /must be DISABLED/);
    await assert.rejects(backend.updateJobQueue("ghost", { state: "ENABLED" }), NotFoundError);
  });
  await withBackend({ autoCreateQueues: false }, async (backend) => {
    await define(backend, "q", "true");
    await assert.rejects(
      backend.submitJob({ jobName: "x", jobQueue: "nope", jobDefinition: "q" }),
      /'nope' does not exist/,
    );
  });
});

Deno.test("LocalBackend compute environments: create, attach, DISABLED holds jobs in RUNNABLE, delete rules", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "ce", "true");
    const { arn } = await backend.createComputeEnvironment({
      computeEnvironmentName: "spare",
      type: "MANAGED",
      state: "ENABLED",
      computeResources: { type: "EC2", maxvCpus: 4, subnets: [] },
    });
    assert.match(arn, /compute-environment\/spare$/);
    await assert.rejects(
      backend.createComputeEnvironment({ computeEnvironmentName: "spare", type: "MANAGED" }),
      /already exists/,
    );
    await backend.createJobQueue({
      jobQueueName: "gated",
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: "spare" }],
    });
    await backend.updateComputeEnvironment("spare", { state: "DISABLED", maxvCpus: 8 });
    const held = await backend.submitJob({ jobName: "held", jobQueue: "gated", jobDefinition: "ce" });
    const [waiting] = await waitFor(backend, [held.jobId], ([j]) => j!.status === "RUNNABLE");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await backend.describeJobs([held.jobId]))[0]?.status, "RUNNABLE");
    assert.equal(waiting!.status, "RUNNABLE");
    assert.match((await backend.describeJobs([held.jobId]))[0]!.statusReason!, /No ENABLED compute environment/);
    await assert.rejects(backend.deleteComputeEnvironment("spare"), /used by queue 'gated'/);
    await backend.updateComputeEnvironment("spare", { state: "ENABLED" });
    assert.equal((await waitDone(backend, [held.jobId]))[0]?.status, "SUCCEEDED");
    const described = (await backend.describeComputeEnvironments(["spare"])).computeEnvironments[0]!;
    assert.equal(described.computeResources?.maxvCpus, 8);
    await backend.updateJobQueue("gated", { state: "DISABLED" });
    await backend.deleteJobQueue("gated");
    await backend.updateComputeEnvironment("spare", { state: "DISABLED" });
    await backend.deleteComputeEnvironment("spare");
    assert.deepEqual((await backend.describeComputeEnvironments(["spare"])).computeEnvironments, []);
  });
});

Deno.test("LocalBackend.listJobs() lists RUNNING by default, one status, a JOB_NAME prefix filter, and pages", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "short", "true");
    await define(backend, "long", "sleep 30");
    const done: string[] = [];
    for (const name of ["train-a", "train-b", "report"]) {
      done.push((await backend.submitJob({ jobName: name, jobQueue: "lq", jobDefinition: "short" })).jobId);
    }
    const long = await backend.submitJob({ jobName: "long", jobQueue: "lq", jobDefinition: "long" });
    await waitDone(backend, done);
    await waitFor(backend, [long.jobId], ([j]) => j!.status === "RUNNING");
    assert.deepEqual((await backend.listJobs({ jobQueue: "lq" })).jobs.map((j) => j.jobName), ["long"]);
    const succeeded = await backend.listJobs({ jobQueue: "lq", jobStatus: "SUCCEEDED" });
    assert.deepEqual(succeeded.jobs.map((j) => j.jobName), ["report", "train-b", "train-a"]);
    const byName = await backend.listJobs({ jobQueue: "lq", filter: { name: "JOB_NAME", values: ["TRAIN*"] } });
    assert.deepEqual(byName.jobs.map((j) => j.jobName).sort(), ["train-a", "train-b"]);
    const first = await backend.listJobs({ jobQueue: "lq", jobStatus: "SUCCEEDED" }, { maxResults: 2 });
    assert.equal(first.jobs.length, 2);
    const rest = await backend.listJobs({ jobQueue: "lq", jobStatus: "SUCCEEDED" }, { nextToken: first.nextToken! });
    assert.deepEqual(rest.jobs.map((j) => j.jobName), ["train-a"]);
    const byDef = await backend.listJobs({ jobQueue: "lq", filter: { name: "JOB_DEFINITION", values: ["long"] } });
    assert.deepEqual(byDef.jobs.map((j) => j.jobName), ["long"]);
    await assert.rejects(backend.listJobs({}), /exactly one of jobQueue and arrayJobId/);
    await backend.terminateJob(long.jobId, "done with it");
    await waitDone(backend, [long.jobId]);
  });
});

Deno.test("LocalBackend.getLogEvents() pages forward with tokens and reports missing streams", async () => {
  await withBackend({}, async (backend) => {
    await define(backend, "lines", "for i in 1 2 3 4 5; do echo line $i; done");
    const { jobId } = await backend.submitJob({ jobName: "lines", jobQueue: "q", jobDefinition: "lines" });
    const [job] = await waitDone(backend, [jobId]);
    const location = { group: "/aws/batch/job", stream: job!.container!.logStreamName! };
    const head = await backend.getLogEvents(location, { startFromHead: true, limit: 2 });
    assert.deepEqual(head.events.map((e) => e.message), ["line 1", "line 2"]);
    const next = await backend.getLogEvents(location, { nextToken: head.nextForwardToken! });
    assert.deepEqual(next.events.map((e) => e.message), ["line 3", "line 4", "line 5"]);
    const idle = await backend.getLogEvents(location, { nextToken: next.nextForwardToken! });
    assert.deepEqual(idle.events, []);
    assert.equal(idle.nextForwardToken, next.nextForwardToken);
    const tail = await backend.getLogEvents(location, { limit: 1 });
    assert.deepEqual(tail.events.map((e) => e.message), ["line 5"]);
    assert.deepEqual(await backend.getLogEvents({ group: "/aws/batch/job", stream: "nope" }), {
      events: [],
      exists: false,
    });
  });
});

Deno.test("LocalBackend jobs see the AWS_BATCH_* variables, the definition environment and overrides", async () => {
  await withBackend({}, async (backend) => {
    await define(
      backend,
      "env",
      'echo "$AWS_BATCH_JOB_ATTEMPT|$AWS_BATCH_JQ_NAME|$AWS_BATCH_CE_NAME|$A|$B|${AWS_BATCH_JOB_ARRAY_INDEX-unset}"',
      {
        containerProperties: {
          image: "alpine",
          command: [
            "/bin/sh",
            "-c",
            'echo "$AWS_BATCH_JOB_ATTEMPT|$AWS_BATCH_JQ_NAME|$AWS_BATCH_CE_NAME|$A|$B|${AWS_BATCH_JOB_ARRAY_INDEX-unset}"',
          ],
          environment: [{ name: "A", value: "from-def" }, { name: "B", value: "from-def" }],
        },
      },
    );
    const { jobId } = await backend.submitJob({
      jobName: "env",
      jobQueue: "envq",
      jobDefinition: "env",
      containerOverrides: { environment: [{ name: "B", value: "override" }] },
    });
    const [job] = await waitDone(backend, [jobId]);
    const page = await backend.getLogEvents({ group: "/aws/batch/job", stream: job!.container!.logStreamName! }, {
      startFromHead: true,
    });
    assert.deepEqual(page.events.map((e) => e.message), ["1|envq|ezbatch-local|from-def|override|unset"]);
    await assert.rejects(
      backend.submitJob({
        jobName: "bad",
        jobQueue: "q",
        jobDefinition: "env",
        containerOverrides: { environment: [{ name: "AWS_BATCH_JOB_ID", value: "x" }] },
      }),
      /reserved prefix AWS_BATCH_/,
    );
  });
});

Deno.test("globMatch() and shouldRetry() follow the AWS retry rules", () => {
  assert.ok(globMatch("137", "137"));
  assert.ok(globMatch("1*", "137"));
  assert.ok(!globMatch("13", "137"));
  assert.ok(globMatch("*", ""));
  assert.ok(!globMatch("1*", undefined));
  assert.equal(shouldRetry(undefined, 1, { exitCode: 1 }), false);
  assert.equal(shouldRetry({ attempts: 2 }, 1, { exitCode: 1 }), true);
  assert.equal(shouldRetry({ attempts: 2 }, 2, { exitCode: 1 }), false);
  const rules = {
    attempts: 3,
    evaluateOnExit: [
      { onReason: "CannotStart*", action: "EXIT" as const },
      { onExitCode: "137", action: "RETRY" as const },
      { onExitCode: "*", action: "EXIT" as const },
    ],
  };
  assert.equal(shouldRetry(rules, 1, { exitCode: 137 }), true);
  assert.equal(shouldRetry(rules, 1, { exitCode: 1 }), false);
  assert.equal(shouldRetry(rules, 1, { reason: "CannotStartContainerError: x" }), false);
  assert.equal(
    shouldRetry({ attempts: 3, evaluateOnExit: [{ onExitCode: "2", action: "EXIT" }] }, 1, { exitCode: 1 }),
    true,
  );
});
