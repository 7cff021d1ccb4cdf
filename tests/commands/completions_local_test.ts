/** Queue names complete after `-q`/`--queue` and for `job-queue` verbs with global options typed first, `--local` too. */
import assert from "node:assert/strict";
import { backendGlobalsOf, commandWords, wantsQueueNames } from "../../commands/completions.ts";
import { runCliProcess, stopDaemon } from "../support/cli_process.ts";

Deno.test("wantsQueueNames() and commandWords() see past the global options typed before the command", () => {
  assert.equal(wantsQueueNames(["--local", "job-queue", "describe", ""]), true);
  assert.equal(wantsQueueNames(["--region", "eu-west-1", "--json", "queue", "enable", "h"]), true);
  assert.equal(wantsQueueNames(["--local", "job-queue", "create", ""]), false);
  assert.equal(wantsQueueNames(["--local", "jobs", "list", "-q", ""]), true);
  assert.deepEqual(commandWords(["--local", "--region", "eu-west-1", "job-queue", "describe", ""]), [
    "job-queue",
    "describe",
    "",
  ]);
  assert.deepEqual(commandWords(["--lo"]), ["--lo"], "a global option being typed is completed as itself");
  assert.deepEqual(commandWords(["--region", ""]), ["--region", ""], "so is a global option's value");
  assert.deepEqual(backendGlobalsOf(["--local", "--profile=dev", "jobs"]), { local: true, profile: "dev" });
});

Deno.test("ezbatch complete offers the local backend's queue names after -q, --queue and job-queue verbs with --local", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state, EZBATCH_CONFIG_PATH: `${state}/none.toml` };
  try {
    const made = await runCliProcess([
      "--local",
      "job-queue",
      "create",
      "nightly",
      "--compute-environments",
      "ezbatch-local",
    ], env);
    assert.equal(made.code, 0, made.stderr);
    const cases = [
      ["--local", "jobs", "list", "-q", ""],
      ["jobs", "list", "--local", "--queue", ""],
      ["--local", "jobs", "submit", "-q", ""],
      ["--local", "job-queue", "describe", ""],
    ];
    for (const words of cases) {
      const r = await runCliProcess(["complete", "--", ...words], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "ezbatch-local\t\nnightly\t\n:4\n", words.join(" "));
    }
    const prefix = await runCliProcess(["complete", "--", "--local", "jobs", "list", "-q", "ni"], env);
    assert.equal(prefix.stdout, "nightly\t\n:4\n");
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});
