/**
 * The retry flags of `jobs submit` and `job-definition create`: `--retry N` and `--retry-on-exit-code CODE` make
 * the retry strategy a workflow file's `retry` makes, exit rules included, and fail with its rules and the flag.
 */
import assert from "node:assert/strict";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "./_run.ts";
import { sentBy, submitContent } from "./_aws_requests.ts";

const settings = { executionRoleArn: "arn:aws:iam::123456789012:role/exec" };
const job = (retry: string) =>
  `name = "w"\nqueue = "q"\n[jobs.j]\nimage = "alpine:3.20"\ncommand = "exit 137"\nretry = ${retry}\n`;
const flags = ["jobs", "submit", "-q", "q", "--image", "alpine:3.20", "--command", "exit 137"];

Deno.test("jobs submit --retry-on-exit-code sends the retry strategy the same workflow file job sends", async () => {
  const sent = await sentBy([...flags, "--retry", "3", "--retry-on-exit-code", "137", "--retry-on-exit-code", "14*"]);
  const toml = job(
    `{ attempts = 3, evaluate_on_exit = [{ on_exit_code = "137", action = "RETRY" }, ` +
      `{ on_exit_code = "14*", action = "RETRY" }, { on_reason = "*", action = "EXIT" }] }`,
  );
  const file = await sentBy(["workflow", "submit", "$DIR/w.toml"], { "w.toml": toml });
  assert.deepEqual(sent.register, file.register);
  assert.deepEqual(submitContent(sent.submit[0]!), submitContent(file.submit[0]!));
  assert.deepEqual(sent.submit[0]!.retryStrategy, file.submit[0]!.retryStrategy);
  assert.deepEqual(sent.submit[0]!.retryStrategy, {
    attempts: 3,
    evaluateOnExit: [
      { action: "RETRY", onExitCode: "137" },
      { action: "RETRY", onExitCode: "14*" },
      { action: "EXIT", onReason: "*" },
    ],
  });
});

Deno.test("jobs submit --retry alone sends what a workflow file's retry = { attempts } sends", async () => {
  const sent = await sentBy([...flags, "--retry", "4"]);
  const file = await sentBy(["workflow", "submit", "$DIR/w.toml"], { "w.toml": job("{ attempts = 4 }") });
  assert.deepEqual(sent.submit[0]!.retryStrategy, { attempts: 4 });
  assert.deepEqual(sent.submit[0]!.retryStrategy, file.submit[0]!.retryStrategy);
});

Deno.test("jobs submit --from keeps the file's exit rules under --retry and replaces them with --retry-on-exit-code", async () => {
  const toml = job(`{ attempts = 2, evaluate_on_exit = [{ on_status_reason = "Host EC2*", action = "RETRY" }] }`);
  const from = ["jobs", "submit", "-q", "q", "--from", "$DIR/w.toml"];
  const kept = await sentBy([...from, "--retry", "5"], { "w.toml": toml });
  assert.deepEqual(kept.submit[0]!.retryStrategy, {
    attempts: 5,
    evaluateOnExit: [{ action: "RETRY", onStatusReason: "Host EC2*" }],
  });
  const replaced = await sentBy([...from, "--retry-on-exit-code", "1"], { "w.toml": toml });
  assert.deepEqual(replaced.submit[0]!.retryStrategy, {
    attempts: 2,
    evaluateOnExit: [{ action: "RETRY", onExitCode: "1" }, { action: "EXIT", onReason: "*" }],
  });
});

Deno.test("job-definition create and jobs submit --definition take the exit rules too", async () => {
  const backend = new MemoryBackend();
  const rules = ["--retry", "3", "--retry-on-exit-code", "137"];
  const expected = {
    attempts: 3,
    evaluateOnExit: [{ action: "RETRY", onExitCode: "137" }, { action: "EXIT", onReason: "*" }],
  };
  const created = await run(["job-definition", "create", "--image", "alpine", "--name", "d", ...rules], {
    backend,
    settings,
  });
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual(backend.definitions[0]!.retryStrategy, expected);
  const submitted = await run(["jobs", "submit", "-q", "q", "--definition", "d", ...rules], { backend, settings });
  assert.equal(submitted.code, 0, submitted.stderr);
  assert.deepEqual([...backend.jobs.values()][0]!.input?.retryStrategy, expected);
  const bad = await run(
    ["jobs", "submit", "-q", "q", "--definition", "d", "--retry", "2", "--retry-on-exit-code", "x"],
    {
      backend,
      settings,
    },
  );
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--retry-on-exit-code: Expected digits with an optional trailing '\*', got 'x'/);
});

const codes = (n: number) => Array.from({ length: n }, (_, i) => ["--retry-on-exit-code", String(i + 1)]).flat();
const BAD: [string[], RegExp][] = [
  [["--retry", "2", ...codes(5)], /--retry-on-exit-code: Expected at most 5 evaluate_on_exit rules/],
  [["--retry", "2", "--retry-on-exit-code", "13a"], /--retry-on-exit-code: Expected digits with an optional trailing/],
  [["--retry-on-exit-code", "137"], /--retry-on-exit-code needs --retry N/],
];

for (const [args, expected] of BAD) {
  Deno.test(`jobs submit and job-definition create refuse ${args.join(" ")} with the flag named`, async () => {
    for (const head of [["jobs", "submit", "-q", "q"], ["job-definition", "create"]]) {
      const backend = new MemoryBackend();
      const r = await run([...head, "--image", "alpine", ...args], { backend, settings });
      assert.equal(r.code, 2, `${head.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.equal(backend.definitions.length, 0);
      assert.equal(backend.jobs.size, 0);
    }
  });
}

Deno.test("jobs submit --retry-on-exit-code with four codes (five rules with the EXIT) is accepted", async () => {
  const sent = await sentBy([...flags, "--retry", "2", ...codes(4)]);
  assert.equal((sent.submit[0]!.retryStrategy as { evaluateOnExit: unknown[] }).evaluateOnExit.length, 5);
});
