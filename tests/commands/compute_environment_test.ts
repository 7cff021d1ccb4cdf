import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { AwsCallError } from "../../core/errors.ts";
import { run } from "./_run.ts";
import { SlowInfraBackend } from "./_slow_infra.ts";
import { batchArn } from "../support/aws_shapes.ts";

const NET = ["--subnets", "subnet-1,subnet-2", "--security-groups", "sg-1"];

async function withEnvs(backend: MemoryBackend, ...names: string[]) {
  for (const name of names) {
    await backend.createComputeEnvironment({
      computeEnvironmentName: name,
      type: "MANAGED",
      state: "ENABLED",
      computeResources: { type: "FARGATE", maxvCpus: 8, subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
    });
  }
}

Deno.test("compute-environment create sends a Fargate environment without EC2-only fields and prints its ARN", async () => {
  const backend = new MemoryBackend();
  const r = await run(["compute-environment", "create", "fg", ...NET, "--tag", "team=a=b", "--max-vcpus", "32"], {
    backend,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "arn:aws:batch:us-east-1:123456789012:compute-environment/fg\n");
  assert.equal(r.stderr, "");
  const { computeEnvironmentArn: _, status: __, ...sent } = backend.computeEnvironments.get("fg")!;
  assert.deepEqual(sent, {
    computeEnvironmentName: "fg",
    type: "MANAGED",
    state: "ENABLED",
    computeResources: { type: "FARGATE", maxvCpus: 32, subnets: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] },
    tags: { team: "a=b" },
  });
});

Deno.test("compute-environment create takes subnets, security groups, max vCPUs and roles from the settings", async () => {
  const backend = new MemoryBackend();
  const r = await run(["ce", "create", "ec2", "--type", "ec2"], {
    backend,
    settings: {
      subnets: ["subnet-9"],
      securityGroupIds: ["sg-9"],
      maxvCpus: 64,
      instanceRole: "ecsInstanceRole",
      serviceRole: "arn:aws:iam::123456789012:role/batch",
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const ce = backend.computeEnvironments.get("ec2")!;
  assert.deepEqual(ce.computeResources, {
    type: "EC2",
    maxvCpus: 64,
    minvCpus: 0,
    subnets: ["subnet-9"],
    securityGroupIds: ["sg-9"],
    instanceRole: "ecsInstanceRole",
    instanceTypes: ["optimal"],
  });
  assert.equal(ce.serviceRole, "arn:aws:iam::123456789012:role/batch");
});

Deno.test("compute-environment create sends SPOT settings and instance tags", async () => {
  const backend = new MemoryBackend();
  const r = await run([
    "ce",
    "create",
    "spot",
    ...NET,
    "--type",
    "SPOT",
    "--instance-role",
    "arn:aws:iam::123456789012:instance-profile/ecs",
    "--instance-types",
    "g5,p4d",
    "--allocation-strategy",
    "spot_price_capacity_optimized",
    "--bid-percentage",
    "60",
    "--instance-tag",
    "Name=worker",
    "--min-vcpus",
    "2",
  ], { backend });
  assert.equal(r.code, 0, r.stderr);
  const res = backend.computeEnvironments.get("spot")!.computeResources!;
  assert.equal(res.allocationStrategy, "SPOT_PRICE_CAPACITY_OPTIMIZED");
  assert.equal(res.bidPercentage, 60);
  assert.deepEqual(res.instanceTypes, ["g5", "p4d"]);
  assert.deepEqual(res.tags, { Name: "worker" });
  assert.equal(res.minvCpus, 2);
});

Deno.test("compute-environment create refuses bad input with one line and exit 2, before any call", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["ce", "create", "x", ...NET, "--type", "EC2", "--instance-role", "arn:aws:iam::123456789012:role/ecs"],
      /role ARN/,
    ],
    [["ce", "create", "x", ...NET, "--type", "EC2"], /need an instance profile/],
    [["ce", "create", "x", ...NET, "--allocation-strategy", "BEST_FIT"], /EC2 and SPOT environments only/],
    [["ce", "create", "x", ...NET, "--instance-tag", "a=b"], /--instance-tag apply to EC2 and SPOT/],
    [["ce", "create", "x", ...NET, "--type", "EC2", "--instance-role", "r", "--bid-percentage", "5"], /SPOT.* only/],
    [["ce", "create", "x", "--security-groups", "sg-1"], /No subnets given/],
    [["ce", "create", "x", "--subnets", "s"], /No security groups given/],
    [["ce", "create", "bad name", ...NET], /name 'bad name' is not valid/],
    [["ce", "create", "x", ...NET, "--type", "LAMBDA"], /Expected one of FARGATE, FARGATE_SPOT, EC2, SPOT/],
    [["ce", "create", "x", ...NET, "--max-vcpus", "many"], /Expected a whole number/],
    [["ce", "create", "x", ...NET, "--tag", "novalue"], /Expected key=value/],
    [["ce", "create", "x", ...NET, "--timeout", "soon"], /Expected a duration/],
    [["ce", "create"], /missing required argument 'name'/],
  ];
  for (const [args, pattern] of cases) {
    const backend = new MemoryBackend();
    const r = await run(args, { backend });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.match(r.stderr, /^error: /);
    assert.equal(r.stderr.trim().split("\n").length, 2, r.stderr); // the message and the hint
    assert.match(r.stderr, /Run 'ezbatch compute-environment create --help' for usage\./);
    assert.equal(r.stdout, "");
    assert.equal(backend.calls.createComputeEnvironment, undefined);
  }
});

Deno.test("compute-environment create waits for VALID, and fails on INVALID or when the timeout passes", async () => {
  const slow = new SlowInfraBackend(3);
  const ok = await run(["ce", "create", "fg", ...NET], { backend: slow });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(slow.computeEnvironments.get("fg")!.status, "VALID");
  assert.ok(slow.calls.describeComputeEnvironments! >= 4);

  const noWait = new SlowInfraBackend(3);
  const nw = await run(["ce", "create", "fg", ...NET, "--no-wait"], { backend: noWait });
  assert.equal(nw.code, 0);
  assert.equal(noWait.calls.describeComputeEnvironments, undefined);

  const bad = new SlowInfraBackend(1);
  bad.invalid.set("fg", "CLIENT_ERROR - subnet-1 does not exist");
  const inv = await run(["ce", "create", "fg", ...NET], { backend: bad });
  assert.equal(inv.code, 1);
  assert.equal(
    inv.stderr,
    "error: Gave up waiting for compute environment 'fg' to become VALID: it is INVALID: CLIENT_ERROR - subnet-1 " +
      "does not exist\n",
  );

  const stuck = new SlowInfraBackend(1);
  stuck.stuck.add("fg");
  const late = await run(["ce", "create", "fg", ...NET, "--timeout", "30s"], { backend: stuck });
  assert.equal(late.code, 1);
  assert.match(late.stderr, /^error: Timed out after 30s waiting for compute environment 'fg' to become VALID/);
  assert.match(late.stderr, /still ENABLED\/CREATING/);
});

Deno.test("compute-environment create shows progress only when stderr is a terminal", async () => {
  const chunks: string[] = [];
  const r = await run(["ce", "create", "fg", ...NET], {
    backend: new SlowInfraBackend(2),
    stderr: { isTTY: true, write: (s) => void chunks.push(s) },
  });
  assert.equal(r.code, 0);
  const text = chunks.join("");
  assert.match(text, /Created compute environment 'fg'\./);
  assert.match(text, /Waiting for compute environment 'fg' to become VALID: ENABLED\/CREATING/);
});

Deno.test("compute-environment list reads every page and prints the exact table and JSON", async () => {
  const backend = new MemoryBackend();
  await withEnvs(backend, "alpha", "beta-env");
  backend.computeEnvironments.get("beta-env")!.state = "DISABLED";
  const table = await run(["ce", "list"], { backend });
  assert.equal(table.code, 0);
  assert.equal(
    table.stdout,
    "NAME      TYPE     STATE     STATUS  MAX VCPUS\n" +
      "alpha     FARGATE  ENABLED   VALID   8\n" +
      "beta-env  FARGATE  DISABLED  VALID   8\n",
  );
  const json = await run(["ce", "list", "--json"], { backend });
  assert.deepEqual(JSON.parse(json.stdout)[0], {
    name: "alpha",
    arn: "arn:aws:batch:us-east-1:123456789012:compute-environment/alpha",
    type: "FARGATE",
    state: "ENABLED",
    status: "VALID",
    maxvCpus: 8,
  });

  const many = new MemoryBackend();
  await withEnvs(many, ...Array.from({ length: 250 }, (_, i) => `env-${i}`));
  const before = many.calls.describeComputeEnvironments ?? 0;
  const all = await run(["ce", "list", "--json"], { backend: many });
  assert.equal(JSON.parse(all.stdout).length, 250);
  assert.equal(many.calls.describeComputeEnvironments! - before, 3);

  const none = await run(["ce", "list"], { backend: new MemoryBackend() });
  assert.equal(none.stdout, "No compute environments.\n");
});

Deno.test("compute-environment list reports throttling as one line with a hint and exit 1", async () => {
  const backend = new MemoryBackend({
    fault: (op) =>
      op === "describeComputeEnvironments"
        ? new AwsCallError(
          { service: "Batch", operation: "DescribeComputeEnvironments", code: "TooManyRequestsException" },
          "Too Many Requests",
        )
        : undefined,
  });
  const r = await run(["ce", "list"], { backend });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "error: Batch DescribeComputeEnvironments failed: Too Many Requests\n" +
      "AWS is throttling requests: wait a moment and try again.\n",
  );
  const verbose = await run(["ce", "list", "--verbose"], { backend });
  assert.match(verbose.stderr, /AwsCallError: Batch DescribeComputeEnvironments failed[^\n]*\n\s+at /);
});

Deno.test("compute-environment describe shows the environment and its queues, or says it does not exist", async () => {
  const backend = new MemoryBackend();
  await withEnvs(backend, "fg");
  await backend.createJobQueue({
    jobQueueName: "q",
    priority: 1,
    computeEnvironmentOrder: [{
      order: 1,
      computeEnvironment: backend.computeEnvironments.get("fg")!.computeEnvironmentArn,
    }],
  });
  const r = await run(["ce", "describe", "fg"], { backend });
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      "Name:            fg",
      "ARN:             arn:aws:batch:us-east-1:123456789012:compute-environment/fg",
      "Type:            FARGATE",
      "State:           ENABLED",
      "Status:          VALID",
      "Max vCPUs:       8",
      "Subnets:         subnet-1",
      "Security groups: sg-1",
      "Used by queues:  q",
      "",
    ].join("\n"),
  );
  const json = await run(["ce", "describe", "fg", "--json"], { backend });
  assert.deepEqual(JSON.parse(json.stdout).usedBy, ["q"]);
  const missing = await run(["ce", "describe", "nope"], { backend });
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    "error: Compute environment 'nope' does not exist; 'ezbatch compute-environment list' shows the ones there are\n",
  );
});

Deno.test("compute-environment enable, disable and toggle change the state and wait for it", async () => {
  const backend = new SlowInfraBackend(1);
  await withEnvs(backend, "fg");
  backend.computeEnvironments.get("fg")!.status = "VALID";
  const off = await run(["ce", "disable", "fg"], { backend });
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.stdout, "fg DISABLED\n");
  assert.equal(backend.computeEnvironments.get("fg")!.status, "VALID");
  const toggled = await run(["ce", "toggle", "fg", "--json"], { backend });
  assert.deepEqual(JSON.parse(toggled.stdout), { name: "fg", state: "ENABLED" });
  const updates = backend.order.filter((o) => o.startsWith("update")).length;
  const again = await run(["ce", "enable", "fg"], { backend });
  assert.equal(again.stdout, "fg ENABLED\n");
  assert.equal(backend.order.filter((o) => o.startsWith("update")).length, updates);
  const missing = await run(["ce", "toggle", "nope"], { backend });
  assert.equal(missing.code, 1);
});

Deno.test("compute-environment delete disables first and refuses while a queue uses it unless --force", async () => {
  const backend = new SlowInfraBackend(1);
  await withEnvs(backend, "a", "b", "c");
  for (const ce of backend.computeEnvironments.values()) ce.status = "VALID";
  await backend.createJobQueue({
    jobQueueName: "two",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "a" }, { order: 2, computeEnvironment: "b" }],
  });
  await backend.createJobQueue({
    jobQueueName: "only-c",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "c" }],
  });
  backend.order.length = 0;

  const refused = await run(["ce", "delete", "a"], { backend });
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    "error: Compute environment 'a' is used by job queue 'two': delete or change those queues first, or pass " +
      "--force to detach it from them\n",
  );
  assert.deepEqual(backend.order, []);

  const onlyOne = await run(["ce", "delete", "c", "--force"], { backend });
  assert.equal(onlyOne.code, 1);
  assert.match(onlyOne.stderr, /is the only one of job queue 'only-c'/);
  assert.deepEqual(backend.order, []);

  const forced = await run(["ce", "delete", "a", "--force"], { backend });
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.stdout, "a deleted\n");
  assert.deepEqual(backend.order, [
    // The ARN DescribeJobQueues returned, not a name.
    `updateJobQueue two {"computeEnvironmentOrder":[{"order":1,"computeEnvironment":"${
      batchArn("compute-environment", "b")
    }"}]}`,
    `updateComputeEnvironment a {"state":"DISABLED"}`,
    "deleteComputeEnvironment a",
  ]);
  assert.equal(backend.computeEnvironments.has("a"), false);

  backend.computeEnvironments.get("b")!.state = "DISABLED";
  backend.queues.delete("two");
  backend.order.length = 0;
  const plain = await run(["ce", "delete", "b"], { backend });
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(backend.order, ["deleteComputeEnvironment b"]);
});

Deno.test("compute-environment delete counts the unfinished jobs of the queues that use it", async () => {
  const backend = new MemoryBackend();
  await withEnvs(backend, "a", "b");
  await backend.createJobQueue({
    jobQueueName: "busy",
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: "a" }, { order: 2, computeEnvironment: "b" }],
  });
  const { jobId } = await backend.submitJob({ jobName: "j", jobQueue: "busy", jobDefinition: "d:1" });
  backend.setJobStatus(jobId, "RUNNING");
  const refused = await run(["ce", "delete", "a"], { backend });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /used by job queue 'busy' \(queue 'busy' has 1 RUNNING job\)/);
  assert.match(refused.stderr, /its STARTING and RUNNING jobs are terminated/);
  const forced = await run(["ce", "delete", "a", "--force", "--no-wait"], { backend });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /warning: Deleting compute environment 'a' terminates the jobs running on it/);
});
