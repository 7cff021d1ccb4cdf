import assert from "node:assert/strict";
import { runInteractive } from "../../tui/mod.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { demoBackend } from "./_demo_backend.ts";
import { KEY, ScriptedTerminal } from "./_terminal.ts";

const NO_SETTINGS = `${Deno.makeTempDirSync()}/ezbatch.toml`;

function start(backend: MemoryBackend | (() => Promise<MemoryBackend>)) {
  const term = new ScriptedTerminal();
  const done = runInteractive({
    configPath: NO_SETTINGS,
    backend: typeof backend === "function" ? backend : () => Promise.resolve(backend),
    stdin: term.input,
    stdout: term.output,
    pollMs: 0,
    waitMs: 1000,
    planOptions: () => Promise.resolve({ executionRoleArn: "arn:aws:iam::123456789012:role/exec" }),
  });
  return { term, done };
}

const MENU = "What would you like to do?";
const enum Main {
  Infrastructure = 0,
  Jobs = 1,
  Workflows = 2,
  Monitor = 3,
  Settings = 4,
  SetUp = 5,
  Quit = 6,
}

Deno.test("runInteractive() quits from the menu, and Ctrl-C at the main menu ends without a stack trace", async () => {
  const first = start(new MemoryBackend());
  await first.term.expect(MENU);
  await first.term.pick(Main.Quit);
  await first.done;
  assert.match(first.term.text, /Bye\./);
  const second = start(new MemoryBackend());
  await second.term.expect(MENU);
  await second.term.type(KEY.ctrlC);
  await second.done;
  assert.ok(!/at \w+ \(|Error/.test(second.term.text), second.term.text);
});

Deno.test("runInteractive() Ctrl-C inside a section returns to the main menu", async () => {
  const { term, done } = start(new MemoryBackend());
  await term.expect(MENU);
  await term.pick(Main.Infrastructure);
  await term.expect("Infrastructure");
  await term.pick(1);
  await term.expect("Name of the compute environment");
  await term.type("half-typed", KEY.ctrlC);
  await term.expect("Cancelled: back to the main menu.");
  await term.expect(MENU);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() creates a Fargate compute environment, rejecting bad names and ids as they are typed", async () => {
  const backend = await demoBackend();
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Infrastructure);
  await term.pick(1);
  await term.expect("Name of the compute environment");
  await term.type("bad name!", KEY.enter);
  await term.expect("A compute environment name has 1 to 128 letters, digits, '-' or '_'");
  await term.type(...Array(9).fill(KEY.backspace), "fargate-env", KEY.enter);
  await term.expect("A compute environment named 'fargate-env' already exists");
  await term.type(...Array(3).fill(KEY.backspace), "two", KEY.enter);
  await term.expect("Type");
  await term.pick(0);
  await term.expect("Most vCPUs");
  await term.type("0", KEY.enter);
  await term.expect("Value must be between 1 and 1000000");
  await term.type(KEY.backspace, "8", KEY.enter);
  await term.expect("Subnets (space to pick");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other subnets, comma-separated");
  await term.type("vpc-123", KEY.enter);
  await term.expect("'vpc-123' is not a subnet-... id");
  await term.type(...Array(7).fill(KEY.backspace), "subnet-9", KEY.enter);
  await term.expect("Security groups");
  await term.type(KEY.enter);
  await term.expect("A value is required"); // AWS Batch needs at least one security group
  await term.type("sg-1", KEY.enter);
  await term.expect("Create compute environment 'fargate-two'?");
  await term.type(KEY.enter);
  await term.expect("Created compute environment 'fargate-two'.");
  await term.expect(
    "CLI: ezbatch compute-environment create fargate-two --type FARGATE --max-vcpus 8 --subnets subnet-1,subnet-9 " +
      "--security-groups sg-1",
  );
  const ce = backend.computeEnvironments.get("fargate-two")!;
  assert.deepEqual(ce.computeResources, {
    type: "FARGATE",
    maxvCpus: 8,
    subnets: ["subnet-1", "subnet-9"],
    securityGroupIds: ["sg-1"],
  });
  await term.expect("Infrastructure");
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() creates a queue, refusing to mix Fargate and EC2 environments", async () => {
  const backend = await demoBackend();
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Infrastructure);
  await term.pick(2);
  await term.expect("Name of the job queue");
  await term.type("new-queue", KEY.enter);
  await term.expect("Priority");
  await term.type(KEY.enter);
  await term.expect("Compute environments");
  await term.type(KEY.space, KEY.down, KEY.space, KEY.enter);
  await term.expect("A job queue cannot mix Fargate and EC2/SPOT compute environments");
  await term.expect("Compute environments");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Create job queue 'new-queue'?");
  await term.type("y", KEY.enter);
  await term.expect("CLI: ezbatch job-queue create new-queue --compute-environments fargate-env --priority 1");
  assert.deepEqual(backend.queues.get("new-queue")?.computeEnvironmentOrder, [
    { order: 1, computeEnvironment: "fargate-env" },
  ]);
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() deletes a queue only after confirming, disabling it first", async () => {
  const backend = await demoBackend();
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Infrastructure);
  await term.pick(4);
  await term.expect("Which one to delete?");
  await term.pick(0);
  await term.expect("Delete job queue 'main-queue'? It has 1 RUNNING, 1 RUNNABLE, 2 PENDING jobs:"); // 80 columns
  await term.expect("terminates them, RUNNING ones included");
  await term.type(KEY.enter);
  await term.expect("Kept it.");
  assert.ok(backend.queues.has("main-queue"));
  assert.equal(backend.jobs.get("job-000002")!.status, "RUNNING");
  await term.pick(4);
  await term.expect("Which one to delete?");
  await term.pick(0);
  await term.type("y", KEY.enter);
  await term.expect("Deleted job queue 'main-queue'.");
  await term.expect("CLI: ezbatch job-queue delete main-queue --force");
  assert.ok(!backend.queues.has("main-queue"));
  assert.equal(backend.calls.updateJobQueue, 1);
  await term.pick(4);
  await term.expect("Which one to delete?");
  await term.pick(2);
  await term.expect("Compute environment 'spot-env' is used by job queue 'spot-queue'");
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() lists jobs, describes one, and cancels one after confirmation", async () => {
  const backend = await demoBackend();
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Jobs);
  await term.pick(1);
  await term.expect("Job queue");
  await term.pick(0);
  await term.expect("Which jobs?");
  await term.pick(0);
  await term.expect(/JOB ID\s+NAME\s+STATUS/);
  await term.expect("demo-ab12cd-train");
  await term.expect("CLI: ezbatch jobs list -q main-queue");
  await term.pick(2);
  await term.pick(0);
  await term.expect("Job");
  await term.type("loose-job-2");
  const waiting = [...backend.jobs.values()].find((j) => j.jobName === "loose-job-2")!;
  await term.expect(/❯ loose-job-2/);
  await term.type(KEY.enter);
  await term.expect("Waiting for capacity:");
  await term.expect("env fargate-env: ENABLED VALID");
  await term.expect(`CLI: ezbatch jobs describe ${waiting.jobId}`);
  await term.pick(4);
  await term.pick(0);
  await term.expect("Job");
  await term.type("loose-job-2");
  await term.expect(/❯ loose-job-2/);
  await term.type(KEY.enter);
  await term.expect("Cancel job 'loose-job-2' (RUNNABLE)?");
  await term.type("y", KEY.enter);
  await term.expect(`CLI: ezbatch jobs stop ${waiting.jobId}`);
  assert.equal(waiting.isCancelled, true);
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() follows a job's log until the job ends", async () => {
  const backend = await demoBackend();
  const train = [...backend.jobs.values()].find((j) => j.jobName === "demo-ab12cd-train")!;
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Jobs);
  await term.pick(3);
  await term.pick(0);
  await term.expect("Job");
  await term.type("demo-ab12cd-train");
  await term.expect(/❯ demo-ab12cd-train/);
  await term.type(KEY.enter);
  await term.expect("train: step 1 of 3");
  backend.appendLog(train.container!.logStreamName!, ["train: done"]);
  await term.expect("train: done");
  backend.setJobStatus(train.jobId, "SUCCEEDED", { exitCode: 0 });
  await term.expect("(job SUCCEEDED)");
  await term.expect(`CLI: ezbatch jobs logs ${train.jobId} --follow`);
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() reports a backend that cannot be created, with the CLI's advice, and keeps the menu", async () => {
  let attempts = 0;
  const { term, done } = start(() => {
    attempts++;
    return Promise.reject(new Error("CredentialsProviderError: Could not load credentials from any providers"));
  });
  await term.expect(MENU);
  await term.pick(Main.Jobs);
  await term.pick(0);
  await term.expect("Error: CredentialsProviderError: Could not load credentials from any providers");
  await term.expect("No AWS credentials found: run 'aws configure' or 'aws sso login'");
  await term.expect(MENU);
  await term.pick(Main.Jobs);
  await term.pick(0);
  await term.expect("Error: CredentialsProviderError: Could not load credentials");
  assert.equal(attempts, 2, "a failed creation is tried again");
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() Monitor refuses politely on a stream that is not a terminal", async () => {
  const { term, done } = start(new MemoryBackend());
  await term.expect(MENU);
  await term.pick(Main.Monitor);
  await term.expect("Error: The monitor needs a terminal");
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() submits an image and command with a Fargate size from the valid table", async () => {
  const backend = await demoBackend();
  backend.checkDefinitions = true; // as AWS: the job's definition must be registered
  const before = backend.jobs.size;
  const { term, done } = start(backend);
  await term.expect(MENU);
  await term.pick(Main.Jobs);
  await term.pick(0);
  await term.expect("Job queue");
  await term.pick(0);
  await term.expect("Job name");
  await term.type(KEY.backspace, KEY.backspace, KEY.backspace, "bad name", KEY.enter);
  await term.expect("A job name has 1 to 128 letters");
  await term.type(...Array(8).fill(KEY.backspace), "hello", KEY.enter);
  await term.expect("Image");
  await term.type(KEY.enter);
  await term.expect("Command");
  await term.type("echo hi", KEY.enter);
  await term.expect("Platform");
  await term.type(KEY.enter);
  await term.expect("vCPUs");
  await term.type(KEY.down, KEY.enter);
  await term.expect("Memory with 2 vCPU on Fargate");
  await term.expect("4096 MiB (4 GiB)");
  await term.pick(1);
  await term.expect("Give it a public IP?");
  await term.type(KEY.enter);
  await term.expect("Submit 'hello' to queue 'main-queue'?");
  await term.type(KEY.enter);
  // Named as typed, as `jobs submit --name hello` names it (it was once wrapped in a one-job workflow).
  const line = await term.expect(/Submitted job 'hello' \(job-\d+\) to 'main-queue'/);
  await term.expect(
    "CLI: ezbatch jobs submit -q main-queue --name hello --image public.ecr.aws/docker/library/alpine:3.20 " +
      "--command 'echo hi' --vcpus 2 --memory 5120",
  );
  await term.expect("Follow its log now?");
  await term.type(KEY.enter);
  assert.equal(backend.jobs.size, before + 1);
  const job = [...backend.jobs.values()].at(-1)!;
  assert.ok(line.includes(job.jobId));
  assert.equal(job.input!.jobQueue, "main-queue");
  assert.equal(job.jobName, "hello");
  assert.equal(backend.calls.registerJobDefinition, 1);
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});

Deno.test("runInteractive() offers the settings' subnets and max vCPUs when creating a compute environment", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/ezbatch.toml`,
    `[Settings]\nsubnets = ["subnet-0cf91"]\nsecurityGroupIds = ["sg-0cf91"]\nmaxvCpus = 64\n`,
  );
  const backend = new MemoryBackend();
  const term = new ScriptedTerminal();
  const done = runInteractive({
    backend: () => Promise.resolve(backend),
    stdin: term.input,
    stdout: term.output,
    configPath: `${dir}/ezbatch.toml`,
    pollMs: 0,
  });
  await term.expect(MENU);
  await term.pick(Main.Infrastructure);
  await term.pick(1);
  await term.expect("Name of the compute environment");
  await term.type("from-settings", KEY.enter);
  await term.expect("Type");
  await term.pick(0);
  await term.expect("Most vCPUs it may run at once (64)");
  await term.type(KEY.enter);
  await term.expect("subnet-0cf91");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other subnets, comma-separated");
  await term.type(KEY.enter);
  await term.expect("sg-0cf91");
  await term.type(KEY.space, KEY.enter);
  await term.expect("Other security groups, comma-separated");
  await term.type(KEY.enter);
  await term.expect("Create compute environment 'from-settings'?");
  await term.type(KEY.enter);
  await term.expect("Created compute environment 'from-settings'.");
  assert.deepEqual(backend.computeEnvironments.get("from-settings")?.computeResources, {
    type: "FARGATE",
    maxvCpus: 64,
    subnets: ["subnet-0cf91"],
    securityGroupIds: ["sg-0cf91"],
  });
  await term.pick(5);
  await term.pick(Main.Quit);
  await done;
});
