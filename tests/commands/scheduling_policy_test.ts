/**
 * `ezbatch scheduling-policy create|list|describe|delete` and `job-queue create --scheduling-policy`, through the
 * real AwsBackend over mocked Batch clients answering in the shapes of tests/support/aws_shapes.ts.
 */
import assert from "node:assert/strict";
import {
  ClientException,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DeleteSchedulingPolicyCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeSchedulingPoliciesCommand,
  ListSchedulingPoliciesCommand,
} from "../support/deps.ts";
import {
  createdSchedulingPolicy,
  describedComputeEnvironment,
  describedJobQueue,
  describedSchedulingPolicy,
  listedSchedulingPolicies,
  schedulingPolicyArn,
} from "../support/aws_shapes.ts";
import { mockAccount } from "../parity/_faces.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";

const FAIR = describedSchedulingPolicy("fair", {
  shareDecaySeconds: 3600,
  computeReservation: 10,
  shareDistribution: [{ shareIdentifier: "teamA", weightFactor: 1 }, { shareIdentifier: "teamB", weightFactor: 0.5 }],
}, { owner: "ml" });

/** An account with policies `names` (listed in pages of `pageSize`) and FAIR's details for "fair". */
function account(names: string[], pageSize = 100) {
  const a = mockAccount();
  a.batch.on(ListSchedulingPoliciesCommand).callsFake((input: { nextToken?: string }) => {
    const start = Number(input.nextToken ?? 0);
    const end = start + pageSize;
    return listedSchedulingPolicies(names.slice(start, end), end < names.length ? String(end) : undefined);
  });
  a.batch.on(DescribeSchedulingPoliciesCommand).callsFake((input: { arns: string[] }) => ({
    schedulingPolicies: input.arns.map((arn) => {
      const name = arn.slice(arn.lastIndexOf("/") + 1);
      return name === "fair" ? FAIR : describedSchedulingPolicy(name);
    }),
  }));
  return a;
}

Deno.test("scheduling-policy create sends the fair-share policy and prints its ARN (text and --json)", async () => {
  const a = account([]);
  a.batch.on(CreateSchedulingPolicyCommand).resolves(createdSchedulingPolicy("fair"));
  const args = [
    "scheduling-policy",
    "create",
    "fair",
    "--share",
    "teamA=1",
    "--share",
    "team_b*=0.5",
    "--share-decay",
    "3600",
    "--compute-reservation",
    "10",
    "--tag",
    "owner=ml",
  ];
  const text = await run(args, { backend: a.backend });
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, `Created scheduling policy 'fair' (${schedulingPolicyArn("fair")}).\n`);
  assert.deepEqual(a.batch.commandCalls(CreateSchedulingPolicyCommand)[0]!.args[0].input, {
    name: "fair",
    fairsharePolicy: {
      shareDecaySeconds: 3600,
      computeReservation: 10,
      shareDistribution: [
        { shareIdentifier: "teamA", weightFactor: 1 },
        { shareIdentifier: "team_b*", weightFactor: 0.5 },
      ],
    },
    tags: { owner: "ml" },
  });
  const json = await run(["--json", ...args], { backend: a.backend });
  assert.deepEqual(JSON.parse(json.stdout), { name: "fair", arn: schedulingPolicyArn("fair") });
});

Deno.test("scheduling-policy create refuses bad names, shares, weights and ranges before any call", async () => {
  const cases: [string[], RegExp][] = [
    [["bad name"], /Scheduling policy name 'bad name' is not valid/],
    [["p", "--share", "team-a=1"], /Share 'team-a' is not valid: use 1–255 letters, digits and '_'/],
    [["p", "--share", "teamA=heavy"], /The weight of share 'teamA' must be from 0.0001 to 999.9999, got NaN/],
    [["p", "--share", "teamA=1000"], /must be from 0.0001 to 999.9999, got 1000/],
    [["p", "--share-decay", "604801"], /'--share-decay <seconds>'.*from 0 to 604800/],
    [["p", "--compute-reservation", "100"], /'--compute-reservation <percent>'.*from 0 to 99/],
  ];
  for (const [args, expected] of cases) {
    const a = account([]);
    const r = await run(["scheduling-policy", "create", ...args], { backend: a.backend });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.equal(a.batch.calls().length, 0);
  }
});

Deno.test("scheduling-policy list follows nextToken and describes at most 100 ARNs per call", async () => {
  const names = ["fair", ...Array.from({ length: 149 }, (_, i) => `p${i}`)];
  const a = account(names, 60);
  const r = await run(["--json", "scheduling-policy", "list"], { backend: a.backend });
  assert.equal(r.code, 0, r.stderr);
  const listed = JSON.parse(r.stdout) as { name: string }[];
  assert.deepEqual(listed.map((p) => p.name), names);
  const pages = a.batch.commandCalls(ListSchedulingPoliciesCommand).map((c) => c.args[0].input);
  assert.deepEqual(pages, [{ maxResults: 100 }, { maxResults: 100, nextToken: "60" }, {
    maxResults: 100,
    nextToken: "120",
  }]);
  const described = a.batch.commandCalls(DescribeSchedulingPoliciesCommand).map((c) => c.args[0].input.arns!.length);
  assert.deepEqual(described, [100, 50]);
  assert.deepEqual(listed[0], {
    name: "fair",
    arn: schedulingPolicyArn("fair"),
    shareDecaySeconds: 3600,
    computeReservation: 10,
    shareDistribution: FAIR.fairsharePolicy.shareDistribution,
    tags: { owner: "ml" },
  });
  // A policy without shares: AWS leaves shareDistribution out; ezbatch shows an empty list.
  assert.deepEqual(listed[1]!, { name: "p0", arn: schedulingPolicyArn("p0"), shareDistribution: [], tags: {} });
});

Deno.test("scheduling-policy list shows a table, and says so when there is none (no describe call)", async () => {
  const a = account(["fair"]);
  const r = await run(["scheduling-policy", "list"], { backend: a.backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /NAME\s+SHARE DECAY \(s\)\s+RESERVED %\s+SHARES/);
  assert.match(r.stdout, /fair\s+3600\s+10\s+teamA=1, teamB=0.5/);
  const empty = account([]);
  const none = await run(["scheduling-policy", "ls"], { backend: empty.backend });
  assert.equal(none.stdout, "No scheduling policies.\n");
  assert.equal(empty.batch.commandCalls(DescribeSchedulingPoliciesCommand).length, 0);
});

Deno.test("scheduling-policy describe finds a policy by name or ARN; an unknown name is a usage error", async () => {
  const a = account(["other", "fair"]);
  const r = await run(["scheduling-policy", "describe", "fair"], { backend: a.backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Name:\s+fair/);
  assert.match(r.stdout, /Share decay:\s+3600 s/);
  assert.match(r.stdout, /Reserved:\s+10 %/);
  assert.match(r.stdout, /Shares:\s+teamA=1, teamB=0.5/);
  assert.match(r.stdout, /Tags:\s+owner=ml/);
  assert.deepEqual(a.batch.commandCalls(DescribeSchedulingPoliciesCommand)[0]!.args[0].input, {
    arns: [schedulingPolicyArn("fair")],
  });
  const byArn = account(["fair"]);
  const json = await run(["--json", "scheduling-policy", "describe", schedulingPolicyArn("fair")], {
    backend: byArn.backend,
  });
  assert.equal(JSON.parse(json.stdout).computeReservation, 10);
  assert.equal(byArn.batch.commandCalls(ListSchedulingPoliciesCommand).length, 0, "an ARN needs no listing");
  const missing = await run(["scheduling-policy", "describe", "nope"], { backend: a.backend });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Scheduling policy 'nope' does not exist; 'ezbatch scheduling-policy list' shows/);
});

Deno.test("scheduling-policy delete sends the ARN; AWS's refusal (a queue uses it) is reported", async () => {
  const a = account(["fair"]);
  a.batch.on(DeleteSchedulingPolicyCommand).resolves({});
  const r = await run(["--json", "scheduling-policy", "delete", "fair"], { backend: a.backend });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { deleted: schedulingPolicyArn("fair") });
  assert.deepEqual(a.batch.commandCalls(DeleteSchedulingPolicyCommand)[0]!.args[0].input, {
    arn: schedulingPolicyArn("fair"),
  });
  const busy = account(["fair"]);
  busy.batch.on(DeleteSchedulingPolicyCommand).rejects(
    new ClientException({
      message: "Cannot delete, found existing JobQueue relationship",
      $metadata: { requestId: "req-7", httpStatusCode: 400 },
    }),
  );
  const refused = await run(["scheduling-policy", "delete", "fair"], { backend: busy.backend });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /DeleteSchedulingPolicy.*found existing JobQueue relationship/);
});

Deno.test("scheduling-policy commands say policies exist on AWS only on the local backend", async () => {
  const r = await run(["scheduling-policy", "list"], { backend: new MemoryBackend() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Scheduling policies exist on AWS only/);
});

function queueAccount(policies: string[]) {
  const a = account(policies);
  a.batch.on(DescribeComputeEnvironmentsCommand).resolves({
    computeEnvironments: [
      describedComputeEnvironment({
        computeEnvironmentName: "fg",
        computeEnvironmentArn: "arn:aws:batch:us-east-1:123456789012:compute-environment/fg",
        state: "ENABLED",
        status: "VALID",
        computeResources: { type: "FARGATE", maxvCpus: 4, subnets: ["subnet-1"] },
      } as never) as never,
    ],
  });
  a.batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [describedJobQueue({ jobQueueName: "fairq", priority: 1, computeEnvironmentOrder: [] }) as never],
  });
  a.batch.on(CreateJobQueueCommand).resolves({
    jobQueueName: "fairq",
    jobQueueArn: "arn:aws:batch:us-east-1:123456789012:job-queue/fairq",
  });
  return a;
}

Deno.test("job-queue create --scheduling-policy sends the policy's ARN, looked up by name", async () => {
  const a = queueAccount(["other", "fair"]);
  const r = await run(
    ["job-queue", "create", "fairq", "--compute-environments", "fg", "--scheduling-policy", "fair", "--no-wait"],
    { backend: a.backend },
  );
  assert.equal(r.code, 0, r.stderr);
  const input = a.batch.commandCalls(CreateJobQueueCommand)[0]!.args[0].input;
  assert.equal(input.schedulingPolicyArn, schedulingPolicyArn("fair"));
  assert.equal(input.jobQueueName, "fairq");
});

Deno.test("job-queue create --scheduling-policy with an unknown policy creates nothing; locally it is refused", async () => {
  const a = queueAccount(["other"]);
  const r = await run(
    ["job-queue", "create", "fairq", "--compute-environments", "fg", "--scheduling-policy", "fair", "--no-wait"],
    { backend: a.backend },
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Scheduling policy 'fair' does not exist/);
  assert.equal(a.batch.commandCalls(CreateJobQueueCommand).length, 0);
  const local = await run(
    ["job-queue", "create", "fairq", "--compute-environments", "fg", "--scheduling-policy", "fair"],
    { backend: new MemoryBackend() },
  );
  assert.equal(local.code, 2);
  assert.match(local.stderr, /Fair-share queues \(--scheduling-policy\) exist on AWS only/);
});
