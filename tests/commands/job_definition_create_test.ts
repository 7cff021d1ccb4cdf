import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";

const ROLE = "arn:aws:iam::123456789012:role/exec";

Deno.test("job-definition create registers a standalone definition from flags with an exec-form command", async () => {
  const backend = new MemoryBackend();
  const r = await run([
    "job-definition",
    "create",
    "--image",
    "python:3.12",
    "--vcpus",
    "0.5",
    "--memory",
    "1024",
    "--env",
    "A=1=2",
    "--secret",
    "TOKEN=arn:aws:secretsmanager:us-east-1:123456789012:secret:t",
    "--retry",
    "3",
    "--timeout",
    "2h",
    "--storage",
    "50",
    "--execution-role",
    ROLE,
    "--",
    "python",
    "-c",
    "print(42)",
  ], { backend });
  assert.equal(r.code, 0, r.stderr);
  const def = backend.definitions[0]!;
  assert.match(r.stdout, /^ezbatch-python-3-12-[0-9a-f]{12}:1\n$/);
  assert.equal(r.stdout, `${def.jobDefinitionName}:1\n`);
  assert.deepEqual(def.containerProperties.command, ["python", "-c", "print(42)"]);
  assert.deepEqual(def.containerProperties.environment, [{ name: "A", value: "1=2" }]);
  assert.deepEqual(def.containerProperties.resourceRequirements, [
    { type: "VCPU", value: "0.5" },
    { type: "MEMORY", value: "1024" },
  ]);
  assert.deepEqual(def.containerProperties.secrets, [
    { name: "TOKEN", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:t" },
  ]);
  assert.equal(def.containerProperties.executionRoleArn, ROLE);
  assert.equal(def.containerProperties.jobRoleArn, ROLE);
  assert.deepEqual(def.containerProperties.ephemeralStorage, { sizeInGiB: 50 });
  assert.deepEqual(def.retryStrategy, { attempts: 3 });
  assert.deepEqual(def.timeout, { attemptDurationSeconds: 7200 });
  assert.deepEqual(def.platformCapabilities, ["FARGATE"]);
});

Deno.test("job-definition create reuses an identical ACTIVE definition instead of adding a revision", async () => {
  const backend = new MemoryBackend();
  const args = ["def", "create", "--name", "hello", "--image", "alpine", "--command", "echo hi", "--platform", "ec2"];
  const first = await run([...args, "--json"], { backend });
  assert.deepEqual(JSON.parse(first.stdout), {
    name: "hello",
    revision: 1,
    arn: "arn:aws:batch:us-east-1:123456789012:job-definition/hello:1",
    reused: false,
  });
  const again = await run(args, { backend });
  assert.equal(again.stdout, "hello:1\n");
  assert.equal(backend.calls.registerJobDefinition, 1);
  const changed = await run([...args.slice(0, -2), "--command", "echo bye", "--platform", "EC2"], { backend });
  assert.equal(changed.stdout, "hello:2\n");
  assert.deepEqual(backend.definitions[1]!.containerProperties.command, ["/bin/sh", "-c", "echo bye"]);
  await backend.deregisterJobDefinition("hello:1");
  const afterDeregister = await run(args, { backend });
  assert.equal(afterDeregister.stdout, "hello:3\n");
});

Deno.test("job-definition create takes a job from a workflow file", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/wf.toml`;
  await Deno.writeTextFile(
    file,
    'name = "w"\n[jobs.train]\nimage = "my/train:1"\nplatform = "EC2"\ngpus = 1\nvcpus = 4\nmemory = 16384\n' +
      'command = ["python", "train.py"]\n[jobs.other]\nimage = "alpine"\n',
  );
  const backend = new MemoryBackend();
  const r = await run(["def", "create", "--from", file, "--job", "train", "--env", "X=1"], { backend });
  assert.equal(r.code, 0, r.stderr);
  const def = backend.definitions[0]!;
  assert.deepEqual(def.containerProperties.command, ["python", "train.py"]);
  assert.deepEqual(def.containerProperties.resourceRequirements, [
    { type: "VCPU", value: "4" },
    { type: "MEMORY", value: "16384" },
    { type: "GPU", value: "1" },
  ]);
  const which = await run(["def", "create", "--from", file], { backend });
  assert.equal(which.code, 2);
  assert.match(which.stderr, /has 2 jobs: say which with --job \(train, other\)/);
  const missing = await run(["def", "create", "--from", file, "--job", "nope"], { backend });
  assert.match(missing.stderr, /has no job 'nope': its jobs are train, other/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("job-definition create refuses bad flags with one line and exit 2, registering nothing", async () => {
  const cases: [string[], RegExp][] = [
    [["def", "create", "--command", "x"], /Say what to run: --image IMAGE/],
    [["def", "create", "--image", "a", "--vcpus", "3", "--execution-role", ROLE], /asks for 3 vCPU on Fargate/],
    [["def", "create", "--image", "a", "--gpus", "1", "--platform", "FARGATE", "--execution-role", ROLE], /GPU/],
    [["def", "create", "--image", "a", "--command", "x", "--", "y"], /either with --command or after --/],
    [["def", "create", "--image", "a", "--name", "bad name"], /Job definition name 'bad name' is not valid/],
    [["def", "create", "--image", "a", "--vcpus", "-1"], /Expected a positive number/],
    [["def", "create", "--image", "a", "--env", "NOEQUALS"], /Expected key=value/],
    [["def", "create", "--image", "a", "--retry", "11"], /from 1 to 10/],
    [["def", "create", "--image", "a", "--timeout", "10s", "--platform", "EC2"], /60/],
    [["def", "create", "--job", "x", "--image", "a"], /give the file with --from/],
  ];
  for (const [args, pattern] of cases) {
    const backend = new MemoryBackend();
    const r = await run(args, { backend });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
    assert.match(r.stderr, /^error: [^\n]+\nRun 'ezbatch job-definition create --help' for usage\.\n$/);
    assert.equal(backend.calls.registerJobDefinition, undefined);
  }
});

Deno.test("job-definition create on AWS without a configured role uses the account's ecsTaskExecutionRole", async () => {
  const backend = new MemoryBackend();
  let lookups = 0;
  Object.defineProperty(backend, "kind", { value: "aws" });
  Object.assign(backend, { clients: { accountId: () => (lookups++, Promise.resolve("111122223333")) } });
  const r = await run(["def", "create", "--image", "alpine", "--command", "true"], { backend });
  assert.equal(r.code, 0, r.stderr);
  const role = "arn:aws:iam::111122223333:role/ecsTaskExecutionRole";
  assert.equal(backend.definitions[0]!.containerProperties.executionRoleArn, role);
  assert.equal(backend.definitions[0]!.containerProperties.jobRoleArn, role);
  assert.equal(lookups, 1);
  const ec2 = await run(["def", "create", "--image", "alpine", "--platform", "EC2"], { backend });
  assert.equal(ec2.code, 0, ec2.stderr);
  assert.equal(lookups, 1, "an EC2 job needs no execution role, so no account lookup");
  const china = await run(["def", "create", "--image", "busybox"], { backend, settings: { region: "cn-north-1" } });
  assert.equal(china.code, 0, china.stderr);
  assert.equal(
    backend.definitions.at(-1)!.containerProperties.executionRoleArn,
    "arn:aws-cn:iam::111122223333:role/ecsTaskExecutionRole",
  );
});

Deno.test("job-definition create --gpus without --platform follows the workflow rule: GPUs need EC2", async () => {
  const backend = new MemoryBackend();
  const r = await run(["def", "create", "--image", "a", "--gpus", "1", "--execution-role", ROLE], { backend });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: The job asks for 1 GPU on Fargate: GPUs need --platform EC2\n/);
  assert.equal(backend.calls.registerJobDefinition, undefined);
  const ec2 = await run(["def", "create", "--image", "a", "--gpus", "1", "--platform", "EC2"], { backend });
  assert.equal(ec2.code, 0, ec2.stderr);
});
