import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { NotFoundError } from "../../core/errors.ts";
import { run } from "./_run.ts";
import { SlowInfraBackend } from "./_slow_infra.ts";

async function envs(backend: MemoryBackend, ...specs: [string, "FARGATE" | "EC2"][]) {
  for (const [name, type] of specs) {
    await backend.createComputeEnvironment({
      computeEnvironmentName: name,
      type: "MANAGED",
      state: "ENABLED",
      computeResources: { type, maxvCpus: 8, subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
    });
    backend.computeEnvironments.get(name)!.status = "VALID";
  }
}

Deno.test("job-queue create sends the environments in order, priority, stuck-job action and tags", async () => {
  const backend = new MemoryBackend();
  await envs(backend, ["spot", "FARGATE"], ["ondemand", "FARGATE"]);
  const r = await run([
    "job-queue",
    "create",
    "q",
    "--compute-environments",
    "spot,ondemand",
    "--priority",
    "10",
    "--stuck-after",
    "2h",
    "--tag",
    "team=x",
  ], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "arn:aws:batch:us-east-1:123456789012:job-queue/q\n");
  const { jobQueueArn: _, status: __, ...sent } = backend.queues.get("q")!;
  assert.deepEqual(sent, {
    jobQueueName: "q",
    state: "ENABLED",
    priority: 10,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "spot" }, { order: 2, computeEnvironment: "ondemand" }],
    jobStateTimeLimitActions: [
      { reason: "Stuck in RUNNABLE for more than 2h", state: "RUNNABLE", maxTimeSeconds: 7200, action: "CANCEL" },
    ],
    tags: { team: "x" },
  });
});

Deno.test("job-queue create refuses bad input before creating anything", async () => {
  const usage: [string[], RegExp][] = [
    [["queue", "create", "q"], /required option '--compute-environments <names>' not specified/],
    [["queue", "create", "q", "--compute-environments", "a,b,c,d"], /1 to 3 compute environments, in order; got 4/],
    [["queue", "create", "q", "--compute-environments", "a,a"], /names one environment twice/],
    [["queue", "create", "q", "--compute-environments", "a", "--priority", "-1"], /from 0 to 1000/],
    [["queue", "create", "q", "--compute-environments", "a", "--stuck-after", "5m"], /from 10m to 24h/],
    [["queue", "create", "q!", "--compute-environments", "a"], /Job queue name 'q!' is not valid/],
  ];
  for (const [args, pattern] of usage) {
    const backend = new MemoryBackend();
    await envs(backend, ["a", "FARGATE"]);
    const r = await run(args, { backend });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(backend.calls.createJobQueue, undefined);
  }
  const backend = new MemoryBackend();
  await envs(backend, ["fg", "FARGATE"], ["ec2", "EC2"]);
  const mixed = await run(["queue", "create", "q", "--compute-environments", "fg,ec2"], { backend });
  assert.equal(mixed.code, 1);
  assert.equal(mixed.stderr, "error: A job queue cannot mix Fargate and EC2/SPOT compute environments: fg, ec2\n");
  const unknown = await run(["queue", "create", "q", "--compute-environments", "nope"], { backend });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Compute environment 'nope' does not exist/);
  assert.equal(backend.calls.createJobQueue, undefined);
});

Deno.test("job-queue create waits for its environments and itself to be VALID", async () => {
  const backend = new SlowInfraBackend(2);
  await backend.createComputeEnvironment({
    computeEnvironmentName: "fg",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["s"] },
  });
  const r = await run(["queue", "create", "q", "--compute-environments", "fg"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(backend.computeEnvironments.get("fg")!.status, "VALID");
  assert.equal(backend.queues.get("q")!.status, "VALID");
});

Deno.test("job-queue list prints every page as the exact table and as JSON", async () => {
  const backend = new MemoryBackend();
  await envs(backend, ["a", "FARGATE"], ["b", "FARGATE"]);
  await backend.createJobQueue({
    jobQueueName: "high",
    state: "ENABLED",
    priority: 100,
    computeEnvironmentOrder: [
      { order: 2, computeEnvironment: "arn:aws:batch:us-east-1:123456789012:compute-environment/b" },
      { order: 1, computeEnvironment: "a" },
    ],
  });
  await backend.createJobQueue({
    jobQueueName: "low",
    state: "DISABLED",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "a" }],
  });
  const r = await run(["job-queue", "list"], { backend });
  assert.equal(
    r.stdout,
    "NAME  STATE     STATUS  PRIORITY  COMPUTE ENVIRONMENTS\n" +
      "high  ENABLED   VALID   100       a, b\n" +
      "low   DISABLED  VALID   1         a\n",
  );
  const json = JSON.parse((await run(["job-queue", "list", "--json"], { backend })).stdout);
  assert.deepEqual(json[0], {
    name: "high",
    arn: "arn:aws:batch:us-east-1:123456789012:job-queue/high",
    state: "ENABLED",
    status: "VALID",
    priority: 100,
    computeEnvironments: ["a", "b"],
  });
  const many = new MemoryBackend();
  for (let i = 0; i < 205; i++) {
    await many.createJobQueue({ jobQueueName: `q${i}`, priority: 1, computeEnvironmentOrder: [] });
  }
  const all = await run(["job-queue", "list", "--json"], { backend: many });
  assert.equal(JSON.parse(all.stdout).length, 205);
  assert.equal(many.calls.describeJobQueues, 3);
});

Deno.test("job-queue describe shows the status and reason of each compute environment", async () => {
  const backend = new MemoryBackend();
  await envs(backend, ["a", "FARGATE"]);
  Object.assign(backend.computeEnvironments.get("a")!, { status: "INVALID", statusReason: "subnet gone" });
  await backend.createJobQueue({
    jobQueueName: "q",
    state: "ENABLED",
    priority: 5,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "a" }, { order: 2, computeEnvironment: "gone" }],
    jobStateTimeLimitActions: [{ reason: "stuck", state: "RUNNABLE", maxTimeSeconds: 600, action: "CANCEL" }],
  });
  const r = await run(["job-queue", "describe", "q"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "Name:       q",
      "ARN:        arn:aws:batch:us-east-1:123456789012:job-queue/q",
      "State:      ENABLED",
      "Status:     VALID",
      "Priority:   5",
      "Stuck jobs: CANCEL after 600 s in RUNNABLE",
      "",
      "ORDER  COMPUTE ENVIRONMENT  STATE    STATUS   REASON",
      "1      a                    ENABLED  INVALID  subnet gone",
      "2      gone                 -        MISSING  -",
      "",
    ].join("\n"),
  );
  const missing = await run(["job-queue", "describe", "nope"], { backend });
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    "error: Job queue 'nope' does not exist; 'ezbatch job-queue list' shows the ones there are\n",
  );
});

Deno.test("job-queue delete disables first, waits, deletes and waits until it is gone", async () => {
  const backend = new SlowInfraBackend(1);
  await backend.createJobQueue({ jobQueueName: "q", state: "ENABLED", priority: 1, computeEnvironmentOrder: [] });
  backend.queues.get("q")!.status = "VALID";
  backend.order.length = 0;
  const r = await run(["job-queue", "delete", "q"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "q deleted\n");
  assert.deepEqual(backend.order, [`updateJobQueue q {"state":"DISABLED"}`, "deleteJobQueue q"]);
  const again = await run(["job-queue", "delete", "q"], { backend });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /Job queue 'q' does not exist/);
});

Deno.test("job-queue enable, disable and toggle flip the state; a failing call is one line and exit 1", async () => {
  const backend = new MemoryBackend();
  await backend.createJobQueue({ jobQueueName: "q", state: "ENABLED", priority: 1, computeEnvironmentOrder: [] });
  assert.equal((await run(["queue", "disable", "q"], { backend })).stdout, "q DISABLED\n");
  assert.equal((await run(["queue", "toggle", "q"], { backend })).stdout, "q ENABLED\n");
  assert.equal(backend.queues.get("q")!.state, "ENABLED");
  const failing = new MemoryBackend({
    fault: (op) => op === "updateJobQueue" ? new NotFoundError("Job queue 'q' does not exist") : undefined,
  });
  await failing.createJobQueue({ jobQueueName: "q", state: "ENABLED", priority: 1, computeEnvironmentOrder: [] });
  const r = await run(["queue", "disable", "q"], { backend: failing });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "error: Job queue 'q' does not exist\n");
});

Deno.test("job-queue delete refuses while the queue has unfinished jobs, counting them by state, unless --force", async () => {
  const backend = new MemoryBackend();
  await backend.createJobQueue({ jobQueueName: "q", state: "ENABLED", priority: 1, computeEnvironmentOrder: [] });
  const ids: string[] = [];
  for (const status of ["RUNNING", "RUNNING", "PENDING", "SUCCEEDED"] as const) {
    const { jobId } = await backend.submitJob({ jobName: `j${ids.length}`, jobQueue: "q", jobDefinition: "d:1" });
    backend.setJobStatus(jobId, status);
    ids.push(jobId);
  }
  const refused = await run(["job-queue", "delete", "q"], { backend });
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    "error: Job queue 'q' still has 3 unfinished jobs (2 RUNNING, 1 PENDING): deleting it terminates them. Let " +
      "them finish or stop them (ezbatch jobs list -q q), or pass --force to delete it anyway\n",
  );
  assert.equal(backend.calls.updateJobQueue, undefined, "not even disabled");
  assert.equal(backend.jobs.get(ids[0]!)!.status, "RUNNING");
  const forced = await run(["job-queue", "delete", "q", "--force"], { backend });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(
    forced.stderr,
    /warning: Deleting job queue 'q' terminates its 3 unfinished jobs \(2 RUNNING, 1 PENDING\)/,
  );
  assert.equal(backend.queues.has("q"), false);
});
