/**
 * The CLI warns (stderr only, exit code unchanged) when a job's plain environment has a name that looks like a
 * secret, on every path that sends a workflow or a job to Batch or shows what would be sent.
 */
import assert from "node:assert/strict";
import { run } from "../commands/_run.ts";
import { MemoryBackend } from "../support/memory_backend.ts";

const VALUE = "hunter2-not-for-logs";

function workflowToml(environment: Record<string, string>, matrix: Record<string, string[]> = {}): string {
  const env = Object.entries(environment).map(([k, v]) => `${k} = "${v}"`).join(", ");
  const sweep = Object.entries(matrix).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ");
  return `name = "app"\nqueue = "q"\n\n[jobs.train]\nimage = "alpine:3.20"\ncommand = "env"\nplatform = "EC2"\n` +
    `environment = { ${env} }\n` + (sweep ? `matrix = { ${sweep} }\n` : "") +
    `\n[jobs.report]\nimage = "alpine:3.20"\ncommand = "echo done"\nplatform = "EC2"\n`;
}

async function tempWorkflow(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".toml" });
  await Deno.writeTextFile(file, text);
  return file;
}

/** Asserts that `stderr` holds exactly the warnings about `names` of job 'train', each suggesting secrets. */
function assertWarned(stderr: string, names: string[], prefix = ""): void {
  const lines = stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, names.length, stderr);
  names.forEach((name, i) => {
    const line = lines[i]!;
    assert.ok(line.startsWith(`warning: ${prefix}Job 'train' sets `), line);
    assert.match(line, new RegExp(`variable '${name}' in plain text`));
    assert.match(line, /'secrets' \(\w+ = "arn:aws:secretsmanager:\.\.\."/);
  });
  assert.ok(!stderr.includes(VALUE), "a warning never shows the value");
}

Deno.test("workflow validate warns on stderr about secret-like environment and matrix names, exit code 0", async () => {
  const file = await tempWorkflow(workflowToml({ DB_PASSWORD: VALUE, STAGE: "dev" }, { API_TOKEN: ["a", "b"] }));
  const r = await run(["workflow", "validate", file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${file}: workflow 'app' is valid (2 jobs, 1 of them an array job with 2 children)\n`);
  assertWarned(r.stderr, ["DB_PASSWORD", "API_TOKEN"], `${file}: `);
  const json = await run(["workflow", "validate", file, "--json"]);
  assert.equal(JSON.parse(json.stdout).valid, true, "stdout stays pure JSON");
  assertWarned(json.stderr, ["DB_PASSWORD", "API_TOKEN"], `${file}: `);
  await Deno.remove(file);
});

Deno.test("workflow plan warns on stderr and still prints the plan", async () => {
  const file = await tempWorkflow(workflowToml({ GITHUB_TOKEN: VALUE }));
  const r = await run(["workflow", "plan", file, "--run-id", "r1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).submissions.map((s: { job: string }) => s.job), ["train", "report"]);
  assertWarned(r.stderr, ["GITHUB_TOKEN"]);
  await Deno.remove(file);
});

Deno.test("workflow submit warns on stderr and submits as asked", async () => {
  const file = await tempWorkflow(workflowToml({ apiKey: VALUE }));
  const backend = new MemoryBackend();
  const r = await run(["workflow", "submit", file, "--run-id", "r1", "--json"], { backend });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(JSON.parse(r.stdout).jobs), ["train", "report"]);
  assert.equal(backend.jobs.size, 2);
  assertWarned(r.stderr, ["apiKey"]);
  await Deno.remove(file);
});

Deno.test("jobs submit --env warns about secret-like names, naming the job and suggesting --secret", async () => {
  const backend = new MemoryBackend();
  const args = ["jobs", "submit", "-q", "q", "--image", "alpine:3.20", "--platform", "EC2", "--name", "etl"];
  const r = await run(
    [...args, "--env", `DB_PASSWORD=${VALUE}`, "--env", "STAGE=dev", "--env", `AWS_SECRET_ACCESS_KEY=${VALUE}`],
    { backend },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "job-000001\n");
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.deepEqual(lines.map((l) => /variable '(\w+)'/.exec(l)?.[1]), ["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD"]);
  for (const line of lines) {
    assert.match(line, /^warning: Job 'etl' sets environment variable '\w+' in plain text/);
    assert.match(line, /--secret \w+=<Secrets Manager or SSM parameter ARN>/);
  }
  assert.ok(!r.stderr.includes(VALUE));
  // With --definition the --env variables become overrides of the SubmitJob request: the same warning.
  const definition = backend.definitions[0]!.jobDefinitionName;
  const def = await run(["jobs", "submit", "-q", "q", "--definition", definition, "--env", "PASSWD=x"], { backend });
  assert.equal(def.code, 0, def.stderr);
  assert.match(def.stderr, new RegExp(`^warning: Job '${definition}-\\d{14}' sets environment variable 'PASSWD'`));
});

Deno.test("no warning for harmless names, and none from a secret passed as a secret", async () => {
  const file = await tempWorkflow(
    workflowToml({ STAGE: "dev", S3_KEY: "raw/in.csv", PWD: "/work" }).replace(
      'command = "env"\n',
      'command = "env"\nsecrets = { DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }\n',
    ),
  );
  const backend = new MemoryBackend();
  for (const args of [["workflow", "validate", file], ["workflow", "plan", file], ["workflow", "submit", file]]) {
    const r = await run(args, { backend });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "", args.join(" "));
  }
  const job = await run(["jobs", "submit", "-q", "q", "--image", "a", "--platform", "EC2", "--env", "S3_KEY=k"], {
    backend,
  });
  assert.equal(job.code, 0, job.stderr);
  assert.equal(job.stderr, "");
  await Deno.remove(file);
});
