/** `jobs describe` says what to do when a job could not pull its image (a subnet without a route out). */
import assert from "node:assert/strict";
import { DescribeJobsCommand } from "../support/deps.ts";
import { mockAccount } from "../parity/_faces.ts";
import { run } from "./_run.ts";

const FAILED = {
  jobId: "id-9",
  jobName: "hello",
  jobQueue: "q",
  jobDefinition: "d:1",
  status: "FAILED",
  createdAt: 1,
  statusReason: "Task failed to start",
  attempts: [],
  container: {
    image: "public.ecr.aws/docker/library/alpine:3.20",
    reason: "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " +
      "public.ecr.aws/docker/library/alpine:3.20: dial tcp 99.83.145.10:443: i/o timeout",
  },
};

Deno.test("jobs describe advises a public IP or a NAT gateway for a CannotPullContainerError, in text and JSON", async () => {
  const account = mockAccount();
  account.batch.on(DescribeJobsCommand).resolves({ jobs: [FAILED] as never });
  const text = await run(["jobs", "describe", "id-9"], { backend: account.backend });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /What to do: The image could not be pulled/);
  assert.match(text.stdout, /--assign-public-ip/);
  assert.match(text.stdout, /NAT gateway/);
  const json = await run(["--json", "jobs", "describe", "id-9"], { backend: account.backend });
  assert.match(JSON.parse(json.stdout).advice, /assign_public_ip = true/);
});

Deno.test("jobs describe gives no advice for an ordinary failure", async () => {
  const account = mockAccount();
  account.batch.on(DescribeJobsCommand).resolves({
    jobs: [{ ...FAILED, statusReason: "Essential container in task exited", container: { exitCode: 1 } }] as never,
  });
  const r = await run(["jobs", "describe", "id-9"], { backend: account.backend });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes("What to do"), r.stdout);
});

Deno.test("jobs describe explains an image without a linux/arm64 variant on ARM64 and what to do, in text and JSON", async () => {
  const account = mockAccount();
  const reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): no matching manifest " +
    "for linux/arm64 in the manifest list entries";
  account.batch.on(DescribeJobsCommand).resolves({ jobs: [{ ...FAILED, container: { reason } }] as never });
  const text = await run(["jobs", "describe", "id-9"], { backend: account.backend });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /What to do: The image was built for another CPU architecture than the job ran on \(ARM64/);
  assert.match(text.stdout, /architecture = "X86_64"/);
  assert.match(text.stdout, /--architecture X86_64/);
  assert.match(text.stdout, /multi-arch image/);
  assert.ok(!text.stdout.includes("NAT gateway"), "not the network advice");
  const json = await run(["--json", "jobs", "describe", "id-9"], { backend: account.backend });
  assert.match(JSON.parse(json.stdout).advice, /linux\/amd64,linux\/arm64/);
});

Deno.test("jobs describe explains an exec format error of an attempt", async () => {
  const account = mockAccount();
  account.batch.on(DescribeJobsCommand).resolves({
    jobs: [{
      ...FAILED,
      statusReason: "Essential container in task exited",
      container: { exitCode: 1 },
      attempts: [{ container: { exitCode: 1, reason: "CannotStartContainerError: exec /bin/sh: exec format error" } }],
    }] as never,
  });
  const r = await run(["jobs", "describe", "id-9"], { backend: account.backend });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /another CPU architecture than the job ran on\. Either/);
  assert.match(r.stdout, /architecture = "ARM64"/);
});
