import assert from "node:assert/strict";
import {
  BatchClient,
  CancelJobCommand,
  ClientException,
  CloudWatchLogsClient,
  DescribeJobsCommand,
  GetLogEventsCommand,
  ListJobsCommand,
  mockClient,
  ResourceNotFoundException,
  SubmitJobCommand,
  TerminateJobCommand,
} from "../../support/deps.ts";
import { AwsBackend } from "../../../core/aws/aws_backend.ts";
import { isThrottlingError } from "../../../core/aws/errors.ts";
import { AwsCallError, NotFoundError } from "../../../core/errors.ts";

/** A backend over fresh, per-test mocked clients (instance mocks, so parallel tests do not interfere). */
function setup() {
  const batchClient = new BatchClient({ region: "us-east-1" });
  const logsClient = new CloudWatchLogsClient({ region: "us-east-1" });
  const batch = mockClient(batchClient);
  const logs = mockClient(logsClient);
  const backend = new AwsBackend({ inject: { batch: batchClient, logs: logsClient } });
  return { backend, batch, logs };
}

const meta = (requestId: string) => ({ $metadata: { requestId, httpStatusCode: 400 } });

function sdkJob(id: string, extra: Record<string, unknown> = {}): never {
  return {
    jobId: id,
    jobName: `job-${id}`,
    jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
    status: "RUNNING",
    jobDefinition: "arn:aws:batch:us-east-1:123456789012:job-definition/d:1",
    startedAt: 1_700_000_000_000,
    ...extra,
  } as never;
}

Deno.test("AwsBackend.describeJobs() sends 250 ids as 100, 100 and 50 and returns them in the order asked", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({
    // AWS answers in its own order and leaves unknown ids out.
    jobs: input.jobs.filter((id) => id !== "id-7").reverse().map((id) => sdkJob(id)),
  }));
  const ids = Array.from({ length: 250 }, (_, i) => `id-${i}`);
  const jobs = await backend.describeJobs([...ids, "id-3"]);
  const calls = batch.commandCalls(DescribeJobsCommand).map((c) => c.args[0].input.jobs ?? []);
  // Two calls go at once, so they may reach AWS in either order.
  assert.deepEqual(calls.map((c) => c.length).sort(), [100, 100, 50].sort());
  const byNumber = (a: string, b: string) => Number(a.slice(3)) - Number(b.slice(3));
  assert.deepEqual(calls.flat().sort(byNumber), ids, "each id asked once");
  assert.deepEqual(jobs.map((j) => j.jobId), ids.filter((id) => id !== "id-7"));
  assert.deepEqual(jobs[0], {
    jobId: "id-0",
    jobName: "job-id-0",
    jobQueue: "arn:aws:batch:us-east-1:123456789012:job-queue/q",
    status: "RUNNING",
    jobDefinition: "arn:aws:batch:us-east-1:123456789012:job-definition/d:1",
    startedAt: 1_700_000_000_000,
  });
  assert.deepEqual(await backend.describeJobs([]), []);
  assert.equal(batch.commandCalls(DescribeJobsCommand).length, 3, "no call for no ids");
});

Deno.test("AwsBackend.describeJobs() keeps two DescribeJobs of 100 ids in flight", async () => {
  const { backend, batch } = setup();
  let inFlight = 0;
  let most = 0;
  batch.on(DescribeJobsCommand).callsFake(async (input: { jobs: string[] }) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 10));
    inFlight--;
    return { jobs: input.jobs.map((id) => sdkJob(id)) };
  });
  const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
  const jobs = await backend.describeJobs(ids);
  assert.equal(batch.commandCalls(DescribeJobsCommand).length, 10);
  assert.equal(most, 2);
  assert.deepEqual(jobs.map((j) => j.jobId), ids, "in the order asked, whatever order the answers came in");
});

Deno.test("AwsBackend.describeJobs() keeps both log shapes: containerProperties attempts and ecsProperties containers", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobsCommand).resolves({
    jobs: [
      sdkJob("c", {
        container: {
          image: "alpine",
          logStreamName: "d/default/2",
          logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/custom" } },
          networkInterfaces: [],
        },
        attempts: [{ container: { logStreamName: "d/default/1", exitCode: 1 }, startedAt: 5, stoppedAt: 6 }],
        arrayProperties: { statusSummary: { RUNNING: 1 }, size: 2 },
      }),
      sdkJob("e", {
        ecsProperties: {
          taskProperties: [{ containers: [{ name: "main", logStreamName: "e/main/abc", exitCode: 0 }] }],
        },
      }),
    ],
  });
  const [c, e] = await backend.describeJobs(["c", "e"]);
  assert.deepEqual(c!.container, {
    image: "alpine",
    logStreamName: "d/default/2",
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/custom" } },
  });
  assert.deepEqual(c!.attempts, [{
    container: { logStreamName: "d/default/1", exitCode: 1 },
    startedAt: 5,
    stoppedAt: 6,
  }]);
  assert.deepEqual(c!.arrayProperties, { size: 2, statusSummary: { RUNNING: 1 } });
  assert.deepEqual(e!.ecsProperties, {
    taskProperties: [{ containers: [{ name: "main", logStreamName: "e/main/abc", exitCode: 0 }] }],
  });
});

Deno.test("AwsBackend.listJobs() passes queue, status, filter and token, clamps the page size, and maps the page", async () => {
  const { backend, batch } = setup();
  batch.on(ListJobsCommand).resolves({
    jobSummaryList: [{ jobId: "a", jobName: "n", status: "FAILED", createdAt: 10, container: { exitCode: 2 } }],
    nextToken: "t2",
  });
  const page = await backend.listJobs({ jobQueue: "q", jobStatus: "FAILED" }, { nextToken: "t1", maxResults: 5000 });
  assert.deepEqual(page, {
    jobs: [{ jobId: "a", jobName: "n", status: "FAILED", createdAt: 10, container: { exitCode: 2 } }],
    nextToken: "t2",
  });
  await backend.listJobs(
    { jobQueue: "q", jobStatus: "RUNNING", filter: { name: "JOB_NAME", values: ["wf-*"] } },
    { maxResults: 1000 },
  );
  await backend.listJobs({ arrayJobId: "parent" });
  assert.deepEqual(batch.commandCalls(ListJobsCommand).map((c) => c.args[0].input), [
    { jobQueue: "q", jobStatus: "FAILED", nextToken: "t1", maxResults: 1000 },
    { jobQueue: "q", filters: [{ name: "JOB_NAME", values: ["wf-*"] }], maxResults: 100 },
    { arrayJobId: "parent" },
  ]);
});

Deno.test("AwsBackend.submitJob(), cancelJob() and terminateJob() send exactly the given input", async () => {
  const { backend, batch } = setup();
  batch.on(SubmitJobCommand).resolves({ jobId: "j1", jobName: "wf-r-a", jobArn: "arn:j1" });
  batch.on(CancelJobCommand).resolves({});
  batch.on(TerminateJobCommand).resolves({});
  const input = {
    jobName: "wf-r-a",
    jobQueue: "q",
    jobDefinition: "d:3",
    dependsOn: [{ jobId: "j0", type: "N_TO_N" as const }],
    arrayProperties: { size: 4 },
    containerOverrides: { command: ["sh", "-c", "echo hi"], environment: [{ name: "A", value: "1" }] },
    tags: { workflow: "wf" },
    propagateTags: true,
  };
  assert.deepEqual(await backend.submitJob(input), { jobId: "j1", jobName: "wf-r-a", jobArn: "arn:j1" });
  await backend.cancelJob("j1", "Stopped by ezbatch");
  await backend.terminateJob("j2", "Stopped by ezbatch");
  assert.deepEqual(batch.commandCalls(SubmitJobCommand)[0]!.args[0].input, input);
  assert.deepEqual(batch.commandCalls(CancelJobCommand)[0]!.args[0].input, {
    jobId: "j1",
    reason: "Stopped by ezbatch",
  });
  assert.deepEqual(batch.commandCalls(TerminateJobCommand)[0]!.args[0].input, {
    jobId: "j2",
    reason: "Stopped by ezbatch",
  });
});

Deno.test("AwsBackend.terminateJob() turns AWS's 'not found' into NotFoundError with the AwsCallError as cause", async () => {
  const { backend, batch } = setup();
  batch.on(TerminateJobCommand).rejects(new ClientException({ message: "Job nope not found", ...meta("r-404") }));
  await assert.rejects(backend.terminateJob("nope", "x"), (error: unknown) => {
    assert.ok(error instanceof NotFoundError);
    assert.match(error.message, /^Job 'nope' was not found \(Batch TerminateJob: Job nope not found\)$/);
    assert.ok(error.cause instanceof AwsCallError);
    assert.equal(error.cause.requestId, "r-404");
    return true;
  });
});

Deno.test("AwsBackend surfaces throttling and other failures as AwsCallError with service, operation, code and id", async () => {
  const { backend, batch } = setup();
  const throttled = Object.assign(new Error("Rate exceeded"), {
    name: "TooManyRequestsException",
    ...meta("r-429"),
  });
  batch.on(SubmitJobCommand).rejects(throttled);
  batch.on(CancelJobCommand).rejects(new ClientException({ message: "reason too long", ...meta("r-1") }));
  await assert.rejects(
    backend.submitJob({ jobName: "a", jobQueue: "q", jobDefinition: "d" }),
    (error: unknown) => {
      assert.ok(error instanceof AwsCallError);
      assert.deepEqual([error.service, error.operation, error.code, error.requestId], [
        "Batch",
        "SubmitJob",
        "TooManyRequestsException",
        "r-429",
      ]);
      assert.equal(error.cause, throttled);
      assert.ok(isThrottlingError(error));
      return true;
    },
  );
  await assert.rejects(backend.cancelJob("j", "x"), (error: unknown) => {
    assert.ok(error instanceof AwsCallError && !(error instanceof NotFoundError));
    assert.equal(error.message, "Batch CancelJob failed: ClientException: reason too long (request id r-1)");
    assert.equal(isThrottlingError(error), false);
    return true;
  });
});

Deno.test("AwsBackend.getLogEvents() maps events and tokens, and a missing stream to exists: false", async () => {
  const { backend, logs } = setup();
  logs.on(GetLogEventsCommand, { logStreamName: "s1" }).resolves({
    events: [{ timestamp: 1, message: "hello", ingestionTime: 2 }],
    nextForwardToken: "f/2",
    nextBackwardToken: "b/1",
  });
  logs.on(GetLogEventsCommand, { logStreamName: "missing" }).rejects(
    new ResourceNotFoundException({ message: "The specified log stream does not exist.", ...meta("r") }),
  );
  logs.on(GetLogEventsCommand, { logStreamName: "denied" }).rejects(
    Object.assign(new Error("not allowed"), { name: "AccessDeniedException", ...meta("r-403") }),
  );
  const page = await backend.getLogEvents(
    { group: "/aws/batch/job", stream: "s1" },
    { startFromHead: true, nextToken: "f/1", limit: 50 },
  );
  assert.deepEqual(page, { events: [{ timestamp: 1, message: "hello" }], nextForwardToken: "f/2", exists: true });
  assert.deepEqual(logs.commandCalls(GetLogEventsCommand)[0]!.args[0].input, {
    logGroupName: "/aws/batch/job",
    logStreamName: "s1",
    nextToken: "f/1",
    startFromHead: true,
    limit: 50,
  });
  assert.deepEqual(await backend.getLogEvents({ group: "/aws/batch/job", stream: "missing" }), {
    events: [],
    exists: false,
  });
  await assert.rejects(backend.getLogEvents({ group: "/g", stream: "denied" }), (error: unknown) => {
    assert.ok(error instanceof AwsCallError);
    assert.equal(error.service, "CloudWatchLogs");
    assert.equal(error.code, "AccessDeniedException");
    return true;
  });
});

Deno.test("AwsBackend stops before calling AWS when the signal is already aborted", async () => {
  const { backend, batch } = setup();
  batch.on(DescribeJobsCommand).resolves({ jobs: [] });
  const controller = new AbortController();
  controller.abort(new Error("user pressed q"));
  await assert.rejects(backend.describeJobs(["a"], { signal: controller.signal }), /user pressed q/);
  assert.equal(batch.commandCalls(DescribeJobsCommand).length, 0);
});
