/**
 * The local backend's budget from the CLI: `--local-vcpus`/`--local-memory`, the localVcpus/localMemory settings
 * (`config set`, the file, listed by `config show`), and a job bigger than the budget failing with a reason that
 * says how to raise it.
 */
import assert from "node:assert/strict";
import { runCliProcess, stopDaemon } from "../support/cli_process.ts";

/** Submits a job asking for `vcpus` and `memory` and returns its status reason once it has FAILED. */
async function failedReason(args: string[], env: Record<string, string>, vcpus: string, memory: string) {
  const submit = await runCliProcess([
    "--local",
    "--json",
    ...args,
    "jobs",
    "submit",
    "-q",
    "ezbatch-local",
    "--platform",
    "EC2",
    "--image",
    "alpine:3.20",
    "--vcpus",
    vcpus,
    "--memory",
    memory,
    "--command",
    "true",
  ], env);
  assert.equal(submit.code, 0, submit.stderr);
  const jobId = JSON.parse(submit.stdout).jobId as string;
  for (let i = 0; i < 100; i++) {
    const d = await runCliProcess(["--local", "--json", "jobs", "describe", jobId], env);
    const job = JSON.parse(d.stdout).job;
    if (job?.status === "FAILED") return job.statusReason as string;
    assert.notEqual(job?.status, "SUCCEEDED");
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${jobId} did not fail`);
}

Deno.test("--local-vcpus sets the local budget, and a job too big for it fails saying how to raise it", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state, EZBATCH_CONFIG_PATH: `${state}/none.toml` };
  try {
    const reason = await failedReason(["--local-vcpus", "1"], env, "2", "512");
    assert.match(reason, /asks for 2 vCPU and 512 MiB but the local budget is 1 vCPU/);
    assert.match(reason, /--local-vcpus 2 \(setting localVcpus\)/);
    assert.match(reason, /ezbatch config set localVcpus 2/);
    const bad = await runCliProcess(["--local", "--local-vcpus", "0", "jobs", "list"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--local-vcpus <n>.*Expected a whole number from 1/);
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});

Deno.test("config set localMemory puts the budget in the settings file, config show lists it, the backend uses it", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state, EZBATCH_CONFIG_PATH: `${state}/ezbatch.toml` };
  try {
    const set = await runCliProcess(["config", "set", "localMemory", "256"], env);
    assert.equal(set.code, 0, set.stderr);
    assert.match(await Deno.readTextFile(`${state}/ezbatch.toml`), /localMemory = 256/);
    const show = JSON.parse((await runCliProcess(["--json", "config", "show"], env)).stdout);
    assert.equal(show.settings.localMemory, 256);
    assert.equal(show.sources.localMemory, "file");
    assert.equal(show.sources.localVcpus, "default");
    const text = (await runCliProcess(["config", "show"], env)).stdout;
    assert.match(text, /localMemory\s+256\s+file/);
    assert.match(text, /localVcpus\s+-\s+default/);
    const reason = await failedReason([], env, "1", "512");
    assert.match(reason, /the local budget is \d+ vCPU and 256 MiB/);
    assert.match(reason, /--local-memory 512 \(setting localMemory\)/);
    assert.doesNotMatch(reason, /--local-vcpus/);
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});
