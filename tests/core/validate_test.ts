import assert from "node:assert/strict";
import { parseWorkflow } from "../../mod.ts";
import { issuesOf, oneJob } from "../support/workflow_issues.ts";

// oneJob() puts the job's first key on line 5.

Deno.test("validation suggests the closest key for unknown keys and lists the keys otherwise", () => {
  assert.deepEqual(issuesOf(oneJob("memroy = 4096\nzzz = 1")), [
    "5: jobs.a.memroy: Unknown key 'memroy' (did you mean 'memory'?)",
    "6: jobs.a.zzz: Unknown key 'zzz': expected 'image', 'command', 'environment', 'secrets', 'mounts', 'vcpus', " +
    "'memory', 'gpus', 'storage_size', 'platform', 'assign_public_ip', 'tags', 'queue', 'preloader', 'retry', 'timeout', 'matrix', " +
    "'volumes', 'shared_memory', 'ulimits', 'architecture', 'job_role', 'privileged', 'user', 'priority', " +
    "'share', 'nodes', 'main_node', 'node_ranges', 'consumable_resources'",
  ]);
  assert.deepEqual(issuesOf(`name = "w"\nqueu = "q"\n[jobs.a]\nimage = "x"\n`), [
    "2: queu: Unknown key 'queu' (did you mean 'queue'?)",
  ]);
  assert.deepEqual(issuesOf(oneJob("", `[[jobs.a.mounts.read]]\nsource = "s3://b-1/k"\ndestinaton = "/d"`)), [
    "6: jobs.a.mounts.read[0].destination: Missing required key 'destination'",
    "8: jobs.a.mounts.read[0].destinaton: Unknown key 'destinaton' (did you mean 'destination'?)",
  ]);
});

Deno.test("validation reports wrong types with the value it got", () => {
  assert.deepEqual(issuesOf(oneJob('vcpus = "two"\nmemory = 1.5\ncommand = 7\nenvironment = { A = [1] }')), [
    "5: jobs.a.vcpus: Expected a number, got 'two'",
    "6: jobs.a.memory: Expected a whole number, got 1.5",
    "7: jobs.a.command: Expected a string or an array of strings, got 7",
    "8: jobs.a.environment.A: Expected a string, number or boolean, got an array of 1",
  ]);
  assert.deepEqual(issuesOf(oneJob("gpus = -1\nvcpus = 0\nstorage_size = true")), [
    "5: jobs.a.gpus: Expected 0 or more GPUs, got -1",
    "6: jobs.a.vcpus: Expected a positive number of vCPUs, got 0",
    "7: jobs.a.storage_size: Expected a number, got true",
  ]);
  assert.deepEqual(issuesOf(`name = 5\njobs = 3\n`), [
    "1: name: Expected a string, got 5",
    "2: jobs: Expected a table, got 3",
  ]);
  assert.deepEqual(issuesOf(`[jobs.a]\nimage = "x"\n`), ["-: name: Missing required key 'name'"]);
  assert.deepEqual(issuesOf(`name = "w"\n`), ["-: jobs: Missing required key 'jobs'"]);
  assert.deepEqual(issuesOf(`name = "w"\njobs = {}\n`), [
    "2: jobs: A workflow needs at least one job: add a [jobs.NAME] table",
  ]);
  assert.deepEqual(issuesOf(oneJob('platform = "fargate"')), [
    "5: jobs.a.platform: Expected one of 'FARGATE', 'EC2', got 'fargate'",
  ]);
  assert.deepEqual(issuesOf(`name = "w"\n[jobs.a]\nimage = 1979-05-27T07:32:00Z\n`), [
    "3: jobs.a.image: Expected a string, got a date",
  ]);
});

Deno.test("validation checks workflow, job and queue names against the AWS rules", () => {
  const rule = "use 1–128 letters, digits, '-' and '_', starting with a letter or digit";
  assert.deepEqual(issuesOf(`name = "my flow"\nqueue = "q!"\n[jobs."-x"]\nimage = "a"\nqueue = "a/b"\n`), [
    `1: name: Invalid workflow name 'my flow': ${rule}`,
    "2: queue: Invalid queue 'q!': use a queue name of 1–128 letters, digits, '-' and '_', or a job queue ARN",
    `3: jobs.-x: Invalid job name '-x': ${rule}`,
    "5: jobs.-x.queue: Invalid queue 'a/b': use a queue name of 1–128 letters, digits, '-' and '_', or a job " +
    "queue ARN",
  ]);
  const ok = parseWorkflow(
    `name = "w"\nqueue = "arn:aws:batch:eu-west-1:123456789012:job-queue/main"\n[jobs.a]\nimage = "a"\n`,
  );
  assert.equal(ok.queue, "arn:aws:batch:eu-west-1:123456789012:job-queue/main");
  assert.deepEqual(issuesOf(`name = "${"w".repeat(129)}"\n[jobs.a]\nimage = "a"\n`), [
    `1: name: Invalid workflow name '${"w".repeat(59)}…': it has 129 characters, at most 128 are allowed`,
  ]);
});

Deno.test("validation checks Fargate vCPU and memory against the table", () => {
  assert.deepEqual(issuesOf(oneJob("vcpus = 3").replace("[jobs.a]", "[jobs.train]")), [
    "5: jobs.train.vcpus: Job 'train' asks for 3 vCPU on Fargate: allowed are 0.25, 0.5, 1, 2, 4, 8, 16",
  ]);
  assert.deepEqual(issuesOf(oneJob("vcpus = 0.5\nmemory = 512")), [
    "6: jobs.a.memory: Job 'a' asks for 512 MiB of memory with 0.5 vCPU on Fargate: allowed are 1024, 2048, 3072, 4096",
  ]);
  // The default 2048 MiB does not fit 16 vCPU; the line is the job's table.
  assert.deepEqual(issuesOf(oneJob("vcpus = 16")), [
    "3: jobs.a.memory: Job 'a' asks for 2048 MiB of memory with 16 vCPU on Fargate: allowed are 32768, 40960, " +
    "49152, 57344, 65536, 73728, 81920, 90112, 98304, 106496, 114688, 122880",
  ]);
  assert.equal(parseWorkflow(oneJob("vcpus = 0.25\nmemory = 512")).jobs.a!.vcpus, 0.25);
});

Deno.test("validation allows GPUs only on EC2, whole vCPUs on EC2, and storage only on Fargate", () => {
  assert.deepEqual(issuesOf(oneJob("gpus = 1")), [
    "5: jobs.a.gpus: Job 'a' asks for 1 GPU on Fargate: GPUs need platform = 'EC2'",
  ]);
  assert.deepEqual(issuesOf(oneJob('platform = "EC2"\nvcpus = 0.5\nmemory = 2\nstorage_size = 50')), [
    "6: jobs.a.vcpus: Job 'a' asks for 0.5 vCPU on EC2: use a whole number from 1 to 1024",
    "7: jobs.a.memory: Job 'a' asks for 2 MiB on EC2: use 4 to 33554432 MiB (32 TiB)",
    "8: jobs.a.storage_size: Ephemeral storage (storage_size) is for Fargate only: on EC2 the instance's volume is sized by its " +
    "launch template",
  ]);
  assert.deepEqual(issuesOf(oneJob("storage_size = 20")), ["5: jobs.a.storage_size: Expected 21 to 200 GiB, got 20"]);
  assert.deepEqual(issuesOf(oneJob("storage_size = 201")), [
    "5: jobs.a.storage_size: Expected 21 to 200 GiB, got 201",
  ]);
  const ec2 = parseWorkflow(oneJob('platform = "EC2"\nvcpus = 3\nmemory = 3000\ngpus = 2')).jobs.a!;
  assert.deepEqual([ec2.vcpus, ec2.memory, ec2.gpus], [3, 3000, 2]);
  assert.equal(parseWorkflow(oneJob("storage_size = 21")).jobs.a!.storage_size, 21);
});

Deno.test("validation checks retry attempts, rules and the timeout", () => {
  const rules = Array.from({ length: 6 }, () => '{ on_reason = "x", action = "EXIT" }').join(", ");
  assert.deepEqual(issuesOf(oneJob(`retry = { attempts = 0 }\n`)), [
    "5: jobs.a.retry.attempts: Expected 1 to 10 attempts, got 0",
  ]);
  assert.deepEqual(issuesOf(oneJob(`retry = { attempts = 11, evaluate_on_exit = [${rules}] }`)), [
    "5: jobs.a.retry.attempts: Expected 1 to 10 attempts, got 11",
    "5: jobs.a.retry.evaluate_on_exit: Expected at most 5 evaluate_on_exit rules, got an array of 6",
  ]);
  assert.deepEqual(
    issuesOf(oneJob('retry = { attempts = 1, evaluate_on_exit = [{ on_reason = "x", action = "STOP" }] }')),
    [
      "5: jobs.a.retry.evaluate_on_exit[0].action: Expected one of 'RETRY', 'EXIT', got 'STOP'",
    ],
  );
  assert.deepEqual(
    issuesOf(oneJob(
      `retry = { attempts = 2, evaluate_on_exit = [{ action = "RETRY" }, { on_exit_code = "1x", action = "EXIT" }, ` +
        `{ on_reason = "bad!", action = "EXIT" }] }`,
    )),
    [
      "5: jobs.a.retry.evaluate_on_exit[0]: A rule needs on_exit_code, on_reason or on_status_reason",
      "5: jobs.a.retry.evaluate_on_exit[1].on_exit_code: Expected digits with an optional trailing '*', got '1x'",
      "5: jobs.a.retry.evaluate_on_exit[2].on_reason: Expected letters, digits, '.', ':' and spaces with an " +
      "optional trailing '*', got 'bad!'",
    ],
  );
  assert.deepEqual(issuesOf(oneJob("timeout = 59")), [
    "5: jobs.a.timeout: Expected a timeout of at least 60 seconds, got 59",
  ]);
  assert.deepEqual(issuesOf(oneJob('timeout = "30s"')), [
    "5: jobs.a.timeout: Expected a timeout of at least 60 seconds, got 30 seconds",
  ]);
  assert.deepEqual(issuesOf(oneJob('timeout = "2 hours"')), [
    "5: jobs.a.timeout: Expected whole seconds or a duration like '90s', '30m', '2h' or '1h30m', got '2 hours'",
  ]);
  assert.deepEqual(issuesOf(oneJob("timeout = 90.5")), [
    "5: jobs.a.timeout: Expected whole seconds or a duration like '90s', '30m', '2h' or '1h30m', got 90.5",
  ]);
  for (const [text, seconds] of [["90s", 90], ["30m", 1800], ["2h", 7200], ["1h30m", 5400], ["1h1s", 3601]] as const) {
    assert.equal(parseWorkflow(oneJob(`timeout = "${text}"`)).jobs.a!.timeout, seconds);
  }
});

Deno.test("a job with a wrong field still gets the checks of its other fields, not of related ones", () => {
  assert.deepEqual(issuesOf(oneJob('command = 5\nvcpus = 3\ntimeout = "10s"\nmatrix = { A = [1] }')), [
    "5: jobs.a.command: Expected a string or an array of strings, got 5",
    "6: jobs.a.vcpus: Job 'a' asks for 3 vCPU on Fargate: allowed are 0.25, 0.5, 1, 2, 4, 8, 16",
    "7: jobs.a.timeout: Expected a timeout of at least 60 seconds, got 10 seconds",
    "8: jobs.a.matrix: The matrix has 1 combination: an array job has 2 to 10,000 children",
  ]);
  // A misspelled size key hides the size checks (vcpus is not set, so memory would look wrong).
  assert.deepEqual(issuesOf(oneJob("vcpu = 4\nmemory = 16384\ngpus = 1\ntimeout = 5")), [
    "5: jobs.a.vcpu: Unknown key 'vcpu' (did you mean 'vcpus'?)",
    "8: jobs.a.timeout: Expected a timeout of at least 60 seconds, got 5",
  ]);
  // A wrong environment hides the matrix checks that compare names with it; other keys are still checked.
  assert.deepEqual(issuesOf(oneJob('environment = 3\nmatrix = { A = [1] }\nsecrets = { B = "" }\nimage2 = 1')), [
    "5: jobs.a.environment: Expected a table, got 3",
    "8: jobs.a.image2: Unknown key 'image2' (did you mean 'image'?)",
  ]);
});
