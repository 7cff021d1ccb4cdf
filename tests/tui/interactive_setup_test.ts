/**
 * The interactive "Set up AWS Batch" entry: the same plan table as `ezbatch setup`, the same core calls (the account
 * and config end as the CLI leaves them), a question before creating, and the CLI line.
 */
import assert from "node:assert/strict";
import { runInteractive } from "../../tui/mod.ts";
import type { Backend } from "../../core/backend.ts";
import { awsAccount, FakeAccount } from "../core/setup/_fake_account.ts";
import { MemoryBackend } from "../support/memory_backend.ts";
import { run } from "../commands/_run.ts";
import { KEY, ScriptedTerminal } from "./_terminal.ts";

const SET_UP = 5;
const QUIT = 6;

function start(backend: Backend, configPath: string) {
  const term = new ScriptedTerminal();
  const done = runInteractive({
    configPath,
    backend: () => Promise.resolve(backend),
    stdin: term.input,
    stdout: term.output,
    pollMs: 0,
    waitMs: 1000,
  });
  return { term, done };
}

Deno.test("Set up AWS Batch shows the plan, asks, creates what `ezbatch setup --yes` creates and prints that line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const account = new FakeAccount();
    const batch = new MemoryBackend();
    const { term, done } = start(awsAccount(account, batch), `${dir}/interactive.toml`);
    await term.expect("What would you like to do?");
    await term.pick(SET_UP);
    await term.expect("Also an EC2 environment and queue");
    await term.type(KEY.enter); // default: no
    await term.expect("Limit the job role's S3 access to these buckets");
    await term.type(KEY.enter); // empty: every bucket
    await term.expect(/RESOURCE\s+NAME\s+ACTION\s+POLICIES \/ NOTE/);
    await term.expect(/ezbatch-execution-role\s+create\s+AmazonECSTaskExecutionRolePolicy/);
    await term.expect("Create 6 resource(s)?");
    await term.type("y", KEY.enter);
    await term.expect(`Ready: submit to queue 'ezbatch-queue' (settings written to ${dir}/interactive.toml).`);
    await term.expect("CLI: ezbatch setup --yes");
    await term.pick(QUIT);
    await done;

    // The CLI line on a fresh account leaves the same account and the same config.
    const cliAccount = new FakeAccount();
    const cliBatch = new MemoryBackend();
    const cli = await run(["setup", "--yes"], {
      backend: awsAccount(cliAccount, cliBatch),
      env: { EZBATCH_CONFIG_PATH: `${dir}/cli.toml` },
    });
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual([...account.roles.keys()].sort(), [...cliAccount.roles.keys()].sort());
    assert.deepEqual([...batch.queues.keys()], [...cliBatch.queues.keys()]);
    assert.deepEqual([...batch.computeEnvironments.keys()].sort(), [...cliBatch.computeEnvironments.keys()].sort());
    assert.equal(await Deno.readTextFile(`${dir}/interactive.toml`), await Deno.readTextFile(`${dir}/cli.toml`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Set up AWS Batch creates nothing when the answer is no, and explains itself on the local backend", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const account = new FakeAccount();
    const { term, done } = start(awsAccount(account), `${dir}/ezbatch.toml`);
    await term.expect("What would you like to do?");
    await term.pick(SET_UP);
    await term.expect("Also an EC2 environment and queue");
    await term.type("y", KEY.enter);
    await term.expect("Limit the job role's S3 access to these buckets");
    await term.type("Bad_Bucket", KEY.enter);
    await term.expect("'Bad_Bucket' is not an S3 bucket name");
    for (let i = 0; i < 10; i++) await term.type(KEY.backspace);
    await term.type("my-data, s3://my-results", KEY.enter);
    await term.expect(
      /ezbatch-job-role\s+create\s+ezbatch-s3-buckets \(inline\) — .*S3 read\/write on my-data, my-results only/,
    );
    await term.expect(/instance profile\s+ezbatch-instance-profile\s+create/);
    await term.expect(/Create \d+ resource\(s\)\?/);
    await term.type(KEY.enter); // default: no
    await term.expect("Nothing created.");
    await term.pick(QUIT);
    await done;
    assert.deepEqual(account.calls.filter((c) => /^(Create|Attach|Add)/.test(c)), []);
    await assert.rejects(Deno.stat(`${dir}/ezbatch.toml`), Deno.errors.NotFound);

    const local = start(new MemoryBackend(), `${dir}/ezbatch.toml`);
    await local.term.expect("What would you like to do?");
    await local.term.pick(SET_UP);
    await local.term.expect("it has nothing to do with the local backend");
    await local.term.pick(QUIT);
    await local.done;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
