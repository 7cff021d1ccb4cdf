/**
 * `jobs submit --local` needs no queue: as `jobs list --local` and `workflow submit --local`, it goes to the local
 * backend's own queue unless a queue is given or configured. Without `--local` and without a queue, the error names
 * both ways out.
 */
import assert from "node:assert/strict";
import { runCliProcess, stopDaemon } from "../support/cli_process.ts";

Deno.test("jobs submit --local without -q runs in ezbatch-local; without --local the error names --queue and --local", async () => {
  const state = await Deno.makeTempDir();
  const env = { EZBATCH_STATE_DIR: state, EZBATCH_CONFIG_PATH: `${state}/none.toml` };
  try {
    const submit = await runCliProcess(
      ["--local", "--json", "jobs", "submit", "--image", "alpine:3.20", "--command", "echo hi", "--watch"],
      env,
    );
    assert.equal(submit.code, 0, submit.stderr);
    const listed = await runCliProcess(["--local", "--json", "jobs", "list", "--status", "ALL"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const jobs = JSON.parse(listed.stdout) as { status: string }[];
    assert.deepEqual(jobs.map((j) => j.status), ["SUCCEEDED"]);

    const refused = await runCliProcess(["jobs", "submit", "--image", "alpine:3.20", "--command", "true"], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Say which job queue: --queue NAME .* or add --local to run on this machine/);
  } finally {
    await stopDaemon(state);
    await Deno.remove(state, { recursive: true });
  }
});
