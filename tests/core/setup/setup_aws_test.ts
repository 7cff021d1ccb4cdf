/**
 * `ezbatch setup` through the real AwsBackend against AWS-shaped fakes of IAM, EC2 (tests/core/setup/_fake_account.ts)
 * and Batch (tests/core/setup/_fake_batch.ts): the Batch requests have the API Reference's shapes and obey its
 * Fargate rules, a second run sends no create call, and --destroy deletes only what carries setup's tag.
 */
import assert from "node:assert/strict";
import { FakeAccount } from "./_fake_account.ts";
import { fakeAwsBackend, FakeBatch } from "./_fake_batch.ts";
import { shapeErrors } from "../../support/batch_request_shapes.ts";
import { run } from "../../commands/_run.ts";

async function withConfig(body: (env: Record<string, string>) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await body({ EZBATCH_CONFIG_PATH: `${dir}/ezbatch.toml` });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const TAG = { "ezbatch:setup": "true" };

Deno.test("setup over AwsBackend: Fargate environments and a Spot-first queue in the API Reference's shapes, idempotent", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const batch = new FakeBatch();
    const r = await run(["setup", "--yes"], { backend: fakeAwsBackend(account, batch), env });
    assert.equal(r.code, 0, r.stderr);
    const ces = batch.inputs("CreateComputeEnvironment");
    for (const c of ces) assert.deepEqual(shapeErrors(c, "CreateComputeEnvironment"), []);
    assert.deepEqual(ces, [
      {
        computeEnvironmentName: "ezbatch-fargate",
        type: "MANAGED",
        state: "ENABLED",
        computeResources: {
          type: "FARGATE",
          maxvCpus: 16,
          subnets: ["subnet-0a", "subnet-0b"],
          securityGroupIds: ["sg-01"],
        },
        tags: TAG,
      },
      {
        computeEnvironmentName: "ezbatch-fargate-spot",
        type: "MANAGED",
        state: "ENABLED",
        computeResources: {
          type: "FARGATE_SPOT",
          maxvCpus: 16,
          subnets: ["subnet-0a", "subnet-0b"],
          securityGroupIds: ["sg-01"],
        },
        tags: TAG,
      },
    ]);
    const [queue] = batch.inputs("CreateJobQueue");
    assert.deepEqual(shapeErrors(queue, "CreateJobQueue"), []);
    assert.deepEqual(queue!.computeEnvironmentOrder, [
      { order: 1, computeEnvironment: "ezbatch-fargate-spot" },
      { order: 2, computeEnvironment: "ezbatch-fargate" },
    ]);
    assert.deepEqual(queue!.tags, TAG);

    batch.requests = [];
    account.calls = [];
    const again = await run(["setup"], { backend: fakeAwsBackend(account, batch), env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(batch.requests.map((q) => q.operation).filter((o) => !o.startsWith("Describe")), []);
    assert.deepEqual(account.calls.filter((c) => !/^(Get|Describe|List)/.test(c)), []);
  });
});

Deno.test("setup --ec2 over AwsBackend: the EC2 environment gets the instance profile, instance types and instance tags", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const batch = new FakeBatch();
    const r = await run(["setup", "--ec2", "--yes"], { backend: fakeAwsBackend(account, batch), env });
    assert.equal(r.code, 0, r.stderr);
    const ec2 = batch.inputs("CreateComputeEnvironment").find((c) => c.computeEnvironmentName === "ezbatch-ec2")!;
    assert.deepEqual(shapeErrors(ec2, "CreateComputeEnvironment"), []);
    const resources = ec2.computeResources as Record<string, unknown>;
    assert.equal(resources.type, "EC2");
    assert.equal(resources.instanceRole, "ezbatch-instance-profile");
    assert.deepEqual(resources.instanceTypes, ["optimal"]);
    assert.deepEqual(resources.tags, TAG);
    assert.deepEqual(account.profiles.get("ezbatch-instance-profile")!.roles, ["ezbatch-instance-role"]);
    const q = batch.inputs("CreateJobQueue").find((x) => x.jobQueueName === "ezbatch-ec2-queue")!;
    assert.deepEqual(q.computeEnvironmentOrder, [{ order: 1, computeEnvironment: "ezbatch-ec2" }]);
  });
});

Deno.test("setup --destroy over AwsBackend: disables, then deletes only tagged queues and environments, in AWS's order", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const batch = new FakeBatch();
    assert.equal((await run(["setup", "--yes"], { backend: fakeAwsBackend(account, batch), env })).code, 0);
    // The user's own environment and queue, untagged.
    const backend = fakeAwsBackend(account, batch);
    await backend.createComputeEnvironment({
      computeEnvironmentName: "mine",
      type: "MANAGED",
      computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["subnet-0a"], securityGroupIds: ["sg-mine"] },
    });
    await backend.createJobQueue({
      jobQueueName: "my-queue",
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: "mine" }],
    });
    batch.requests = [];
    const r = await run(["setup", "--destroy", "--yes"], { backend: fakeAwsBackend(account, batch), env });
    assert.equal(r.code, 0, r.stderr);
    const changes = batch.requests.filter((q) => !q.operation.startsWith("Describe"));
    assert.deepEqual(changes.map((q) => `${q.operation} ${q.input.jobQueue ?? q.input.computeEnvironment}`), [
      "UpdateJobQueue ezbatch-queue",
      "DeleteJobQueue ezbatch-queue",
      "UpdateComputeEnvironment ezbatch-fargate",
      "DeleteComputeEnvironment ezbatch-fargate",
      "UpdateComputeEnvironment ezbatch-fargate-spot",
      "DeleteComputeEnvironment ezbatch-fargate-spot",
    ]);
    assert.deepEqual([...batch.environments.keys()], ["mine"]);
    assert.deepEqual([...batch.queues.keys()], ["my-queue"]);
    assert.deepEqual([...account.roles.keys()], []);
    assert.deepEqual([...account.groups.keys()], []);
  });
});

Deno.test("setup over AwsBackend names a denied Batch call as the permission", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const batch = new FakeBatch();
    batch.denied.add("CreateComputeEnvironment");
    const r = await run(["setup", "--yes"], { backend: fakeAwsBackend(account, batch), env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ezbatch setup lacks the permission batch:CreateComputeEnvironment/);
  });
});
