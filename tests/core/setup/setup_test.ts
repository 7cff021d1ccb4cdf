import assert from "node:assert/strict";
import { applySetup, bucketNames, planSetup, SETUP_NAMES } from "../../../core/setup/setup.ts";
import { setupPlanRows } from "../../../core/setup/present.ts";
import { applyDestroy, explainDenied, nothingToDestroy, planDestroy } from "../../../core/setup/destroy.ts";
import { MemoryBackend } from "../../support/memory_backend.ts";
import { FakeAccount } from "./_fake_account.ts";

const done = () => Promise.resolve();
const noWait = { waitQueue: done, waitComputeEnvironment: done, sleep: done };

async function setUp(account: FakeAccount, backend: MemoryBackend, options = {}) {
  const plan = await planSetup(backend, account.clients(), options);
  const settings = await applySetup(backend, account.clients(), plan, { ...options, settle: done, sleep: done });
  return { plan, settings };
}

Deno.test("setup on an empty account plans every piece, then creates roles, group, environments and queue", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  const { plan, settings } = await setUp(account, backend);
  assert.deepEqual(plan.steps.map((s) => [s.kind, s.name, s.action]), [
    ["IAM role", "ezbatch-execution-role", "create"],
    ["IAM role", "ezbatch-job-role", "create"],
    ["subnets", "subnet-0a,subnet-0b", "exists"],
    ["security group", "ezbatch-egress-only", "create"],
    ["compute environment", "ezbatch-fargate", "create"],
    ["compute environment", "ezbatch-fargate-spot", "create"],
    ["job queue", "ezbatch-queue", "create"],
  ]);
  assert.deepEqual(plan.steps[0]!.policies, ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]);
  const execution = account.roles.get("ezbatch-execution-role")!;
  assert.equal(execution.service, "ecs-tasks.amazonaws.com");
  assert.equal(execution.path, "/ezbatch/");
  assert.deepEqual(execution.tags, [{ Key: "ezbatch:setup", Value: "true" }]);
  assert.deepEqual([...account.groups.values()][0]!.tags[0], { Key: "ezbatch:setup", Value: "true" });
  const spot = backend.computeEnvironments.get("ezbatch-fargate-spot")!;
  assert.equal(spot.computeResources!.type, "FARGATE_SPOT");
  assert.deepEqual(spot.computeResources!.subnets, ["subnet-0a", "subnet-0b"]);
  assert.deepEqual(spot.computeResources!.securityGroupIds, ["sg-01"]);
  assert.equal(spot.computeResources!.tags, undefined, "no instance tags on Fargate");
  assert.deepEqual(spot.tags, { "ezbatch:setup": "true" });
  const queue = backend.queues.get("ezbatch-queue")!;
  assert.deepEqual(queue.computeEnvironmentOrder.map((o) => o.computeEnvironment), [
    "ezbatch-fargate-spot",
    "ezbatch-fargate",
  ]);
  assert.deepEqual(settings, {
    subnets: ["subnet-0a", "subnet-0b"],
    assignPublicIp: true,
    queue: "ezbatch-queue",
    executionRoleArn: "arn:aws:iam::123456789012:role/ezbatch/ezbatch-execution-role",
    taskRoleArn: "arn:aws:iam::123456789012:role/ezbatch/ezbatch-job-role",
    securityGroupIds: ["sg-01"],
  });
});

Deno.test("setup is idempotent: a second run finds everything and creates nothing", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  const first = await setUp(account, backend, { ec2: true });
  account.calls = [];
  const second = await setUp(account, backend, { ec2: true });
  assert.ok(second.plan.steps.every((s) => s.action === "exists"), JSON.stringify(second.plan.steps));
  assert.deepEqual(account.calls.filter((c) => /^(Create|Attach|Add)/.test(c)), []);
  assert.deepEqual(second.settings, first.settings);
});

Deno.test("setup --ec2 adds the instance role, its profile, an EC2 environment and its own queue", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  const { settings } = await setUp(account, backend, { ec2: true });
  assert.equal(account.roles.get("ezbatch-instance-role")!.service, "ec2.amazonaws.com");
  assert.deepEqual(account.roles.get("ezbatch-instance-role")!.policies, [
    "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
  ]);
  assert.deepEqual(account.profiles.get("ezbatch-instance-profile")!.roles, ["ezbatch-instance-role"]);
  const ec2 = backend.computeEnvironments.get(SETUP_NAMES.ec2)!;
  assert.equal(ec2.computeResources!.instanceRole, "ezbatch-instance-profile");
  assert.deepEqual(ec2.computeResources!.instanceTypes, ["optimal"]);
  assert.deepEqual(backend.queues.get(SETUP_NAMES.ec2Queue)!.computeEnvironmentOrder.map((o) => o.computeEnvironment), [
    "ezbatch-ec2",
  ]);
  assert.equal(settings.instanceRole, "ezbatch-instance-profile");
});

Deno.test("setup --destroy removes exactly what setup tagged, and nothing of the same kind that it did not make", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  await setUp(account, backend, { gpu: true });
  // The user's own things, one of them even under setup's path but without its tag.
  account.roles.set("ecsTaskExecutionRole", {
    path: "/",
    tags: [],
    policies: ["p"],
    service: "ecs-tasks.amazonaws.com",
  });
  account.roles.set("ezbatch-mine", { path: "/ezbatch/", tags: [], policies: [], service: "ecs-tasks.amazonaws.com" });
  account.groups.set("sg-mine", { name: "mine", vpcId: "vpc-0default", tags: [] });
  await backend.createComputeEnvironment({
    computeEnvironmentName: "mine",
    type: "MANAGED",
    computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["s"], securityGroupIds: ["sg-mine"] },
  });
  const plan = await planDestroy(backend, account.clients());
  assert.deepEqual(plan, {
    queues: ["ezbatch-queue", "ezbatch-gpu-queue"],
    computeEnvironments: ["ezbatch-fargate", "ezbatch-fargate-spot", "ezbatch-gpu"],
    securityGroups: ["sg-01"],
    instanceProfiles: [{ name: "ezbatch-instance-profile", roles: ["ezbatch-instance-role"] }],
    roles: ["ezbatch-execution-role", "ezbatch-job-role", "ezbatch-instance-role"],
  });
  await applyDestroy(backend, account.clients(), plan, noWait);
  assert.deepEqual([...account.roles.keys()], ["ecsTaskExecutionRole", "ezbatch-mine"]);
  assert.deepEqual([...account.groups.keys()], ["sg-mine"]);
  assert.deepEqual([...account.profiles.keys()], []);
  assert.deepEqual([...backend.computeEnvironments.keys()], ["mine"]);
  assert.deepEqual([...backend.queues.keys()], []);
  assert.ok(nothingToDestroy(await planDestroy(backend, account.clients())));
});

Deno.test("setup names the IAM permission it lacks, and a second run after the grant resumes", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  account.denied.add("CreateRole");
  await assert.rejects(
    () => setUp(account, backend),
    /ezbatch setup lacks the permission iam:CreateRole\. Ask an administrator to grant it/,
  );
  account.denied.clear();
  await setUp(account, backend);
  assert.ok(backend.queues.has("ezbatch-queue"));
});

Deno.test("setup names a denied EC2 or Batch call as the permission", async () => {
  const account = new FakeAccount();
  account.denied.add("CreateSecurityGroup");
  await assert.rejects(() => setUp(account, new MemoryBackend()), /lacks the permission ec2:CreateSecurityGroup/);
  const { AwsCallError } = await import("../../../core/errors.ts");
  const batch = new AwsCallError(
    { service: "Batch", operation: "CreateComputeEnvironment", code: "AccessDeniedException" },
    "User is not authorized",
  );
  assert.match(String(explainDenied(batch)), /lacks the permission batch:CreateComputeEnvironment/);
});

Deno.test("setup without a default VPC says to pass subnets and security groups", async () => {
  const account = new FakeAccount();
  account.defaultVpc = undefined;
  await assert.rejects(() => planSetup(new MemoryBackend(), account.clients(), {}), /no default VPC.*--subnets/);
  const plan = await planSetup(new MemoryBackend(), account.clients(), { subnets: ["s-1"], securityGroups: ["sg-9"] });
  assert.deepEqual([plan.settings.subnets, plan.settings.securityGroupIds], [["s-1"], ["sg-9"]]);
  assert.ok(!plan.steps.some((s) => s.kind === "security group"));
});

Deno.test("setup --buckets gives the job role an inline policy limited to those buckets instead of AmazonS3FullAccess; destroy deletes it", async () => {
  const account = new FakeAccount();
  const backend = new MemoryBackend();
  const broad = await planSetup(backend, account.clients(), {});
  assert.deepEqual(broad.steps[1]!.policies, ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]);
  assert.match(broad.steps[1]!.note!, /every bucket \(--buckets limits it\)/);

  const { plan } = await setUp(account, backend, { buckets: ["my-data", "my-results"] });
  const step = plan.steps.find((s) => s.name === SETUP_NAMES.jobRole)!;
  assert.deepEqual(step.policies, []);
  assert.deepEqual(step.inlinePolicies!.map((p) => p.name), ["ezbatch-s3-buckets"]);
  assert.deepEqual(setupPlanRows(plan)[1], [
    "IAM role",
    "ezbatch-job-role",
    "create",
    "ezbatch-s3-buckets (inline) — the role jobs run as by default: S3 read/write on my-data, my-results only",
  ]);
  const role = account.roles.get("ezbatch-job-role")!;
  assert.deepEqual(role.policies, [], "no managed S3 policy");
  // The document IAM received (PutRolePolicy's PolicyDocument, a JSON string).
  assert.deepEqual(role.inline!.get("ezbatch-s3-buckets"), {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListBuckets",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: ["arn:aws:s3:::my-data", "arn:aws:s3:::my-results"],
      },
      {
        Sid: "ReadWriteObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
        Resource: ["arn:aws:s3:::my-data/*", "arn:aws:s3:::my-results/*"],
      },
    ],
  });
  // The execution role keeps its managed policy only.
  assert.equal(account.roles.get("ezbatch-execution-role")!.inline?.size ?? 0, 0);

  // Destroy deletes the inline policy first (IAM refuses to delete a role that has one).
  account.calls = [];
  await applyDestroy(backend, account.clients(), await planDestroy(backend, account.clients()), noWait);
  assert.deepEqual([...account.roles.keys()], []);
  assert.ok(account.calls.indexOf("DeleteRolePolicy") < account.calls.lastIndexOf("DeleteRole"));
  assert.ok(account.calls.includes("DeleteRolePolicy"));
});

Deno.test("bucketNames() takes names or s3:// URIs and refuses what S3 would", () => {
  assert.deepEqual(bucketNames(["s3://my-data/", "my-data", "logs.example.com"]), ["my-data", "logs.example.com"]);
  for (const bad of ["My_Bucket", "ab", "a..b", "192.168.1.1", "-start", "xn--punycode"]) {
    assert.throws(
      () => bucketNames([bad]),
      new RegExp(`--buckets: '${bad.replaceAll(".", "\\.")}' is not an S3 bucket name`),
    );
  }
});

Deno.test("setup names a missing iam:PutRolePolicy", async () => {
  const account = new FakeAccount();
  account.denied.add("PutRolePolicy");
  await assert.rejects(
    () => setUp(account, new MemoryBackend(), { buckets: ["my-data"] }),
    /ezbatch setup lacks the permission iam:PutRolePolicy/,
  );
});
