/**
 * `ezbatch setup` end to end through the CLI: the plan table, `--yes`, the question on a terminal, the refusal
 * without one, the config written, `--json`, and `--destroy`, against the fake IAM/EC2 account of
 * tests/core/setup/_fake_account.ts and a MemoryBackend for Batch, seen by the CLI as an AWS backend.
 */
import assert from "node:assert/strict";
import { awsAccount, FakeAccount } from "../core/setup/_fake_account.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";
import { loadConfig } from "../../core/config.ts";

async function withConfig(body: (env: Record<string, string>, path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/ezbatch.toml`;
  try {
    await body({ EZBATCH_CONFIG_PATH: path }, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const created = (account: FakeAccount) => account.calls.filter((c) => /^(Create|Attach|Add)/.test(c));

function answer(text: string): ReadableStream<Uint8Array> {
  return ReadableStream.from([new TextEncoder().encode(text)]);
}

Deno.test("setup --yes on an empty account shows the plan, creates it and writes the config", async () => {
  await withConfig(async (env, path) => {
    const account = new FakeAccount();
    const batch = new MemoryBackend();
    const r = await run(["setup", "--yes"], { backend: awsAccount(account, batch), env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /RESOURCE\s+NAME\s+ACTION\s+POLICIES \/ NOTE/);
    assert.match(r.stderr, /IAM role\s+ezbatch-execution-role\s+create\s+AmazonECSTaskExecutionRolePolicy/);
    assert.match(r.stderr, /job queue\s+ezbatch-queue\s+create/);
    assert.match(r.stdout, new RegExp(`^Ready: submit to queue 'ezbatch-queue' \\(settings written to ${path}\\)`));
    assert.ok(account.roles.has("ezbatch-execution-role") && account.roles.has("ezbatch-job-role"));
    assert.equal(batch.queues.get("ezbatch-queue")?.state, "ENABLED");
    const config = await Deno.readTextFile(path);
    assert.match(config, /queue = "ezbatch-queue"/);
    assert.match(config, /executionRoleArn = "arn:aws:iam::123456789012:role\/ezbatch\/ezbatch-execution-role"/);
    assert.match(config, /backend = "aws"/);

    // A second run finds everything: nothing to create, no question even without --yes.
    account.calls = [];
    const again = await run(["setup"], { backend: awsAccount(account, batch), env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /exists \(kept\)/);
    assert.match(again.stdout, /^Ready: submit to queue 'ezbatch-queue'/);
    assert.deepEqual(created(account), []);
  });
});

Deno.test("setup without --yes and without a terminal refuses, creates nothing and writes no config", async () => {
  await withConfig(async (env, path) => {
    const account = new FakeAccount();
    const batch = new MemoryBackend();
    const r = await run(["setup"], { backend: awsAccount(account, batch), env, stdin: answer("y\n") });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ezbatch-execution-role\s+create/, "the plan is shown first");
    assert.match(r.stderr, /Nothing created: pass --yes to create these \(stdin is not a terminal to ask on\)/);
    assert.deepEqual(created(account), []);
    assert.equal(batch.queues.size, 0);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  });
});

Deno.test("setup on a terminal asks: 'y' creates, anything else creates nothing", async () => {
  await withConfig(async (env) => {
    const no = new FakeAccount();
    const refused = await run(["setup"], {
      backend: awsAccount(no),
      env,
      stdin: answer("n\n"),
      stdinIsTerminal: true,
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Create 6 resource\(s\)\? \[y\/N\]/);
    assert.match(refused.stderr, /Nothing created \(answered no\)/);
    assert.deepEqual(created(no), []);
    const yes = new FakeAccount();
    const accepted = await run(["setup"], {
      backend: awsAccount(yes),
      env,
      stdin: answer("y\n"),
      stdinIsTerminal: true,
    });
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.ok(yes.roles.has("ezbatch-execution-role"));
  });
});

Deno.test("setup --json prints the steps, settings and config path, and no table", async () => {
  await withConfig(async (env, path) => {
    const account = new FakeAccount();
    const r = await run(["--json", "setup", "--yes"], { backend: awsAccount(account), env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stderr.includes("RESOURCE"), r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.config, path);
    assert.equal(out.settings.queue, "ezbatch-queue");
    assert.deepEqual(out.settings.subnets, ["subnet-0a", "subnet-0b"]);
    assert.deepEqual(
      out.steps.map((s: { kind: string; action: string }) => [s.kind, s.action]).slice(0, 3),
      [["IAM role", "create"], ["IAM role", "create"], ["subnets", "exists"]],
    );
  });
});

Deno.test("setup --destroy removes only what setup tagged; it asks first and reports nothing to delete", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const batch = new MemoryBackend();
    const backend = awsAccount(account, batch);
    assert.equal((await run(["setup", "--yes"], { backend, env })).code, 0);
    account.roles.set("mine", { path: "/", tags: [], policies: [], service: "ecs-tasks.amazonaws.com" });

    const refused = await run(["setup", "--destroy"], { backend, env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /RESOURCE \(tagged ezbatch:setup\)\s+NAME/);
    assert.ok(account.roles.has("ezbatch-execution-role"), "nothing deleted without --yes");

    const r = await run(["--json", "setup", "--destroy", "--yes"], { backend, env });
    assert.equal(r.code, 0, r.stderr);
    const deleted = JSON.parse(r.stdout).deleted;
    assert.deepEqual(deleted.queues, ["ezbatch-queue"]);
    assert.deepEqual([...account.roles.keys()], ["mine"]);
    assert.equal(batch.queues.size, 0);
    assert.equal(batch.computeEnvironments.size, 0);

    const none = await run(["setup", "--destroy", "--yes"], { backend, env });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, "Nothing to delete: no resource carries the tag ezbatch:setup = true.\n");
  });
});

Deno.test("setup names a permission it lacks, and refuses the local backend", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    account.denied.add("CreateRole");
    const r = await run(["setup", "--yes"], { backend: awsAccount(account), env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ezbatch setup lacks the permission iam:CreateRole/);
    const local = await run(["setup", "--yes"], { backend: new MemoryBackend(), env });
    assert.equal(local.code, 2);
    assert.match(local.stderr, /nothing to do with --local/);
  });
});

Deno.test("the command setup suggests runs as printed on the account it set up", async () => {
  await withConfig(async (env, path) => {
    const account = new FakeAccount();
    const batch = new MemoryBackend();
    const r = await run(["setup", "--yes"], { backend: awsAccount(account, batch), env });
    assert.equal(r.code, 0, r.stderr);
    const line = /Try:\n\s+ezbatch (.+)/.exec(r.stdout)?.[1];
    assert.ok(line, r.stdout);
    const args = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const finish = () => {
      for (const [id, job] of batch.jobs) if (job.status === "SUBMITTED") batch.setJobStatus(id, "SUCCEEDED");
      return Promise.resolve();
    };
    // With the settings setup wrote, as the next command would read them.
    const { settings } = await loadConfig({ path });
    const tried = await run(args, { backend: awsAccount(account, batch), env, settings, sleep: finish });
    assert.equal(tried.code, 0, `ezbatch ${line}\n${tried.stderr}`);
    assert.equal([...batch.jobs.values()].filter((j) => j.status === "SUCCEEDED").length, 1);
  });
});

Deno.test("setup --buckets shows the job role's inline policy by name in the plan; a bad bucket is a usage error", async () => {
  await withConfig(async (env) => {
    const account = new FakeAccount();
    const r = await run(["setup", "--buckets", "my-data,s3://my-results", "--yes"], {
      backend: awsAccount(account),
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /IAM role\s+ezbatch-job-role\s+create\s+ezbatch-s3-buckets \(inline\) — .*my-data, my-results only/,
    );
    assert.doesNotMatch(r.stderr, /AmazonS3FullAccess/);
    assert.deepEqual(account.roles.get("ezbatch-job-role")!.policies, []);
    const bad = await run(["setup", "--buckets", "Not_A_Bucket", "--yes"], {
      backend: awsAccount(new FakeAccount()),
      env,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--buckets: 'Not_A_Bucket' is not an S3 bucket name/);
  });
});

Deno.test("setup --max-vcpus takes a whole number of 1 or more and gives it to every environment; anything else is a usage error", async () => {
  await withConfig(async (env) => {
    for (const bad of ["abc", "0", "2.5"]) {
      const account = new FakeAccount();
      const r = await run(["setup", "--max-vcpus", bad, "--yes"], { backend: awsAccount(account), env });
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--max-vcpus <n>' argument '.*' is invalid\. Expected a whole number from 1/);
      assert.deepEqual(created(account), []);
    }
    const batch = new MemoryBackend();
    const r = await run(["setup", "--max-vcpus", "64", "--yes"], {
      backend: awsAccount(new FakeAccount(), batch),
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([...batch.computeEnvironments.values()].map((c) => c.computeResources!.maxvCpus), [64, 64]);
  });
});
